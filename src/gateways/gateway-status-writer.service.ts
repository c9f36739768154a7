import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { StatementBatcher } from '../platform/database/statement-batcher.js';
import { GatewaysStore } from './gateways.store.js';
import { ChangeRecorder, type RecordedChange } from '../platform/audit/change-recorder.js';
import { SYSTEM_ACTOR } from '../platform/auth/principal.js';
import { EventTopic } from '../platform/events/topics.js';
import { GatewayLiveState } from './gateway-live-state.js';
import { isConnected, type GatewayStatus } from './gateway-status.js';
import { NodeInventory } from './node-inventory.service.js';

export interface GatewayStatusChangedEvent {
  gatewayId: string;
  profileId: string;
  tenantId: string;
  previousStatus: GatewayStatus | null;
  status: GatewayStatus;
  lastHeartbeatAt: string | null;
  changedAt: string;
  /** A first registration's: the activation token it used (webhook activation_token.used). */
  activationTokenId?: string;
}

/**
 * Writes status transitions decided in Redis (CONNECTED on a heartbeat, DISCONNECTED on silence)
 * to Postgres, with their audit and outgoing events, in one transaction for any number of
 * gateways. The status sequence makes it idempotent and order-proof: a write that carries an
 * older sequence than the row's changes nothing, so each change is recorded exactly once however
 * many processes try.
 *
 * Heartbeats hand their transitions in one at a time (`applyOne`), and those that arrive together
 * (a reconnect storm: a site's gateways, or the whole fleet, coming back after a blip) share one
 * transaction: at most TRANSITION_BATCHES_IN_FLIGHT run at once, and the transitions that arrive
 * meanwhile wait and go together in the next. The sequence check makes a batch as exact as one
 * transition per transaction: each transition is written and audited once.
 */
@Injectable()
export class GatewayStatusWriter {
  static readonly TRANSITION_BATCHES_IN_FLIGHT = 2;
  static readonly MAX_TRANSITION_BATCH = 1000;

  private readonly transitions = new StatementBatcher<string, void>({
    maxBatch: GatewayStatusWriter.MAX_TRANSITION_BATCH,
    maxInFlight: GatewayStatusWriter.TRANSITION_BATCHES_IN_FLIGHT,
    keyOf: (gatewayId) => gatewayId,
    run: async (gatewayIds) => {
      await this.apply(gatewayIds);
      return gatewayIds.map(() => undefined);
    },
    // A failed batch is Postgres unavailable, not one bad transition: the transitions stay pending
    // in Redis and the liveness sweep writes them later (retrying each alone would only add load).
    retryAlone: false,
  });

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(GatewaysStore) private readonly store: GatewaysStore,
    @Inject(GatewayLiveState) private readonly live: GatewayLiveState,
    @Inject(NodeInventory) private readonly nodes: NodeInventory,
    @Inject(ChangeRecorder) private readonly changes: ChangeRecorder,
  ) {}

  /** One gateway's transition decided in Redis, written together with the others arriving at the same time. */
  applyOne(gatewayId: string): Promise<void> {
    return this.transitions.submit(gatewayId);
  }

  async apply(gatewayIds: string[]): Promise<number> {
    if (!gatewayIds.length) return 0;
    const live = await this.live.read(gatewayIds);
    const wanted = gatewayIds
      .map((id) => ({ id, state: live.get(id)! }))
      .filter(({ state }) => state.status !== null && state.status !== 'DEREGISTERED' && state.statusSeq !== null);
    const changed = await this.dataSource.transaction(async (manager) => {
      const rows = wanted.length
        ? await this.store.applyStatuses(
            manager,
            wanted.map((w) => ({ id: w.id, status: w.state.status!, statusSeq: w.state.statusSeq! })),
          )
        : [];
      const moved = rows.filter((row) => row.previous !== row.status);
      const assessments = await this.nodes.reassess(
        manager,
        moved.map((row) => ({ id: row.id, type: row.type, connected: isConnected(row.status) })),
      );
      if (moved.length) {
        await this.store.setAssessments(
          manager,
          moved.map((row) => ({ id: row.id, assessment: assessments.get(row.id)!, health: assessments.get(row.id)!.health })),
        );
      }
      const now = new Date().toISOString();
      await this.changes.recordAll(
        manager,
        moved.map((row): RecordedChange => {
          const lastHeartbeatAt = live.get(row.id)?.lastHeartbeatAt?.toISOString() ?? null;
          const event: GatewayStatusChangedEvent = {
            gatewayId: row.id,
            profileId: row.profile_id,
            tenantId: row.tenant_id,
            previousStatus: row.previous,
            status: row.status,
            lastHeartbeatAt,
            changedAt: now,
          };
          return {
            tenantId: row.tenant_id,
            actor: row.status === 'CONNECTED' ? { type: 'gateway', id: row.id } : SYSTEM_ACTOR,
            action: 'gateway.status_changed',
            targetType: 'gateway',
            targetId: row.id,
            before: { status: row.previous },
            after: { status: row.status, lastHeartbeatAt, health: assessments.get(row.id)!.health },
            event: { topic: EventTopic.GatewayStatusChanged, payload: event },
          };
        }),
      );
      return rows.length;
    });
    // Confirm what Postgres now holds (or already held: an older sequence was a no-op).
    // Gateways without live state, or de-registered, have nothing left to confirm.
    const wantedIds = new Set(wanted.map((w) => w.id));
    const settled = gatewayIds.filter((id) => !wantedIds.has(id)).map((gatewayId) => ({ gatewayId, statusSeq: Number.MAX_SAFE_INTEGER }));
    await this.live.confirmTransitions([...wanted.map(({ id, state }) => ({ gatewayId: id, statusSeq: state.statusSeq! })), ...settled]);
    return changed;
  }
}
