import { Inject, Injectable, Logger } from '@nestjs/common';
import { retryDeadlockVictim } from '../platform/database/deadlock-retry.js';
import { retryIdempotent } from '../platform/database/reconnect.js';
import { GatewayLiveState } from './gateway-live-state.js';
import { GatewayStatusWriter } from './gateway-status-writer.service.js';
import { GatewaysStore } from './gateways.store.js';

/** How many gateways one sweep turns DISCONNECTED (it runs again at once if there were more). */
const SWEEP_BATCH = 1_000;
/** Last-seen values written per statement: small enough that taking them never holds Redis for long. */
const LAST_SEEN_BATCH = 500;
/** A transition unconfirmed for this long lost its writer (a crashed process): confirm it here. */
const PENDING_GRACE_MS = 5_000;

/**
 * The liveness rules: the sweep of passed deadlines, the last-seen flush and the reconcile of the
 * live state with Postgres. Their work grows with the gateways that change, not with the fleet: the
 * sweep reads only deadlines that passed, from a Redis sorted set. The liveness processor is their
 * job face; the Redis recovery runs the reconcile too.
 */
@Injectable()
export class LivenessService {
  private readonly logger = new Logger(LivenessService.name);

  constructor(
    @Inject(GatewaysStore) private readonly store: GatewaysStore,
    @Inject(GatewayLiveState) private readonly live: GatewayLiveState,
    @Inject(GatewayStatusWriter) private readonly statusWriter: GatewayStatusWriter,
  ) {}

  async sweep(): Promise<{ disconnected: number; confirmed: number }> {
    let disconnected = 0;
    for (;;) {
      const expired = await this.live.claimExpired(Date.now(), SWEEP_BATCH);
      if (!expired.length) break;
      // Each liveness shard gives its share of the batch: another round until none has any left.
      disconnected += await this.statusWriter.apply(expired);
    }
    const pending = await this.live.pendingTransitions(PENDING_GRACE_MS, SWEEP_BATCH);
    const confirmed = pending.length ? await this.statusWriter.apply(pending) : 0;
    return { disconnected, confirmed };
  }

  flushLastSeen(): Promise<number> {
    // Idempotent (the newest value wins, an older one changes nothing), so a batch is sent again
    // when its connection died with a Postgres restart, or when it was a deadlock's victim (it
    // updates rows in its own order, a transition batch locks them in id order): the values were
    // already taken from Redis, and would otherwise wait for the gateways' next heartbeats.
    return this.live.takeLastSeen(LAST_SEEN_BATCH, (seen) =>
      retryIdempotent(() => retryDeadlockVictim(() => this.store.writeLastSeen(seen))),
    );
  }

  /**
   * Live gateways that Redis does not know (it restarted without its data) get their state back,
   * with a fresh deadline: a silent one turns DISCONNECTED one silence limit later.
   */
  async reconcile(): Promise<number> {
    let seeded = 0;
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows = await this.store.liveGatewaysAfter(after);
      if (!rows.length) break;
      after = rows[rows.length - 1].id;
      const missing = new Set(await this.live.missing(rows.map((row) => row.id)));
      for (const row of rows.filter((r) => missing.has(r.id))) {
        await this.live.seed({
          id: row.id,
          status: row.status,
          statusSeq: row.status_seq,
          bootId: row.boot_id,
          reportHash: row.report_hash,
          credentialGeneration: row.credential_generation,
        });
        seeded += 1;
      }
    }
    if (seeded) this.logger.warn(`rebuilt the live state of ${seeded} gateways that Redis did not know`);
    return seeded;
  }
}
