import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpShutdown } from '../../platform/http/http-shutdown.js';
import { REDIS, type RedisClient, RedisConnections } from '../../platform/redis/redis.module.js';

interface Waiter {
  wake: () => void;
}

/** One long poll's wait: a wake-up that arrives before `wait` is kept for it. */
class PollWaiter implements Waiter {
  private pending = false;
  private done: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;

  wait(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      this.done = resolve;
      this.timer = setTimeout(() => this.finish(), ms);
    });
  }

  wake(): void {
    if (this.done) this.finish();
    else this.pending = true;
  }

  private finish(): void {
    if (this.timer) clearTimeout(this.timer);
    const done = this.done;
    this.timer = null;
    this.done = null;
    done?.();
  }
}

/**
 * Cross-process wake-ups for long polls: a command queued through any process publishes the
 * gateway's id on one Redis channel; the process holding that gateway's long poll wakes it.
 */
@Injectable()
export class CommandWakeups implements OnModuleInit {
  private readonly waiters = new Map<string, Set<Waiter>>();
  private readonly channel: string;
  private subscriber: RedisClient | null = null;
  private closing = false;

  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(RedisConnections) private readonly connections: RedisConnections,
    @Inject(HttpShutdown) private readonly httpShutdown: HttpShutdown,
  ) {
    this.channel = connections.key('command-wakeups');
  }

  async onModuleInit(): Promise<void> {
    this.httpShutdown.onClosing(() => this.closeAll());
    this.subscriber = this.connections.open('command-wakeups');
    this.subscriber.on('message', (_channel: string, gatewayId: string) => this.wakeLocal(gatewayId));
    await this.subscriber.subscribe(this.channel);
  }

  /** Tells every process that these gateways have commands waiting. */
  async publish(gatewayIds: Iterable<string>): Promise<void> {
    // Auto-pipelined by the shared client: one write for the lot (a cluster client routes them too).
    await Promise.all([...new Set(gatewayIds)].map((id) => this.redis.publish(this.channel, id)));
  }

  /**
   * Waits for a wake-up of this gateway, at most `ms`. Register before reading the queue: a
   * command queued between the read and the wait then still wakes it. `wake()` ends a wait (or
   * the next one) early: the caller's own reason (its client hung up).
   *
   * Ten thousand of these are held at once (one per long poll), so each is kept small: one object,
   * one timer while it waits, no AbortSignal (an EventTarget, and a DOMException with a stack
   * trace at every abort: the poll's 'close' fires at every answer).
   */
  register(gatewayId: string): { wait(ms: number): Promise<void>; wake(): void; close(): void } {
    const waiter = new PollWaiter();
    const set = this.waiters.get(gatewayId) ?? new Set<Waiter>();
    set.add(waiter);
    this.waiters.set(gatewayId, set);
    return {
      wait: (ms) => (this.closing ? Promise.resolve() : waiter.wait(ms)),
      wake: () => waiter.wake(),
      close: () => {
        waiter.wake();
        set.delete(waiter);
        if (!set.size) this.waiters.delete(gatewayId);
      },
    };
  }

  get isClosing(): boolean {
    return this.closing;
  }

  private wakeLocal(gatewayId: string): void {
    for (const waiter of this.waiters.get(gatewayId) ?? []) waiter.wake();
  }

  /** Long polls end cleanly at shutdown: each answers with what it has (usually nothing). */
  private closeAll(): void {
    this.closing = true;
    for (const set of this.waiters.values()) for (const waiter of set) waiter.wake();
  }
}
