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

  it('with maxInFlight, calls made while a batch runs wait and go together in the next one', async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const batcher = new StatementBatcher<number, number>({
      maxBatch: 100,
      maxInFlight: 1,
      keyOf: (input) => String(input),
      run: async (inputs) => {
        batches.push(inputs);
        if (inputs[0] === 1) await gate;
        return inputs;
      },
    });
    const first = batcher.submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    // Three later turns of the event loop, while the first batch runs.
    const later: Promise<number>[] = [];
    for (const value of [2, 3, 4]) {
      later.push(batcher.submit(value));
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(batches).toEqual([[1]]);
    release();
    expect(await Promise.all([first, ...later])).toEqual([1, 2, 3, 4]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('with retryAlone false, a failed batch fails every call in it, without a retry', async () => {
    const batches: number[][] = [];
    const batcher = new StatementBatcher<number, number>({
      maxBatch: 100,
      retryAlone: false,
      keyOf: (input) => String(input),
      run: async (inputs) => {
        batches.push(inputs);
        throw new Error('down');
      },
    });
    const results = await Promise.allSettled([1, 2].map((value) => batcher.submit(value)));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(batches).toEqual([[1, 2]]);
  });
});
