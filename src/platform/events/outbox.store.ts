import { Inject, Injectable } from '@nestjs/common';
import type { Client } from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import { prepared, type Statements } from '../database/sql.js';
import type { EventTopic } from './topics.js';

/** The Postgres channel a committed change notifies. */
export const OUTBOX_CHANNEL = 'outbox_events';

/** An outbox row as the relay claims it. */
export interface OutboxRow {
  id: string;
  tenant_id: string;
  topic: EventTopic;
  payload: Record<string, unknown>;
  created_at: Date;
}

/**
 * The statements on outbox_events of the relay and the metrics (rows are written with their change
 * by platform/audit/audit.store.ts, in the same statement as the audit event).
 */
export const STATEMENTS = {
  claim: prepared(
    'claim-outbox-events',
    `SELECT id, tenant_id, topic, payload, created_at FROM outbox_events WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
  ),
  markPublished: prepared('mark-outbox-events-published', `UPDATE outbox_events SET published_at = now() WHERE id = ANY($1::bigint[])`),
  prunePublished: `DELETE FROM outbox_events WHERE published_at < now() - $1::interval`,
  listen: `LISTEN ${OUTBOX_CHANNEL}`,
  notify: `SELECT pg_notify($1, '')`,
  backlog: prepared(
    'outbox-backlog',
    `SELECT count(*)::int AS events, COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 AS age FROM outbox_events WHERE published_at IS NULL`,
  ),
} satisfies Statements;

/** The outbox table (outbox_events) and its notification channel. */
@Injectable()
export class OutboxStore {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Up to `limit` unpublished rows, oldest first, locked for `manager`'s transaction (other relays skip them). */
  claim(manager: EntityManager, limit: number): Promise<OutboxRow[]> {
    return manager.query(STATEMENTS.claim, [limit]);
  }

  async markPublished(manager: EntityManager, ids: string[]): Promise<void> {
    await manager.query(STATEMENTS.markPublished, [ids]);
  }

  /** Deletes the rows published longer than `retention` (a Postgres interval) ago. */
  async prunePublished(retention: string): Promise<void> {
    await this.dataSource.query(STATEMENTS.prunePublished, [retention]);
  }

  /** Wakes the relays listening on the channel (on any process). */
  async notify(): Promise<void> {
    await this.dataSource.query(STATEMENTS.notify, [OUTBOX_CHANNEL]);
  }

  /** Makes `client` (a connection of its own, held open) hear every notification of the channel. */
  async listen(client: Client): Promise<void> {
    await client.query(STATEMENTS.listen);
  }

  /** The outbox's backlog, for its gauges: the unpublished rows (a partial index holds just those). */
  async backlog(): Promise<{ events: number; oldestAgeSeconds: number }> {
    const [row] = await this.dataSource.query(STATEMENTS.backlog);
    return { events: (row as { events: number }).events, oldestAgeSeconds: Math.max(0, (row as { age: number }).age) };
  }
}
