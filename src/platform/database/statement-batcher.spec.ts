import { describe, expect, it } from 'vitest';
import { StatementBatcher } from './statement-batcher.js';

/** A batcher over a fake statement that records each batch and doubles its inputs, failing on any negative one. */
function recording(maxBatch = 100) {
  const batches: number[][] = [];
  const failures: number[] = [];
  const batcher = new StatementBatcher<{ key: string; value: number }, number>({
    maxBatch,
    keyOf: (input) => input.key,
    run: async (inputs) => {
      batches.push(inputs.map((input) => input.value));
      if (inputs.some((input) => input.value < 0)) throw new Error(`refused ${inputs.map((input) => input.value).join(',')}`);
      return inputs.map((input) => input.value * 2);
    },
    onBatchFailed: (_error, size) => failures.push(size),
  });
  return { batcher, batches, failures };
}

describe('StatementBatcher', () => {
  it('runs the calls of one turn of the event loop as one batch and answers each its own output', async () => {
    const { batcher, batches } = recording();
    const outputs = await Promise.all([1, 2, 3].map((value) => batcher.submit({ key: `k${value}`, value })));
    expect(outputs).toEqual([2, 4, 6]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('runs calls of later turns in later batches', async () => {
    const { batcher, batches } = recording();
    const first = batcher.submit({ key: 'a', value: 1 });
    await first;
    await batcher.submit({ key: 'b', value: 2 });
    expect(batches).toEqual([[1], [2]]);
  });

  it('never puts two calls with one key in a batch, and splits past maxBatch', async () => {
    const { batcher, batches } = recording(2);
    const outputs = await Promise.all([
      batcher.submit({ key: 'same', value: 1 }),
      batcher.submit({ key: 'same', value: 2 }),
      batcher.submit({ key: 'other', value: 3 }),
      batcher.submit({ key: 'third', value: 4 }),
    ]);
    expect(outputs).toEqual([2, 4, 6, 8]);
    expect(batches).toEqual([
      [1, 3],
      [2, 4],
    ]);
  });

  it('retries a failed batch call by call: only the failing call gets the error', async () => {
    const { batcher, batches, failures } = recording();
    const results = await Promise.allSettled([1, -1, 2].map((value) => batcher.submit({ key: `k${value}`, value })));
    expect(results).toEqual([
      { status: 'fulfilled', value: 2 },
      { status: 'rejected', reason: new Error('refused -1') },
      { status: 'fulfilled', value: 4 },
    ]);
    expect(failures).toEqual([3]);
    expect(batches).toEqual([[1, -1, 2], [1], [-1], [2]]);
  });
});
