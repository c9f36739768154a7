import { Inject, Injectable } from '@nestjs/common';
import type { TenantScope } from '../auth/tenant-scope.js';
import type { Page, PageRequest } from '../pagination/cursor.js';
import { invalidRequest } from '../errors/domain-error.js';
import { AuditEventView } from './audit-event.view.js';
import { AuditExportStore } from './audit-export.store.js';
import { AuditStore, type AuditEventRow } from './audit.store.js';

/** Rows per statement of an export: the export holds one batch in memory, never the whole range. */
export const EXPORT_BATCH = 1000;
const EARLIEST = new Date('1970-01-01T00:00:00Z');
const LATEST = new Date('9999-12-31T23:59:59.999Z');

/** Reads the audit log (writing is ChangeRecorder's, inside each change's transaction). */
@Injectable()
export class AuditLogService {
  constructor(
    @Inject(AuditStore) private readonly store: AuditStore,
    @Inject(AuditExportStore) private readonly exports: AuditExportStore,
  ) {}

  list(scope: TenantScope, page: PageRequest): Promise<Page<AuditEventRow>> {
    return this.store.list(scope.tenantId, page);
  }

  /**
   * The tenant's events with `from <= createdAt < to`, oldest first, as NDJSON text (one
   * AuditEventView per line), read a batch at a time as the consumer asks for more. The range is
   * checked before the first byte, so a bad one is a 400 and not a broken stream.
   */
  export(scope: TenantScope, range: { from: string; to: string }): AsyncIterable<string> {
    const from = new Date(range.from);
    const to = new Date(range.to);
    for (const [field, at] of [
      ['from', from],
      ['to', to],
    ] as const) {
      // Postgres cannot take every time JavaScript can (year 0, or beyond 9999 in ISO form).
      if (!(at.getTime() >= EARLIEST.getTime() && at.getTime() <= LATEST.getTime())) {
        throw invalidRequest(`${field} must be between ${EARLIEST.toISOString()} and ${LATEST.toISOString()}`, [
          { field, message: `${field} is out of range` },
        ]);
      }
    }
    if (!(from.getTime() < to.getTime())) {
      throw invalidRequest('from must be before to', [{ field: 'from', message: 'from must be before to' }]);
    }
    const exports = this.exports;
    return (async function* () {
      let after: { position: string; id: string } | null = null;
      for (;;) {
        const rows = await exports.batch(scope.tenantId, from, to, after, EXPORT_BATCH);
        if (!rows.length) return;
        yield rows
          .map(
            (row) =>
              JSON.stringify(
                Object.assign(new AuditEventView(), {
                  id: row.id,
                  tenantId: row.tenant_id,
                  actorType: row.actor_type,
                  actorId: row.actor_id,
                  action: row.action,
                  targetType: row.target_type,
                  targetId: row.target_id,
                  before: row.before,
                  after: row.after,
                  createdAt: row.created_at,
                }),
              ) + '\n',
          )
          .join('');
        if (rows.length < EXPORT_BATCH) return;
        const last = rows[rows.length - 1];
        after = { position: last.position, id: last.id };
      }
    })();
  }
}
