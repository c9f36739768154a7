import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { prepared, type Statements } from '../database/sql.js';
import { decodeCursor, encodeCursor, pageLimit, type Page, type PageRequest } from '../pagination/cursor.js';
import type { AuditEventEntity } from './audit-event.entity.js';
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

/** An audit event as its view reads it: the columns under the entity's property names, so pg's rows need no entity hydration. */
export type AuditEventRow = Pick<AuditEventEntity, keyof AuditEventEntity>;
const EVENT_COLUMNS = `e.id, e.tenant_id AS "tenantId", e.actor_type AS "actorType", e.actor_id AS "actorId", e.action,
         e.target_type AS "targetType", e.target_id AS "targetId", e.before, e.after, e.created_at AS "createdAt"`;

/** The audit log's and the outbox's statements (the audit_events and outbox_events tables). */
export const STATEMENTS = {
  /**
   * A tenant's audit events, newest first: a keyset page on each month's (tenant_id, created_at, id)
   * index. A first page and a page after a cursor are two statements, so each keeps its index
   * condition under a generic plan (as the gateways' and profiles' pages).
   */
  firstPage: prepared(
    'audit-first-page',
    `SELECT ${EVENT_COLUMNS} FROM audit_events e WHERE e.tenant_id = $1 ORDER BY e.created_at DESC, e.id DESC LIMIT $2`,
  ),
  pageAfter: prepared(
    'audit-page-after',
    `SELECT ${EVENT_COLUMNS} FROM audit_events e WHERE e.tenant_id = $1 AND (e.created_at, e.id) < ($2::timestamptz, $3::uuid)
       ORDER BY e.created_at DESC, e.id DESC LIMIT $4`,
  ),
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

  /** A tenant's audit events, newest first: a keyset page, raw rows of a named statement. */
  async list(tenantId: string, page: PageRequest): Promise<Page<AuditEventRow>> {
    const limit = pageLimit(page);
    const after = page.cursor ? decodeCursor(page.cursor) : null;
    const rows: AuditEventRow[] = after
      ? await this.dataSource.query(STATEMENTS.pageAfter, [tenantId, after.at, after.id, limit + 1])
      : await this.dataSource.query(STATEMENTS.firstPage, [tenantId, limit + 1]);
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null };
  }
}

function withTrace(payload: object): object {
  const carrier = currentCarrier();
  return carrier ? { ...payload, [TRACE_FIELD]: carrier } : payload;
}
