import { setTimeout as sleep } from 'node:timers/promises';
import { isDeadlock } from './postgres-errors.js';

const DEADLOCK_ATTEMPTS = 3;

/**
 * Runs `work` again, up to three times in all, when Postgres chose it as a deadlock's victim: it
 * rolled the victim back whole. Only for work that is safe to start over: a whole transaction, or
 * one idempotent statement. It waits a moment first (25-50 ms, then 50-100 ms), for the other side
 * to take the locks it was waiting for: started again at once, the victim can take one of them
 * first and meet the same deadlock again (seen in the last-seen flush's test).
 */
export async function retryDeadlockVictim<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= DEADLOCK_ATTEMPTS || !isDeadlock(error)) throw error;
      await sleep(25 * attempt * (1 + Math.random()));
    }
  }
}
