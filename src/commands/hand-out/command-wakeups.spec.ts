import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import type { HttpShutdown } from '../../platform/http/http-shutdown.js';
import type { RedisClient, RedisConnections } from '../../platform/redis/redis.module.js';
import type { GatewayLiveState } from '../../gateways/gateway-live-state.js';
import type { ProtocolCommand } from '../../gateways/protocol-command.js';
import type { CommandsStore } from '../commands.store.js';
import { CommandHandOut } from './command-hand-out.service.js';
import { CommandWakeups } from './command-wakeups.js';
import { DeadlineClock, type Timed } from './deadline-clock.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Wake-ups whose shutdown listener and Redis messages the test drives itself. */
function wakeups() {
  let closing: () => void = () => undefined;
  let message: (channel: string, gatewayId: string) => void = () => undefined;
  const subscriber = {
    on: (_event: string, listener: typeof message) => (message = listener),
    subscribe: async () => undefined,
  };
  const instance = new CommandWakeups(
    {} as RedisClient,
    { key: (...parts: string[]) => parts.join(':'), open: () => subscriber } as unknown as RedisConnections,
    { onClosing: (listener: () => void) => (closing = listener) } as unknown as HttpShutdown,
  );
  return {
    instance,
    ready: instance.onModuleInit(),
    /** A command queued for this gateway (on any process). */
    publish: (gatewayId: string) => message('command-wakeups', gatewayId),
    shutDown: () => closing(),
  };
}

const gateway = {
  kind: 'gateway',
  gatewayId: 'gw-1',
  tenantId: 't',
  profileId: 'p',
  gatewayType: 'CLASSIC',
  credentialGeneration: 1,
} as const;

const aCommand = (id: string): ProtocolCommand => ({
  commandId: id,
  sequence: 1,
  type: 'PING',
  parameters: {},
  issuedAt: new Date().toISOString(),
  deliverBy: new Date().toISOString(),
  timeoutSeconds: 60,
});

/**
 * A hand-out over a queue the test fills: every look at it (the "commands waiting" flag, then the
 * claim) is counted and can be held back until the test lets it finish.
 */
function handOutOver(wake: ReturnType<typeof wakeups>) {
  const queue: ProtocolCommand[] = [];
  const state = { looks: 0, hold: null as Promise<void> | null, failWith: null as Error | null };
  const handOut = new CommandHandOut(
    {} as CommandsStore,
    {} as GatewayLiveState,
    {} as never,
    wake.instance,
    {} as never,
    {} as never,
    {} as never,
  );
  handOut.handOut = async () => {
    state.looks += 1;
    if (state.hold) await state.hold;
    if (state.failWith) throw state.failWith;
    return queue.splice(0);
  };
  return { handOut, queue, state };
}

/** Starts a poll; resolves with its answer and how long it took. */
function poll(handOut: CommandHandOut, waitSeconds: number, connection?: EventEmitter) {
  const startedAt = performance.now();
  return new Promise<{ error: unknown; commands: ProtocolCommand[]; ms: number }>((resolve) =>
    handOut.longPoll(
      gateway,
      waitSeconds,
      (error, commands) => resolve({ error, commands, ms: performance.now() - startedAt }),
      connection,
    ),
  );
}

