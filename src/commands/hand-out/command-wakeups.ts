import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpShutdown } from '../../platform/http/http-shutdown.js';
import { REDIS, type RedisClient, RedisConnections } from '../../platform/redis/redis.module.js';
import { sendTogether } from '../../platform/redis/send-together.js';

/** A held long poll, as the wake-ups see it. */
export interface Waiter {
  /** A command may wait for its gateway (or the service is closing): look at the queue again. */
  wake(): void;
}

/**
 * Cross-process wake-ups for long polls: a command queued through any process publishes the
 * gateway's id on one Redis channel; the process holding that gateway's long poll wakes it.
 */
@Injectable()
export class CommandWakeups implements OnModuleInit {
  /** Gateway id → its held poll, or its polls when it holds more than one (a Set per gateway cost more than the poll). */
  private readonly waiters = new Map<string, Waiter | Waiter[]>();
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
    await sendTogether(
      this.redis,
      [...new Set(gatewayIds)].map((id) => ['publish', this.channel, id]),
    );
  }

  /**
   * Wakes `waiter` whenever a command is queued for this gateway (on any process), until `remove`.
   * Add it before looking at the queue: a command queued between the look and the wait then still
   * wakes it.
   */
  add(gatewayId: string, waiter: Waiter): void {
    const held = this.waiters.get(gatewayId);
    if (held === undefined) this.waiters.set(gatewayId, waiter);
    else if (Array.isArray(held)) held.push(waiter);
    else this.waiters.set(gatewayId, [held, waiter]);
  }

  remove(gatewayId: string, waiter: Waiter): void {
    const held = this.waiters.get(gatewayId);
    if (held === waiter) this.waiters.delete(gatewayId);
    else if (Array.isArray(held)) {
      const index = held.indexOf(waiter);
      if (index !== -1) held.splice(index, 1);
      if (held.length === 1) this.waiters.set(gatewayId, held[0]!);
      else if (!held.length) this.waiters.delete(gatewayId);
    }
  }

  /** How many polls are held on this process. */
  get held(): number {
    let count = 0;
    for (const held of this.waiters.values()) count += Array.isArray(held) ? held.length : 1;
    return count;
  }

  get isClosing(): boolean {
    return this.closing;
  }

  private wakeLocal(gatewayId: string): void {
    const held = this.waiters.get(gatewayId);
    if (held !== undefined) wakeEach(held);
  }

  /** Long polls end cleanly at shutdown: each answers with what it has (usually nothing). */
  private closeAll(): void {
    this.closing = true;
    for (const held of [...this.waiters.values()]) wakeEach(held);
  }
}

/** Wakes a gateway's held poll, or each of its polls (a copy: a woken poll may answer, and leave the list, at once). */
function wakeEach(held: Waiter | Waiter[]): void {
  if (Array.isArray(held)) for (const waiter of [...held]) waiter.wake();
  else held.wake();
}
