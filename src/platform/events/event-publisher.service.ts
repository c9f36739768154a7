import { Inject, Injectable } from '@nestjs/common';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { RedisConnections } from '../redis/redis.module.js';
import type { EventEnvelope, EventTopic } from './topics.js';

/**
 * Redis-backed pub/sub shared by the outbox relay (publisher) and GraphQL subscriptions
 * (subscribers), so an event raised in one process reaches subscribers on every process.
 */
@Injectable()
export class EventPublisher {
  readonly pubSub: RedisPubSub;
  private readonly channelPrefix: string;

  private readonly oneConnectionInOrder: boolean;

  constructor(@Inject(RedisConnections) redis: RedisConnections) {
    this.channelPrefix = redis.key('events', '');
    this.oneConnectionInOrder = !redis.isCluster;
    this.pubSub = new RedisPubSub({
      publisher: redis.open('events-publisher', { autoPipelining: true }),
      subscriber: redis.open('events-subscriber'),
    });
  }

  channel(topic: EventTopic): string {
    return `${this.channelPrefix}${topic}`;
  }

  /** One write to Redis for the lot: the publisher pipelines what is sent in the same tick. */
  async publishAll(events: EventEnvelope[]): Promise<void> {
    // One Redis primary: one connection keeps the order of what is sent on it, so the batch goes
    // in one write (a reconnect storm relays thousands of events; one round trip each held the
    // relay's transaction and cost a turn of the event loop per event).
    if (this.oneConnectionInOrder) {
      await Promise.all(events.map((event) => this.pubSub.publish(this.channel(event.topic), event)));
      return;
    }
    // One after another: on Redis Cluster a PUBLISH may go to any node, so publishes sent together
    // can arrive out of order (a command's DELIVERED before its QUEUED); subscribers rely on order.
    for (const event of events) await this.pubSub.publish(this.channel(event.topic), event);
  }

  /** Events of one topic, for a GraphQL subscription resolver to filter by tenant. */
  subscribe(topic: EventTopic): AsyncIterableIterator<EventEnvelope> {
    return this.pubSub.asyncIterableIterator<EventEnvelope>(this.channel(topic));
  }
}
