import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { prepared } from '../database/sql.js';
import type { Actor } from '../auth/principal.js';
import { OutboxWake } from '../events/outbox-wake.js';
import type { EventTopic } from '../events/topics.js';

export interface RecordedChange {
  tenantId: string;
  actor: Actor;
  action: string;
  targetType: string;
  targetId: string | null;
  before?: object | null;
  after?: object | null;
  /** The outgoing event of this change, if it has one. */
  event?: { topic: EventTopic; payload: object };
}

/**
 * The audit and outgoing-event inserts of one change as two CTEs (`audit`, `event`) of a statement
 * that makes the change itself: they insert one row per row of its CTE `source`, so nothing when
 * the change did not apply. Their parameters start at `$first`, in the order of `changeParameters`.
 * For hot paths that write a change in one autocommit statement instead of a transaction.
 */
export function changeInsertsFor(source: string, first: number): string {
  const $ = (offset: number) => `$${first + offset}`;
  return `audit AS (
      INSERT INTO audit_events (tenant_id, actor_type, actor_id, action, target_type, target_id, before, after)
      SELECT ${$(0)}::uuid, ${$(1)}::text, ${$(2)}::text, ${$(3)}::text, ${$(4)}::text, ${$(5)}::uuid, ${$(6)}::jsonb, ${$(7)}::jsonb FROM ${source}),
    event AS (
      INSERT INTO outbox_events (tenant_id, topic, payload)
      SELECT ${$(0)}::uuid, ${$(8)}::text, ${$(9)}::jsonb FROM ${source} WHERE ${$(8)}::text IS NOT NULL)`;
}

/** The parameters of `changeInsertsFor`, in its order. */
export function changeParameters(change: RecordedChange): unknown[] {
  return [
    change.tenantId,
    change.actor.type,
    change.actor.id,
    change.action,
    change.targetType,
    change.targetId,
    change.before ? JSON.stringify(change.before) : null,
    change.after ? JSON.stringify(change.after) : null,
    change.event?.topic ?? null,
    change.event ? JSON.stringify(change.event.payload) : null,
  ];
}

/**
 * Writes a change's audit event and outgoing event inside the caller's transaction: the state,
 * the audit log and the notifications commit together or not at all. Call `recordAll` for many
 * changes in one statement per table (bulk work, liveness sweeps).
 */
@Injectable()
export class ChangeRecorder {
  constructor(@Inject(OutboxWake) private readonly outboxWake: OutboxWake) {}

  async record(manager: EntityManager, change: RecordedChange): Promise<void> {
    await this.recordAll(manager, [change]);
  }

  async recordAll(manager: EntityManager, changes: RecordedChange[]): Promise<void> {
    if (!changes.length) return;
    const audit = [
      changes.map((c) => c.tenantId),
      changes.map((c) => c.actor.type),
      changes.map((c) => c.actor.id),
      changes.map((c) => c.action),
      changes.map((c) => c.targetType),
      changes.map((c) => c.targetId),
      changes.map((c) => (c.before ? JSON.stringify(c.before) : null)),
      changes.map((c) => (c.after ? JSON.stringify(c.after) : null)),
    ];
    const insertAudit = `INSERT INTO audit_events (tenant_id, actor_type, actor_id, action, target_type, target_id, before, after)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::uuid[], $7::jsonb[], $8::jsonb[])`;
    const events = changes.filter((c) => c.event);
    if (!events.length) {
      await manager.query(prepared('record-audit', insertAudit), audit);
      return;
    }
    // One statement for both tables: each round trip to Postgres is most of a small change's cost.
    await manager.query(
      prepared(
        'record-audit-and-event',
        `WITH audit AS (${insertAudit})
         INSERT INTO outbox_events (tenant_id, topic, payload) SELECT * FROM unnest($9::uuid[], $10::text[], $11::jsonb[])`,
      ),
      [...audit, events.map((c) => c.tenantId), events.map((c) => c.event!.topic), events.map((c) => JSON.stringify(c.event!.payload))],
    );
    this.outboxWake.afterCommitOf(manager);
  }

  /** A statement built with `changeInsertsFor` wrote an outgoing event through `manager`: wake the relay once it commits. */
  eventWritten(manager: EntityManager): void {
    this.outboxWake.afterCommitOf(manager);
  }
}
