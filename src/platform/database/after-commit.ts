import { Logger } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { isDependencyOutage } from '../errors/outage.js';
import { loggableError } from '../errors/loggable-error.js';
import { retryDeadlockVictim } from './deadlock-retry.js';

const logger = new Logger('AfterCommit');

/**
 * Side effects that must wait for a transaction to commit (a queue job, a Redis wake-up): running
 * them earlier could announce a change that then rolls back. If the process dies between the
 * commit and these, the periodic sweeps pick up what they missed.
 */
export class AfterCommit {
  private readonly tasks: { task: () => Promise<unknown>; sweptIfLost: boolean }[] = [];

  /**
   * `sweptIfLost`: a periodic sweep does this task's work if it is lost (a deadline's delayed job,
   * a "commands waiting" flag): then a dependency outage that fails it is logged and the request
   * still answers its committed result. Answering 503 would tell the caller the change did not
   * happen, and a retry without an Idempotency-Key would make it twice (a command queued while
   * Redis was down; the fault tests).
   */
  add(task: () => Promise<unknown>, options: { sweptIfLost?: boolean } = {}): void {
    this.tasks.push({ task, sweptIfLost: options.sweptIfLost ?? false });
  }

  async run(): Promise<void> {
    for (const { task, sweptIfLost } of this.tasks) {
      try {
        await task();
      } catch (error) {
        if (!sweptIfLost || !isDependencyOutage(error)) throw error;
        logger.warn({ err: loggableError(error) }, 'committed; an after-commit effect is left to the sweep (dependency unreachable)');
      }
    }
  }
}

/**
 * A transaction whose `after` tasks run once it committed (and not at all if it rolled back).
 * A deadlock's victim runs again whole: a user's edit (a profile's configuration while its gateway
 * writes) should not answer 500 for it.
 */
export function transactionWithEffects<T>(
  dataSource: DataSource,
  work: (manager: EntityManager, after: AfterCommit) => Promise<T>,
): Promise<T> {
  return retryDeadlockVictim(async () => {
    // A fresh set of effects per attempt: a rolled-back attempt's effects must never run.
    const after = new AfterCommit();
    const result = await dataSource.transaction((manager) => work(manager, after));
    await after.run();
    return result;
  });
}
