import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { HttpShutdown } from '../../platform/http/http-shutdown.js';
import type { RedisClient, RedisConnections } from '../../platform/redis/redis.module.js';
import type { GatewayLiveState } from '../../gateways/gateway-live-state.js';
import type { CommandsStore } from '../commands.store.js';
import { CommandHandOut } from './command-hand-out.service.js';
import { CommandWakeups } from './command-wakeups.js';

const wakeups = () =>
  new CommandWakeups(
    {} as RedisClient,
    { key: (...parts: string[]) => parts.join(':') } as unknown as RedisConnections,
    {} as HttpShutdown,
  );

/** Resolves with how long `promise` took, in ms. */
const timed = async (promise: Promise<unknown>) => {
  const startedAt = performance.now();
  await promise;
  return performance.now() - startedAt;
};

describe('long-poll waiters (CommandWakeups.register)', () => {
  it('a wake-up ends the wait at once, and one that came before the wait is kept for it', async () => {
    const waiter = wakeups().register('gw-1');
    const waiting = waiter.wait(5_000);
    waiter.wake();
    expect(await timed(waiting)).toBeLessThan(1_000);
    waiter.wake();
    expect(await timed(waiter.wait(5_000))).toBeLessThan(1_000);
    // The kept wake-up was used: the next wait runs its time.
    expect(await timed(waiter.wait(50))).toBeGreaterThanOrEqual(40);
    waiter.close();
  });
});

describe('long poll (CommandHandOut.longPoll)', () => {
  it('a gateway that hangs up ends its poll at once, with nothing handed out and its listener removed', async () => {
    let handOuts = 0;
    const handOut = new CommandHandOut(
      {} as CommandsStore,
      {
        takeCommandsWaiting: async () => {
          handOuts += 1;
          return false;
        },
      } as unknown as GatewayLiveState,
      {} as never,
      wakeups(),
      {} as never,
      {} as never,
      {} as never,
    );
    const request = new EventEmitter();
    const gateway = {
      kind: 'gateway',
      gatewayId: 'gw-1',
      tenantId: 't',
      profileId: 'p',
      gatewayType: 'CLASSIC',
      credentialGeneration: 1,
    } as const;
    const poll = handOut.longPoll(gateway, 30, request);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(request.listenerCount('close')).toBe(1);
    request.emit('close');
    expect(await timed(poll)).toBeLessThan(1_000);
    expect(await poll).toEqual([]);
    // Only the first look at the queue: none after the hang-up.
    expect(handOuts).toBe(1);
    expect(request.listenerCount('close')).toBe(0);
  });
});
