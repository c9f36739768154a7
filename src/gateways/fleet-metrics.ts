import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { EventTopic } from '../platform/events/topics.js';
import { Metrics, ScrapedMetrics } from '../platform/metrics/catalog.js';
import { JobHandler } from '../platform/queues/job-handler.decorator.js';
import type { ReactionPayloads } from '../platform/reactions/reaction-catalog.js';
import { ReactsTo } from '../platform/reactions/reactions.js';
import { FleetCountsStore } from './fleet-counts.store.js';
import { TenantCountsStore } from './tenant-counts.store.js';
import type { GatewayStatusChangedEvent } from './gateway-status-writer.service.js';

/**
 * The fleet's metrics: gcp_gateways from the counts a trigger maintains (one small read per
 * scrape, whatever the fleet's size), and status transitions counted from the outgoing events
 * every writer of a status emits (the outbox relay, worker processes).
 */
@Injectable()
export class FleetMetrics implements OnModuleInit, OnModuleDestroy {
  private withdraw: (() => void) | null = null;

  constructor(
    @Inject(FleetCountsStore) private readonly store: FleetCountsStore,
    @Inject(TenantCountsStore) private readonly tenantCounts: TenantCountsStore,
  ) {}

  onModuleInit(): void {
    this.withdraw = ScrapedMetrics.gateways.provide(async () =>
      (await this.store.counts()).map((count) => ({
        labels: { status: count.status, health: count.health, type: count.type },
        value: count.n,
      })),
    );
  }

  /** Counts the status transitions of a batch the outbox relay published. */
  @ReactsTo('outbox.relayed.fleet-metrics')
  async countTransitions({ events }: ReactionPayloads['outbox.relayed.fleet-metrics']): Promise<void> {
    for (const event of events) {
      if (event.topic !== EventTopic.GatewayStatusChanged) continue;
      const change = event.payload as unknown as GatewayStatusChangedEvent;
      if (change.previousStatus !== change.status)
        Metrics.statusTransitions.inc({ from: change.previousStatus ?? 'NONE', to: change.status });
    }
  }

  onModuleDestroy(): void {
    this.withdraw?.();
  }

  @JobHandler('gateways.fold-counts')
  async foldCounts(): Promise<void> {
    // The tenants' counts (the fleet status) are folded on the same schedule.
    await Promise.all([this.store.fold(), this.tenantCounts.fold()]);
  }
}
