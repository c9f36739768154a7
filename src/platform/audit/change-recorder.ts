import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { insertChanges } from './audit.store.js';
import type { Actor } from '../auth/principal.js';
import { OutboxWake } from '../events/outbox-wake.js';
import type { EventTopic } from '../events/topics.js';

export { changeArrays, insertChangesFrom, unnestChanges } from './audit.store.js';

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
 * Writes a change's audit event and outgoing event inside the caller's transaction: the state,
 * the audit log and the notifications commit together or not at all. Call `recordAll` for many
 * changes in one statement (bulk work, liveness sweeps).
 */
@Injectable()
export class ChangeRecorder {
  constructor(@Inject(OutboxWake) private readonly outboxWake: OutboxWake) {}

  async record(manager: EntityManager, change: RecordedChange): Promise<void> {
    await this.recordAll(manager, [change]);
  }

  async recordAll(manager: EntityManager, changes: RecordedChange[]): Promise<void> {
    if (!changes.length) return;
    // One statement for both tables: each round trip to Postgres is most of a small change's cost.
    await insertChanges(manager, changes);
    if (changes.some((change) => change.event)) this.outboxWake.afterCommitOf(manager);
  }

  /** A statement built with `insertChangesFrom` wrote an outgoing event through `manager`: wake the relay once it commits. */
  eventWritten(manager: EntityManager): void {
    this.outboxWake.afterCommitOf(manager);
  }
}
