import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { prepared, type Statements } from '../database/sql.js';

export interface AuditExportRow {
  id: string;
  tenant_id: string;
  actor_type: string;
  actor_id: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  created_at: Date;
  /** created_at as Postgres prints it, to the microsecond: the next batch's cursor (a JS Date keeps milliseconds only). */
  position: string;
}

export const STATEMENTS = {
  batch: prepared(
    'audit-export-batch',
    `SELECT id, tenant_id, actor_type, actor_id, action, target_type, target_id, before, after, created_at, created_at::text AS position
     FROM audit_events
     WHERE tenant_id = $1 AND created_at >= $2 AND created_at < $3
       AND ($4::timestamptz IS NULL OR (created_at, id) > ($4::timestamptz, $5::uuid))
     ORDER BY created_at, id LIMIT $6`,
  ),
} satisfies Statements;

/** The audit export's statement: one tenant's events in a time range, oldest first, a batch at a time. */
@Injectable()
export class AuditExportStore {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /**
   * The batch after `after` (exclusive), by `(created_at, id)` on the tenant's index. The time
   * bounds let Postgres read only the month partitions of the range.
   */
  batch(tenantId: string, from: Date, to: Date, after: { position: string; id: string } | null, limit: number): Promise<AuditExportRow[]> {
    return this.dataSource.query(STATEMENTS.batch, [tenantId, from, to, after?.position ?? null, after?.id ?? null, limit]);
  }
}
