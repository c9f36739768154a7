import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { prepared, type Statements } from '../platform/database/sql.js';

export interface CommandTimes {
  id: string;
  createdAt: Date;
  deliveredAt: Date | null;
  endedAt: Date | null;
}

export const STATEMENTS = {
  times: prepared('command-times', `SELECT id, created_at, delivered_at, ended_at FROM commands WHERE id = ANY($1::uuid[])`),
  bulkRunning: prepared('bulk-commands-running', `SELECT count(*)::int AS n FROM bulk_commands WHERE state = 'RUNNING'`),
} satisfies Statements;

/** The SQL of the command metrics: when commands were queued, handed out and ended. */
@Injectable()
export class CommandTimingsStore {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async times(ids: string[]): Promise<CommandTimes[]> {
    const rows: { id: string; created_at: Date; delivered_at: Date | null; ended_at: Date | null }[] = await this.dataSource.query(
      STATEMENTS.times,
      [ids],
    );
    return rows.map((row) => ({ id: row.id, createdAt: row.created_at, deliveredAt: row.delivered_at, endedAt: row.ended_at }));
  }

  /** Bulk commands still fanning out. */
  async bulkRunning(): Promise<number> {
    const [row] = await this.dataSource.query(STATEMENTS.bulkRunning);
    return (row as { n: number }).n;
  }
}
