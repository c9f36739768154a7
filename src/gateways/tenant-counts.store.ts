import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { prepared, type Statements } from '../platform/database/sql.js';

/** A tenant's counts by kind and key (maintained by statement triggers: see migration 1796180000000). */
export interface TenantCount {
  kind: 'gateway_status' | 'gateway_health' | 'command_state' | 'profiles' | 'active_gateways';
  key: string;
  n: number;
}

/** Every statement on tenant_counts and tenant_count_changes. */
export const STATEMENTS = {
  /** The folded counts plus the changes not folded yet (a few seconds' worth): two index scans of one tenant. */
  countsOfTenant: prepared(
    'tenant-counts',
    `SELECT kind, key, sum(n)::bigint AS n FROM (
       SELECT kind, key, n FROM tenant_counts WHERE tenant_id = $1
       UNION ALL SELECT kind, key, n FROM tenant_count_changes WHERE tenant_id = $1
     ) c GROUP BY kind, key HAVING sum(n) <> 0 ORDER BY kind, key`,
  ),
  /** Moves the pending changes into the counts, in one statement (rows taken in key order: no deadlock). */
  fold: prepared(
    'fold-tenant-counts',
    `WITH taken AS (DELETE FROM tenant_count_changes RETURNING tenant_id, kind, key, n),
          summed AS (SELECT tenant_id, kind, key, sum(n) AS n FROM taken GROUP BY 1, 2, 3)
     INSERT INTO tenant_counts AS c (tenant_id, kind, key, n) SELECT tenant_id, kind, key, n FROM summed ORDER BY 1, 2, 3
     ON CONFLICT (tenant_id, kind, key) DO UPDATE SET n = c.n + EXCLUDED.n`,
  ),
} satisfies Statements;

/** Per-tenant counts of gateways, commands and profiles, for the fleet status. */
@Injectable()
export class TenantCountsStore {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async counts(tenantId: string): Promise<TenantCount[]> {
    const rows: { kind: TenantCount['kind']; key: string; n: string }[] = await this.dataSource.query(STATEMENTS.countsOfTenant, [
      tenantId,
    ]);
    return rows.map((row) => ({ kind: row.kind, key: row.key, n: Number(row.n) }));
  }

  async fold(): Promise<void> {
    await this.dataSource.query(STATEMENTS.fold);
  }
}
