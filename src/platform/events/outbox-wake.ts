import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import {
  DataSource,
  type EntityManager,
  type EntitySubscriberInterface,
  type QueryRunner,
  type TransactionCommitEvent,
  type TransactionRollbackEvent,
} from 'typeorm';
import { OutboxStore } from './outbox.store.js';

/**
 * Wakes the outbox relay (a `pg_notify` its LISTEN connection hears) once a transaction that wrote
 * outgoing events has committed. A NOTIFY inside each such transaction would be simpler, but
 * Postgres holds one global lock from a notifying transaction's commit until its WAL is flushed:
 * every change of the service then committed one fsync after another (about 150 a second here).
 * Here the notify is its own statement after the commit, and at most one is in flight per process,
 * so a burst of commits costs one or two. If the process dies before it, the relay's poll finds
 * the events a moment later.
 */
@Injectable()
export class OutboxWake implements OnModuleInit, EntitySubscriberInterface {
  private readonly logger = new Logger(OutboxWake.name);
  /** Transactions (by their query runner) that wrote outgoing events and have not ended yet. */
  private readonly pending = new WeakSet<QueryRunner>();
  private notifying = false;
  private again = false;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(OutboxStore) private readonly store: OutboxStore,
  ) {}

  onModuleInit(): void {
    // TypeORM tells its subscribers when a transaction commits or rolls back.
    this.dataSource.subscribers.push(this);
  }

  /** `manager` wrote outgoing events: wake the relay when its transaction commits (at once if it has none). */
  afterCommitOf(manager: EntityManager): void {
    const runner = manager.queryRunner;
    if (runner?.isTransactionActive) this.pending.add(runner);
    else this.request();
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    // A released savepoint also "commits": wait for the outermost transaction.
    if (event.queryRunner.isTransactionActive || !this.pending.has(event.queryRunner)) return;
    this.pending.delete(event.queryRunner);
    this.request();
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (!event.queryRunner.isTransactionActive) this.pending.delete(event.queryRunner);
  }

  private request(): void {
    if (this.notifying) {
      this.again = true;
      return;
    }
    this.notifying = true;
    void this.notify();
  }

  private async notify(): Promise<void> {
    do {
      this.again = false;
      await this.store
        .notify()
        .catch((error: unknown) => this.logger.warn({ err: error }, 'could not wake the outbox relay; its poll will find the events'));
    } while (this.again && this.dataSource.isInitialized);
    this.notifying = false;
  }
}
