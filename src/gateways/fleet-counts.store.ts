import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { prepared, type Statements } from '../platform/database/sql.js';

export interface FleetCount {
  status: string;
  health: string;
  type: string;
  n: number;
}

/** The statements on gateway_counts and gateway_count_changes (the trigger that fills the changes is in its migration). */
export const STATEMENTS = {
  /** The counts as of now: the folded counts plus the changes not folded yet. */
  counts: prepared(
    'fleet-counts',
    `SELECT status, health, type, sum(n) AS n FROM (
           SELECT status, health, type, n FROM gateway_counts UNION ALL SELECT status, health, type, n FROM gateway_count_changes
         ) c GROUP BY 1, 2, 3 HAVING sum(n) <> 0`,
  ),
  /** Moves the pending changes into the counts (rows taken in key order: no deadlock). */
  fold: prepared(
    'fold-fleet-counts',
    `WITH taken AS (DELETE FROM gateway_count_changes RETURNING status, health, type, n),
              summed AS (SELECT status, health, type, sum(n) AS n FROM taken GROUP BY 1, 2, 3)
         INSERT INTO gateway_counts AS c (status, health, type, n) SELECT status, health, type, n FROM summed ORDER BY 1, 2, 3
         ON CONFLICT (status, health, type) DO UPDATE SET n = c.n + EXCLUDED.n`,
  ),
} satisfies Statements;

/** The fleet's counts by status, health and type (maintained by a trigger: see its migration). */
@Injectable()
export class FleetCountsStore {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** The counts as of now: the folded counts plus the changes not folded yet (a few seconds' worth). */
  async counts(): Promise<FleetCount[]> {
    const rows: { status: string; health: string; type: string; n: string }[] = await this.dataSource.query(STATEMENTS.counts);
    return rows.map((row) => ({ status: row.status, health: row.health, type: row.type, n: Number(row.n) }));
  }

  /** Moves the pending changes into the counts, in one statement (rows taken in key order: no deadlock). */
  async fold(): Promise<void> {
    await this.dataSource.query(STATEMENTS.fold);
  }
}
