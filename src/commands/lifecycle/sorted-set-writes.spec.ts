import { describe, expect, it } from 'vitest';
import { SortedSetWrites, type SortedSetClient } from './sorted-set-writes.js';

/** Records the commands as Redis would receive them; `fail` makes the commands on that key fail. */
function recordingClient(fail?: string): SortedSetClient & { sent: string[] } {
  const sent: string[] = [];
  const answer = (key: string) => (key === fail ? Promise.reject(new Error(`${key} unreachable`)) : Promise.resolve(1));
  return {
    sent,
    zadd: (key, ...args) => {
      sent.push(`ZADD ${key} ${args.join(' ')}`);
      return answer(key);
    },
    zrem: (key, ...members) => {
      sent.push(`ZREM ${key} ${members.join(' ')}`);
      return answer(key);
    },
  };
}

describe('SortedSetWrites', () => {
  it('merges the writes of one turn per key into one command per run of a kind, in the order they were made', async () => {
    const client = recordingClient();
    const writes = new SortedSetWrites(client);
    await Promise.all([
      writes.add('a', [1, 'x|a|1']),
      writes.add('b', [2, 'y|a|1']),
      writes.add('a', [3, 'z|a|1', 4, 'w|d']),
      writes.remove('a', ['x|a|1']),
      writes.remove('a', ['z|a|1', 'z|d']),
      writes.add('a', [5, 'x|t']),
    ]);
    expect(client.sent).toEqual(['ZADD a 1 x|a|1 3 z|a|1 4 w|d', 'ZREM a x|a|1 z|a|1 z|d', 'ZADD a 5 x|t', 'ZADD b 2 y|a|1']);
  });

  it('nothing is sent before the turn ends, and writes of a later turn go in a command of their own', async () => {
    const client = recordingClient();
    const writes = new SortedSetWrites(client);
    const first = writes.add('a', [1, 'm1']);
    expect(client.sent).toEqual([]);
    await first;
    await writes.add('a', [2, 'm2']);
    expect(client.sent).toEqual(['ZADD a 1 m1', 'ZADD a 2 m2']);
  });

  it('a failed command fails every write it carried, and only those', async () => {
    const writes = new SortedSetWrites(recordingClient('down'));
    const outcomes = await Promise.allSettled([writes.add('down', [1, 'm1']), writes.remove('down', ['m2']), writes.add('up', [1, 'm3'])]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    expect((outcomes[0] as PromiseRejectedResult).reason).toMatchObject({ message: 'down unreachable' });
  });

  it('an empty write sends nothing', async () => {
    const client = recordingClient();
    await new SortedSetWrites(client).remove('a', []);
    expect(client.sent).toEqual([]);
  });
});
