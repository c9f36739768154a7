import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import type { GatewaySession } from '@gateway-control-plane/agent';
import { forEachConcurrently } from './fleet.js';
import { quantile, round } from './stats.js';

/**
 * How long after its last heartbeat a silent gateway is recorded DISCONNECTED, for many gateways
 * that fall silent together. The moment of DISCONNECTED is the audit event's created_at (Postgres
 * clock_timestamp(), the same machine clock as ours); the last heartbeat is when its 200 answer
 * arrived here.
 */

export interface DisconnectTiming {
  gateways: number;
  silenceLimitSeconds: number;
  /** How long sending the last heartbeats took. */
  burstMs: number;
  minSeconds: number;
  p50Seconds: number;
  p99Seconds: number;
  maxSeconds: number;
  /** Gateways recorded DISCONNECTED later than the limit plus the allowed 2 s, or not at all. */
  overLimit: number;
  neverDisconnected: number;
}

export const ALLOWED_DELAY_SECONDS = 2;
const BURST_CONCURRENCY = 50;
const GIVE_UP_AFTER_MS = 30_000;
const POLL_EVERY_MS = 500;

export async function measureDisconnectTiming(
  database: pg.Pool,
  gateways: GatewaySession[],
  silenceLimitSeconds: number,
): Promise<DisconnectTiming> {
  const burstStartedAt = new Date();
  const lastHeartbeatAt = new Map<string, number>();
  await forEachConcurrently(gateways.length, BURST_CONCURRENCY, async (index) => {
    const gateway = gateways[index];
    const response = await gateway.heartbeat();
    if (response.status !== 200) throw new Error(`heartbeat: HTTP ${response.status} ${JSON.stringify(response.body)}`);
    lastHeartbeatAt.set(gateway.gatewayId!, Date.now());
  });
  const burstMs = Date.now() - burstStartedAt.getTime();

  const ids = [...lastHeartbeatAt.keys()];
  const disconnectedAt = new Map<string, number>();
  const giveUpAt = Date.now() + silenceLimitSeconds * 1000 + GIVE_UP_AFTER_MS;
  while (disconnectedAt.size < ids.length && Date.now() < giveUpAt) {
    await sleep(POLL_EVERY_MS);
    const { rows } = await database.query<{ target_id: string; created_at: Date }>(
      `SELECT target_id, created_at FROM audit_events
       WHERE action = 'gateway.status_changed' AND after->>'status' = 'DISCONNECTED'
         AND target_id = ANY($1::uuid[]) AND created_at >= $2`,
      [ids, burstStartedAt],
    );
    for (const row of rows) disconnectedAt.set(row.target_id, row.created_at.getTime());
  }

  const delays = Float64Array.from([...disconnectedAt].map(([id, at]) => (at - lastHeartbeatAt.get(id)!) / 1000)).sort();
  const neverDisconnected = ids.length - disconnectedAt.size;
  const allowedSeconds = silenceLimitSeconds + ALLOWED_DELAY_SECONDS;
  return {
    gateways: ids.length,
    silenceLimitSeconds,
    burstMs,
    minSeconds: round(delays[0] ?? Number.NaN, 2),
    p50Seconds: round(quantile(delays, 0.5), 2),
    p99Seconds: round(quantile(delays, 0.99), 2),
    maxSeconds: round(delays.at(-1) ?? Number.NaN, 2),
    overLimit: delays.filter((delay) => delay > allowedSeconds).length + neverDisconnected,
    neverDisconnected,
  };
}
