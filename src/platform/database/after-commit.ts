import type { DataSource, EntityManager } from 'typeorm';

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
export async function transactionWithEffects<T>(dataSource: DataSource, work: (manager: EntityManager, after: AfterCommit) => Promise<T>): Promise<T> {
  const after = new AfterCommit();
  const result = await dataSource.transaction((manager) => work(manager, after));
  await after.run();
  return result;
}
