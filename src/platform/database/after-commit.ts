import type { DataSource, EntityManager } from 'typeorm';
import { isDeadlock } from './postgres-errors.js';

/**
 * Side effects that must wait for a transaction to commit (a queue job, a Redis wake-up): running
 * them earlier could announce a change that then rolls back. If the process dies between the
 * commit and these, the periodic sweeps pick up what they missed.
 */
export class AfterCommit {
  private readonly tasks: (() => Promise<unknown>)[] = [];

  add(task: () => Promise<unknown>): void {
    this.tasks.push(task);
  }

  async run(): Promise<void> {
    for (const task of this.tasks) await task();
  }
}

/** A transaction whose `after` tasks run once it committed (and not at all if it rolled back). */
export async function transactionWithEffects<T>(
  dataSource: DataSource,
  work: (manager: EntityManager, after: AfterCommit) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    // A fresh set of effects per attempt: a rolled-back attempt's effects must never run.
    const after = new AfterCommit();
    try {
      const result = await dataSource.transaction((manager) => work(manager, after));
      await after.run();
      return result;
    } catch (error) {
      // Postgres rolled the deadlock victim back whole, so running it again is safe; a user's edit
      // (a profile's configuration while its gateway writes) should not answer 500 for it.
      if (attempt >= DEADLOCK_ATTEMPTS || !isDeadlock(error)) throw error;
    }
  }
}

const DEADLOCK_ATTEMPTS = 3;
