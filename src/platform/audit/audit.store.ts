import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { prepared, type Statements } from '../database/sql.js';
import { paginate, type Page, type PageRequest } from '../pagination/cursor.js';
import { AuditEventEntity } from './audit-event.entity.js';
import type { RecordedChange } from './change-recorder.js';
import { currentCarrier, TRACE_FIELD } from '../tracing/tracing.js';

/** The columns of a change as statements read them: `unnestChanges` makes rows of them, `insertChangesFrom` stores them. */
const CHANGE_COLUMNS = 'tenant_id, actor_type, actor_id, action, target_type, target_id, before, after, topic, payload';

/** Changes as rows (a FROM item named `change`), from ten array parameters starting at `$first`, filled by `changeArrays`. */
export function unnestChanges(first: number): string {
  const types = ['uuid', 'text', 'text', 'text', 'text', 'uuid', 'jsonb', 'jsonb', 'text', 'jsonb'];
  return `unnest(${types.map((type, i) => `$${first + i}::${type}[]`).join(', ')}) AS change(${CHANGE_COLUMNS})`;
}

/** The parameters of `unnestChanges`, in its order. */
export function changeArrays(changes: RecordedChange[]): unknown[][] {
  return [
    changes.map((c) => c.tenantId),
    changes.map((c) => c.actor.type),
    changes.map((c) => c.actor.id),
    changes.map((c) => c.action),
    changes.map((c) => c.targetType),
    changes.map((c) => c.targetId),
    changes.map((c) => (c.before ? JSON.stringify(c.before) : null)),
    changes.map((c) => (c.after ? JSON.stringify(c.after) : null)),
    changes.map((c) => c.event?.topic ?? null),
    // With tracing on, the event carries the writer's trace context (`_trace`); the relay takes it out.
    changes.map((c) => (c.event ? JSON.stringify(withTrace(c.event.payload)) : null)),
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