describe('deadline clock (one timer for every held poll)', () => {
  const timed = (now: () => number = Date.now): Timed & { dueAt: number | null } => {
    const item = {
      clockSlot: -1,
      dueAt: null as number | null,
      due: () => (item.dueAt = now()),
    };
    return item;
  };
  const timerOf = (clock: DeadlineClock) => (clock as unknown as { timer: unknown }).timer;

  it('calls due() at or after each deadline, never before, and not for a cancelled one; the timer stops when nothing is left', () => {
    // The clock's time is the test's (a stalled event loop on a busy machine cannot move it).
    let now = 10_000;
    const clock = new DeadlineClock(20, () => now);
    const [early, late, cancelled] = [timed(() => now), timed(() => now), timed(() => now)];
    clock.add(early, 10_050);
    clock.add(late, 10_150);
    clock.add(cancelled, 10_050);
    clock.cancel(cancelled);
    expect(clock.size).toBe(2);
    expect(timerOf(clock)).not.toBeNull();
    now = 10_049;
    clock.tick();
    expect(early.dueAt).toBeNull();
    now = 10_060;
    clock.tick();
    expect(early.dueAt).toBe(10_060);
    expect(late.dueAt).toBeNull();
    now = 10_149;
    clock.tick();
    expect(late.dueAt).toBeNull();
    expect(timerOf(clock)).not.toBeNull();
    now = 10_160;
    clock.tick();
    expect(late.dueAt).toBe(10_160);
    expect(cancelled.dueAt).toBeNull();
    expect(clock.size).toBe(0);
    expect(timerOf(clock)).toBeNull();
  });

  it('ticks by itself while a deadline is pending', async () => {
    const clock = new DeadlineClock(10);
    const item = timed();
    const start = Date.now();
    clock.add(item, start + 30);
    await vi.waitFor(() => expect(item.dueAt).not.toBeNull(), { timeout: 5_000, interval: 10 });
    expect(item.dueAt! - start).toBeGreaterThanOrEqual(30);
    expect(timerOf(clock)).toBeNull();
  });

  it('an item cancelled by the due() of another in the same slot is not called', () => {
    let now = 1_000;
    const clock = new DeadlineClock(100, () => now);
    const second = timed();
    const first: Timed = { clockSlot: -1, due: () => clock.cancel(second) };
    clock.add(first, 1_050);
    clock.add(second, 1_050);
    now = 1_100;
    clock.tick();
    expect(second.dueAt).toBeNull();
    expect(clock.size).toBe(0);
  });
});

