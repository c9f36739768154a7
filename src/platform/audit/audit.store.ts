import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { prepared, type Statements } from '../database/sql.js';
import { paginate, type Page, type PageRequest } from '../pagination/cursor.js';
import { AuditEventEntity } from './audit-event.entity.js';
import type { RecordedChange } from './change-recorder.js';
import { currentCarrier, TRACE_FIELD } from '../tracing/tracing.js';

/** The columns of a change as statements read them (`insertChangesFrom` stores them), with their types. */
const CHANGE_COLUMNS =
  'tenant_id uuid, actor_type text, actor_id text, action text, target_type text, target_id uuid, before jsonb, after jsonb, topic text, payload jsonb';

/**
 * Changes as rows (a FROM item named `change`, the columns `insertChangesFrom` stores), from one JSON parameter `$first` (an array of
 * objects), filled by `changeArrays`. One JSON text rather than ten arrays: pg writes an array
 * parameter element by element, escaping every JSON document in it (two regular-expression passes
 * each), which was a visible share of a bulk command's CPU, where hundreds of changes go in one
 * statement; JSON.stringify of the whole list is one native pass. Rows come in the list's order (the
 * outbox keeps it).
 */
export function unnestChanges(first: number): string {
  return `jsonb_to_recordset($${first}::jsonb) AS change(${CHANGE_COLUMNS})`;
}

/** The parameters of `unnestChanges`, in its order (one). An absent key is SQL NULL. */
export function changeArrays(changes: RecordedChange[]): unknown[] {
  return [
    JSON.stringify(
      changes.map((c) => ({
        tenant_id: c.tenantId,
        actor_type: c.actor.type,
        actor_id: c.actor.id ?? undefined,
        action: c.action,
        target_type: c.targetType,
        target_id: c.targetId,
        before: c.before ?? undefined,
        after: c.after ?? undefined,
        topic: c.event?.topic,
        // With tracing on, the event carries the writer's trace context (`_trace`); the relay takes it out.
        payload: c.event ? withTrace(c.event.payload) : undefined,
      })),
    ),
  ];
}

/**
 * The audit events and outgoing events (those with a topic) of the rows of the CTE `source`, whose
 * columns are those of `unnestChanges`, as two CTEs (`audit`, `event`) of a statement that may also
 * make the changes themselves: then state, audit log and notifications commit together even
 * without a transaction around them.
 */
export function insertChangesFrom(source: string): string {
  return `audit AS (
      INSERT INTO audit_events (tenant_id, actor_type, actor_id, action, target_type, target_id, before, after)
      SELECT tenant_id, actor_type, actor_id, action, target_type, target_id, before, after FROM ${source}),
    event AS (
      INSERT INTO outbox_events (tenant_id, topic, payload) SELECT tenant_id, topic, payload FROM ${source} WHERE topic IS NOT NULL)`;
}

/** The audit log's and the outbox's statements (the audit_events and outbox_events tables). */
export const STATEMENTS = {
  // One statement for both tables: each round trip to Postgres is most of a small change's cost.
  recordChanges: prepared(
    'record-changes',
    `WITH change AS (SELECT * FROM ${unnestChanges(1)}), ${insertChangesFrom('change')} SELECT count(*) FROM change`,
  ),
} satisfies Statements;

/** Audit events and outgoing events of many changes, in the caller's transaction, in one statement. */
export async function insertChanges(manager: EntityManager, changes: RecordedChange[]): Promise<void> {
  await manager.query(STATEMENTS.recordChanges, changeArrays(changes));
}

/** Reads of audit_events (the export's batches are audit-export.store.ts's). */
@Injectable()
export class AuditStore {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /**
   * A tenant's audit events, newest first: a keyset page. Built per call by `paginate` (its shape
   * depends on the cursor), like every store's pages, so it is not among the named statements.
   */
  list(tenantId: string, page: PageRequest): Promise<Page<AuditEventEntity>> {
    const query = this.dataSource.manager.createQueryBuilder(AuditEventEntity, 'event').where('event.tenant_id = :tenantId', { tenantId });
    return paginate(query, page, { alias: 'event', column: 'created_at', property: 'createdAt' });
  }
}

function withTrace(payload: object): object {
  const carrier = currentCarrier();
  return carrier ? { ...payload, [TRACE_FIELD]: carrier } : payload;
}
