/** What SortedSetWrites sends its commands through (the shared ioredis client). */
export interface SortedSetClient {
  zadd(key: string, ...scoresAndMembers: (string | number)[]): Promise<unknown>;
  zrem(key: string, ...members: string[]): Promise<unknown>;
}

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** A run of writes of one kind to one key: one command carries them all. */
interface Run {
  kind: 'add' | 'remove';
  args: (string | number)[];
  waiters: Waiter[];
}

/**
 * Sorted-set writes made in the same turn of the event loop, merged per key into as few commands
 * as their order allows (consecutive additions into one ZADD, consecutive removals into one ZREM):
 * during a bulk command every hand-out, acknowledgement and end writes its command's deadlines, a
 * thousand a second, and each command is an ioredis object, a promise, a timer and a reply (a
 * tenth of the service's allocations were its Redis commands). Each caller's promise settles
 * with the command that carried its write, so a caller that awaits it knows its write is in Redis
 * (or gets the error) as before; writes to one key made through this object keep their order,
 * since the commands go out on one connection in the order they were made (a write sent to the
 * client directly in the same turn goes out before them). Merged writes share one fate: a command
 * Redis refuses fails every write it carried (the deadline sweep's Postgres backstop covers them).
 */
export class SortedSetWrites {
  private pending = new Map<string, Run[]>();
  private scheduled = false;

  constructor(private readonly client: SortedSetClient) {}

  /** ZADD key score member [score member …], merged with the other additions to `key` of this turn. */
  add(key: string, scoresAndMembers: (string | number)[]): Promise<void> {
    return this.enqueue(key, 'add', scoresAndMembers);
  }

  /** ZREM key member [member …], merged with the other removals from `key` of this turn. */
  remove(key: string, members: string[]): Promise<void> {
    return this.enqueue(key, 'remove', members);
  }

  private enqueue(key: string, kind: Run['kind'], args: (string | number)[]): Promise<void> {
    if (!args.length) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      let runs = this.pending.get(key);
      if (!runs) this.pending.set(key, (runs = []));
      const last = runs[runs.length - 1];
      if (last?.kind === kind) {
        for (const arg of args) last.args.push(arg);
        last.waiters.push({ resolve, reject });
      } else {
        runs.push({ kind, args: [...args], waiters: [{ resolve, reject }] });
      }
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const pending = this.pending;
    this.pending = new Map();
    for (const [key, runs] of pending) {
      for (const run of runs) {
        let sent: Promise<unknown>;
        try {
          sent = run.kind === 'add' ? this.client.zadd(key, ...run.args) : this.client.zrem(key, ...(run.args as string[]));
        } catch (error) {
          sent = Promise.reject(error);
        }
        sent.then(
          () => run.waiters.forEach((waiter) => waiter.resolve()),
          (error: unknown) => run.waiters.forEach((waiter) => waiter.reject(error)),
        );
      }
    }
  }
}
