import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { prepared, type Statements } from '../database/sql.js';

export const STATEMENTS = {
  backlog: prepared(
    'outbox-backlog',
    `SELECT count(*)::int AS events, COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 AS age FROM outbox_events WHERE published_at IS NULL`,
  ),
} satisfies Statements;

/** The outbox's backlog, for its gauges: the unpublished rows (a partial index holds just those). */
@Injectable()
export class OutboxBacklogStore {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async backlog(): Promise<{ events: number; oldestAgeSeconds: number }> {
    const [row] = await this.dataSource.query(STATEMENTS.backlog);
    return { events: (row as { events: number }).events, oldestAgeSeconds: Math.max(0, (row as { age: number }).age) };
  }
}
