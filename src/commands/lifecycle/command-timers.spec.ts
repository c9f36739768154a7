import { describe, expect, it } from 'vitest';
import { DEADLINE_SHARDS, deadlineShard, parseDeadline } from './command-timers.js';

const id = '8f14e45f-ceea-467f-a0e6-7b6c3b1d2e4a';

describe('command deadline members', () => {
  it('name the timer event each deadline raises', () => {
    expect(parseDeadline(`${id}|d`)).toEqual({ member: `${id}|d`, commandId: id, event: { type: 'DELIVER_BY_PASSED' } });
    expect(parseDeadline(`${id}|t`)).toEqual({ member: `${id}|t`, commandId: id, event: { type: 'TIME_LIMIT_PASSED' } });
    expect(parseDeadline(`${id}|a|2`)).toEqual({ member: `${id}|a|2`, commandId: id, event: { type: 'REDELIVER_TIMEOUT', deliveries: 2 } });
  });

  it('a member this code did not write is not a deadline', () => {
    for (const member of ['', id, `${id}|x`, `${id}|a`, `${id}|a|0`, `${id}|a|two`, '|d']) expect(parseDeadline(member)).toBeNull();
  });

  it('spreads commands over every shard', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 4096; i++) seen.add(deadlineShard(`${i.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`));
    expect(seen.size).toBe(DEADLINE_SHARDS);
    expect(deadlineShard(id)).toBe(Number.parseInt('8f14e45f', 16) % DEADLINE_SHARDS);
  });
});
