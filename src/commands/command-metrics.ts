import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { EventTopic } from '../platform/events/topics.js';
import { Metrics, ScrapedMetrics } from '../platform/metrics/catalog.js';
import type { ReactionPayloads } from '../platform/reactions/reaction-catalog.js';
import { ReactsTo } from '../platform/reactions/reactions.js';
import { isEnded } from './command-state.js';
import type { CommandUpdatedEvent } from './lifecycle/command-changes.js';
import { CommandTimingsStore } from './command-timings.store.js';

/**
 * Command metrics, counted where every command change passes once: the outbox relay (worker
 * processes), off the hot path. Queued and ended commands are counted from the events; the two
 * latencies need the command's times, read for a whole batch in one statement after it is
 * published. Relayed at least once: a batch the relay retries after a crash counts twice.
 */
@Injectable()
export class CommandMetrics implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(CommandMetrics.name);
  private withdraw: (() => void) | null = null;

  constructor(@Inject(CommandTimingsStore) private readonly store: CommandTimingsStore) {}

  onModuleInit(): void {
    // Read when scraped: one count over the few RUNNING rows (a partial index).
    this.withdraw = ScrapedMetrics.bulkCommandsInProgress.provide(async () => [{ value: await this.store.bulkRunning() }]);
  }

  onModuleDestroy(): void {
    this.withdraw?.();
  }

  /** Counts the command changes of a batch the outbox relay published. */
  @ReactsTo('outbox.relayed.command-metrics')
  async observe({ events }: ReactionPayloads['outbox.relayed.command-metrics']): Promise<void> {
    // A list, not a map by command: a hand-out and the end of one command often come in one batch,
    // and each has its own latency to record.
    const timed: CommandUpdatedEvent[] = [];
    for (const event of events) {
      if (event.topic !== EventTopic.CommandUpdated) continue;
      const change = event.payload as unknown as CommandUpdatedEvent;
      if (change.previousState === null) Metrics.commandsQueued.inc({ type: change.type });
      if (change.state === 'DELIVERED' && change.previousState === 'QUEUED') timed.push(change);
      if (isEnded(change.state) && change.previousState !== null && !isEnded(change.previousState)) {
        Metrics.commandsEnded.inc({ type: change.type, state: change.state });
        timed.push(change);
      }
    }
    if (timed.length)
      void this.observeLatencies(timed).catch((error: unknown) => this.logger.warn({ err: error }, 'command latencies not recorded'));
  }

  private async observeLatencies(changes: CommandUpdatedEvent[]): Promise<void> {
    const timesById = new Map(
      (await this.store.times([...new Set(changes.map((change) => change.commandId))])).map((times) => [times.id, times]),
    );
    for (const change of changes) {
      const times = timesById.get(change.commandId);
      if (!times) continue;
      if (change.state === 'DELIVERED' && times.deliveredAt) {
        Metrics.commandQueueToDelivery.observe(
          { type: change.type },
          Math.max(0, times.deliveredAt.getTime() - times.createdAt.getTime()) / 1000,
        );
      } else if (isEnded(change.state) && times.deliveredAt && times.endedAt) {
        Metrics.commandDeliveryToEnd.observe(
          { type: change.type, state: change.state },
          Math.max(0, times.endedAt.getTime() - times.deliveredAt.getTime()) / 1000,
        );
      }
    }
  }
}
