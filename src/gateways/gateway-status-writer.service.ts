import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { retryDeadlockVictim } from '../platform/database/deadlock-retry.js';
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
/** A transition as decided in Redis: the status, its sequence, and the last heartbeat then (with its clock skew). */
export interface DecidedTransition {
  gatewayId: string;
  status: GatewayStatus;
  statusSeq: number;
  lastHeartbeatAt: Date | null;
  clockSkewSeconds: number | null;
}

@Injectable()
export class GatewayStatusWriter {
  static readonly TRANSITION_BATCHES_IN_FLIGHT = 2;
  static readonly MAX_TRANSITION_BATCH = 1000;

  private readonly transitions = new StatementBatcher<DecidedTransition, void>({
    maxBatch: GatewayStatusWriter.MAX_TRANSITION_BATCH,
    maxInFlight: GatewayStatusWriter.TRANSITION_BATCHES_IN_FLIGHT,
    keyOf: (transition) => transition.gatewayId,
    run: async (transitions) => {
      await this.write(transitions, []);
      return transitions.map(() => undefined);
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

  /**
   * A heartbeat's transition, as its Redis script decided it (so it is not read back), written
   * together with the others arriving at the same time. A newer transition decided meanwhile is
   * written by whoever decided it; the sequence keeps the older one from overwriting it.
   */
  applyOne(transition: DecidedTransition): Promise<void> {
    return this.transitions.submit(transition);
  }

  /** The transitions pending in Redis for these gateways (liveness sweeps): the number of rows written. */
  async apply(gatewayIds: string[]): Promise<number> {
    if (!gatewayIds.length) return 0;
    const live = await this.live.read(gatewayIds);
    const decided: DecidedTransition[] = [];
    const settled: string[] = [];
    for (const gatewayId of gatewayIds) {
      const state = live.get(gatewayId)!;
      if (state.status !== null && state.status !== 'DEREGISTERED' && state.statusSeq !== null)
        decided.push({
          gatewayId,
          status: state.status,
          statusSeq: state.statusSeq,
          lastHeartbeatAt: state.lastHeartbeatAt,
          clockSkewSeconds: state.clockSkewSeconds,
        });
      else settled.push(gatewayId);
    }
    return this.write(decided, settled);
  }

  /**
   * Writes the transitions in one transaction, then confirms them in Redis, with `settled`:
   * gateways without live state, or de-registered, that have nothing left to confirm.
   */
  private async write(decided: DecidedTransition[], settled: string[]): Promise<number> {
    // A deadlock's victim (against the last-seen flush, which updates rows in its own order) runs
    // again, rather than leave its heartbeats' transitions to the liveness sweep.
    const changed = decided.length
      ? await retryDeadlockVictim(() => this.dataSource.transaction((manager) => this.writeWithin(manager, decided)))
      : 0;
    // Confirm what Postgres now holds (or already held: an older sequence was a no-op).
    await this.live.confirmTransitions([
      ...decided.map(({ gatewayId, statusSeq }) => ({ gatewayId, statusSeq })),
      ...settled.map((gatewayId) => ({ gatewayId, statusSeq: Number.MAX_SAFE_INTEGER })),
    ]);
    return changed;
  }

  private async writeWithin(manager: EntityManager, decided: DecidedTransition[]): Promise<number> {
    // Lock first, then read the nodes: a node report committed while we waited for a row's lock is
    // in what we assess. Then one write per row: status, sequence and assessment together (a
    // second UPDATE for the assessment wrote every row, and its indexes, twice).
    const rows = await this.store.lockForTransitions(
      manager,
      decided.map((t) => ({ id: t.gatewayId, statusSeq: t.statusSeq })),
    );
    if (!rows.length) return 0;
    const target = new Map(decided.map((t) => [t.gatewayId, t]));
    const moved = rows.filter((row) => row.previous !== target.get(row.id)!.status);
    const assessments = await this.nodes.reassess(
      manager,
      moved.map((row) => ({ id: row.id, type: row.type, connected: isConnected(target.get(row.id)!.status) })),
    );
    await this.store.writeTransitions(
      manager,
      rows.map((row) => {
        const { status, statusSeq, lastHeartbeatAt, clockSkewSeconds } = target.get(row.id)!;
        return { id: row.id, status, statusSeq, assessment: assessments.get(row.id) ?? null, lastHeartbeatAt, clockSkewSeconds };
      }),
    );
    const now = new Date().toISOString();
    await this.changes.recordAll(
      manager,
      moved.map((row): RecordedChange => {
        const { status, lastHeartbeatAt: seenAt } = target.get(row.id)!;
        const lastHeartbeatAt = seenAt?.toISOString() ?? null;
        const event: GatewayStatusChangedEvent = {
          gatewayId: row.id,
          profileId: row.profile_id,
          tenantId: row.tenant_id,
          previousStatus: row.previous,
          status,
          lastHeartbeatAt,
          changedAt: now,
        };
        return {
          tenantId: row.tenant_id,
          actor: status === 'CONNECTED' ? { type: 'gateway', id: row.id } : SYSTEM_ACTOR,
          action: 'gateway.status_changed',
          targetType: 'gateway',
          targetId: row.id,
          before: { status: row.previous },
          after: { status, lastHeartbeatAt, health: assessments.get(row.id)!.health },
          event: { topic: EventTopic.GatewayStatusChanged, payload: event },
        };
      }),
    );
    return rows.length;
  }
}