describe('long poll (CommandHandOut.longPoll)', () => {
  it('answers at once when commands wait, with one look at the queue', async () => {
    const wake = wakeups();
    await wake.ready;
    const { handOut, queue, state } = handOutOver(wake);
    queue.push(aCommand('c1'));
    const answer = await poll(handOut, 30);
    expect(answer.commands.map((c) => c.commandId)).toEqual(['c1']);
    expect(answer.ms).toBeLessThan(1_000);
    expect(state.looks).toBe(1);
    expect(wake.instance.held).toBe(0);
  });

  it('a command queued while it waits wakes it; both polls of one gateway look again, one gets it, the other waits on', async () => {
    const wake = wakeups();
    await wake.ready;
    const { handOut, queue, state } = handOutOver(wake);
    const polls = [poll(handOut, 30), poll(handOut, 30)];
    const settled = [false, false];
    polls.forEach((p, i) => void p.then(() => (settled[i] = true)));
    await sleep(20);
    expect(wake.instance.held).toBe(2);
    expect(handOut.clock.size).toBe(2);
    expect(state.looks).toBe(2);
    queue.push(aCommand('c1'));
    wake.publish('gw-1');
    const first = await Promise.race(polls);
    expect(first.commands.map((c) => c.commandId)).toEqual(['c1']);
    expect(first.ms).toBeLessThan(1_000);
    await sleep(20);
    expect(state.looks).toBe(4);
    expect(settled.filter(Boolean)).toHaveLength(1);
    expect(wake.instance.held).toBe(1);
    expect(handOut.clock.size).toBe(1);
    wake.shutDown();
    const other = await polls[settled.indexOf(false)]!;
    expect(other.commands).toEqual([]);
  });

  it('a wake-up that arrives while it looks at the queue is kept: it looks again at once', async () => {
    const wake = wakeups();
    await wake.ready;
    const { handOut, state } = handOutOver(wake);
    let release: () => void = () => undefined;
    const looks: (() => Promise<ProtocolCommand[]>)[] = [
      // The first look is slow and finds nothing: the command is committed after it read the flag.
      () => new Promise((resolve) => (release = () => resolve([]))),
      async () => [aCommand('late')],
    ];
    handOut.handOut = () => {
      state.looks += 1;
      return looks.shift()!();
    };
    const answer = poll(handOut, 30);
    await sleep(20);
    wake.publish('gw-1');
    release();
    const { commands, ms } = await answer;
    expect(commands.map((c) => c.commandId)).toEqual(['late']);
    expect(ms).toBeLessThan(1_000);
    expect(state.looks).toBe(2);
  });

  it('after waitSeconds it looks once more and answers empty; it leaves the wake-ups and the clock', async () => {
    const wake = wakeups();
    await wake.ready;
    const { handOut, state } = handOutOver(wake);
    const { commands, ms } = await poll(handOut, 1);
    expect(commands).toEqual([]);
    expect(ms).toBeGreaterThanOrEqual(990);
    expect(ms).toBeLessThan(1_500);
    expect(state.looks).toBe(2);
    expect(wake.instance.held).toBe(0);
    expect(handOut.clock.size).toBe(0);
  });

  it('a gateway that hangs up ends its poll at once, with nothing handed out and its listener removed', async () => {
    const wake = wakeups();
    await wake.ready;
    const { handOut, queue, state } = handOutOver(wake);
    const request = new EventEmitter();
    const answer = poll(handOut, 30, request);
    await sleep(20);
    expect(request.listenerCount('close')).toBe(1);
    queue.push(aCommand('c1'));
    request.emit('close');
    const { commands, ms } = await answer;
    expect(commands).toEqual([]);
    expect(ms).toBeLessThan(1_000);
    // Only the first look at the queue: none after the hang-up; the command waits for the next poll.
    expect(state.looks).toBe(1);
    expect(queue.map((c) => c.commandId)).toEqual(['c1']);
    expect(request.listenerCount('close')).toBe(0);
    expect(wake.instance.held).toBe(0);
    expect(handOut.clock.size).toBe(0);
  });

  it('at shutdown every held poll answers at once with nothing; a poll that starts then answers after one look', async () => {
    const wake = wakeups();
    await wake.ready;
    const { handOut, state } = handOutOver(wake);
    const held = [poll(handOut, 30), poll(handOut, 30), poll(handOut, 30)];
    await sleep(20);
    wake.shutDown();
    const answers = await Promise.all(held);
    expect(answers.map((a) => a.commands)).toEqual([[], [], []]);
    expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(1_000);
    const looks = state.looks;
    const late = await poll(handOut, 30);
    expect(late.commands).toEqual([]);
    expect(late.ms).toBeLessThan(1_000);
    expect(state.looks).toBe(looks + 1);
  });

  it('an answer that cannot be written is logged, not thrown into the event loop; the poll leaves the wake-ups and the clock', async () => {
    const wake = wakeups();
    await wake.ready;
    const { handOut, queue } = handOutOver(wake);
    const failed = vi.spyOn(handOut, 'answerFailed').mockImplementation(() => undefined);
    queue.push(aCommand('c-1'));
    const replyGone = new Error('Reply already sent');
    handOut.longPoll(
      gateway,
      30,
      () => {
        throw replyGone;
      },
      undefined,
    );
    await vi.waitFor(() => expect(failed).toHaveBeenCalledWith('gw-1', replyGone));
    expect(wake.instance.held).toBe(0);
    expect(handOut.clock.size).toBe(0);
  });

  it('a look that fails ends the poll with its error (answered by the exception filter)', async () => {
    const wake = wakeups();
    await wake.ready;
    const { handOut, state } = handOutOver(wake);
    const answer = poll(handOut, 30);
    await sleep(20);
    const outage = new Error('Connection is closed.');
    state.failWith = outage;
    wake.publish('gw-1');
    const { error, commands } = await answer;
    expect(error).toBe(outage);
    expect(commands).toEqual([]);
    expect(wake.instance.held).toBe(0);
    expect(handOut.clock.size).toBe(0);
  });
});
