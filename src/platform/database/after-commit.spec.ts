import type { DataSource, EntityManager } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { transactionWithEffects } from './after-commit.js';

/** A data source whose transactions fail with the given errors, in order, then succeed. */
function dataSourceFailing(...errors: Error[]): DataSource {
  return {
    transaction: async (work: (manager: EntityManager) => Promise<unknown>) => {
      const result = await work({} as EntityManager);
      const error = errors.shift();
      if (error) throw error;
      return result;
    },
  } as unknown as DataSource;
}

const withCode = (code: string) => Object.assign(new Error(code), { code });

describe('transactionWithEffects', () => {
  it("retries a deadlock victim whole, and runs only the committed attempt's effects", async () => {
    const ran: number[] = [];
    let attempt = 0;
    const result = await transactionWithEffects(dataSourceFailing(withCode('40P01')), async (_manager, after) => {
      const mine = ++attempt;
      after.add(async () => ran.push(mine));
      return mine;
    });
    expect(result).toBe(2);
    expect(ran).toEqual([2]);
  });

  it('gives up after three deadlocks, and never retries other errors', async () => {
    await expect(
      transactionWithEffects(dataSourceFailing(withCode('40P01'), withCode('40P01'), withCode('40P01')), async () => 1),
    ).rejects.toThrow('40P01');
    let attempts = 0;
    await expect(
      transactionWithEffects(dataSourceFailing(withCode('23505')), async () => {
        attempts++;
      }),
    ).rejects.toThrow('23505');
    expect(attempts).toBe(1);
  });
});
