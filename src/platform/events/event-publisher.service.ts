import { Inject, Injectable } from '@nestjs/common';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { Cluster, type Redis } from 'ioredis';
import { type RedisClient, RedisConnections } from '../redis/redis.module.js';
import type { EventEnvelope, EventTopic } from './topics.js';

/** PUBLISH channel message for each pair of arguments, in order; answers how many. */
const PUBLISH_ALL = `
for i = 1, #ARGV, 2 do
  redis.call('PUBLISH', ARGV[i], ARGV[i + 1])
end
return #ARGV / 2`;

interface PublishAllCommand {
  gcpPublishAll(...channelsAndMessages: string[]): Promise<number>;
}

/**
 * Redis-backed pub/sub shared by the outbox relay (publisher) and GraphQL subscriptions
 * (subscribers), so an event raised in one process reaches subscribers on every process.
 */
@Injectable()
export class EventPublisher {
  readonly pubSub: RedisPubSub;
  private readonly channelPrefix: string;

  private readonly publisher: RedisClient;

  constructor(@Inject(RedisConnections) redis: RedisConnections) {
    this.channelPrefix = redis.key('events', '');
    this.publisher = redis.open('events-publisher', { autoPipelining: true });
    if (!(this.publisher instanceof Cluster)) this.publisher.defineCommand('gcpPublishAll', { numberOfKeys: 0, lua: PUBLISH_ALL });
    this.pubSub = new RedisPubSub({ publisher: this.publisher, subscriber: redis.open('events-subscriber') });
  }

  channel(topic: EventTopic): string {
    return `${this.channelPrefix}${topic}`;
  }

  /**
   * One write to Redis for the lot, in order. Subscribers rely on order (a command's QUEUED before
   * its DELIVERED), and one connection to one server keeps it: the batch goes out pipelined (a
   * reconnect storm relays thousands of events; one round trip each held the relay's transaction).
   * On Redis Cluster a plain PUBLISH goes to any node and reaches the others over the cluster bus,
   * so two publishes through different nodes can overtake each other even when sent one after the
   * other: every publish goes through one primary, whose bus links to the others keep its order.
   */
  async publishAll(events: EventEnvelope[]): Promise<void> {
    if (!events.length) return;
    if (!(this.publisher instanceof Cluster)) {
      // One server: one script publishes the lot in order, one command instead of one per event
      // (each command is an object, a promise and a reply here: a reconnect storm relays an event
      // per gateway). Subscribers receive the same messages on the same channels.
      const args: string[] = [];
      for (const event of events) args.push(this.channel(event.topic), JSON.stringify(event));
      await (this.publisher as Redis & PublishAllCommand).gcpPublishAll(...args);
      return;
    }
    const server = orderedPublisher(this.publisher);
    await Promise.all(events.map((event) => server.publish(this.channel(event.topic), JSON.stringify(event))));
  }

  /** Events of one topic, for a GraphQL subscription resolver to filter by tenant. */
  subscribe(topic: EventTopic): AsyncIterableIterator<EventEnvelope> {
    return this.pubSub.asyncIterableIterator<EventEnvelope>(this.channel(topic));
  }
}

/**
 * The connection a batch of events is published on: the client itself on one Redis server; on a
 * cluster, the primary that comes first by address (the same one for every batch while the
 * cluster's layout holds; after a failover, the next one, and order holds from there).
 */
function orderedPublisher(client: RedisClient): Redis | RedisClient {
  if (!(client instanceof Cluster)) return client;
  const primaries = client.nodes('master');
  if (!primaries.length) return client; // not connected yet: the cluster client queues and reports
  return primaries.reduce((first, node) => (address(node) < address(first) ? node : first));
}

function address(node: Redis): string {
  return `${node.options.host}:${node.options.port}`;
}
