import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CommandError,
  GatewayAgent,
  Logger,
  MemoryStateStore,
  StaticInventory,
  type CommandHandler,
  type ProtocolCommand,
} from '@gateway-control-plane/agent';
import { Api } from './support/api.js';
import { Fleet, healthyNodes } from './support/fleet.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';

/** The agent as a library (what the simulator uses), in this process, against the real service. */
describe('GatewayAgent against the real service', () => {
  let t: TestApp;
  let api: Api;
  let fleet: Fleet;
  let tenantId: string;
  let admin: string;
  const running: GatewayAgent[] = [];

  const agentFor = async (
    handlers: Record<string, CommandHandler>,
    options: { concurrency?: number; shutdownGraceMs?: number; profile?: object } = {},
  ) => {
    const { token, profileId } = await fleet.profile(options.profile);
    const agent = new GatewayAgent({
      url: t.url,
      gatewayType: 'CLASSIC',
      activationToken: token,
      state: new MemoryStateStore(),
      inventory: new StaticInventory({ nodes: healthyNodes('CLASSIC') }),
      handlers,
      concurrency: options.concurrency,
      shutdownGraceMs: options.shutdownGraceMs,
      logger: new Logger({ write: null, level: 'debug' }),
    });
    running.push(agent);
    await agent.start();
    return { agent, profileId };
  };
  const queue = async (gatewayId: string, body: object = { type: 'PING' }) => {
    const queued = await api.post(admin, `/api/v1/tenants/${tenantId}/gateways/${gatewayId}/commands`, body);
    expect(queued.status, JSON.stringify(queued.body)).toBe(201);
    return queued.body.id as string;
  };
  const command = async (id: string) => (await api.get(admin, `/api/v1/tenants/${tenantId}/commands/${id}`)).body;
  const until = (id: string, states: string[], timeoutMs = 15_000) =>
    waitFor(
      () => command(id),
      (c) => states.includes(c.state),
      timeoutMs,
      50,
    );

  beforeAll(async () => {
    t = await startTestApp({ env: { HEARTBEAT_INTERVAL_SECONDS: '1' } });
    api = new Api(t);
    const partner = await api.partner();
    tenantId = await api.createClientTenant(partner.token, 'Agent library client');
    admin = await api.clientToken(partner.token, tenantId, ['admin']);
    fleet = new Fleet(api, tenantId, admin, t.url);
  });
  afterEach(() => {
    for (const agent of running.splice(0)) agent.halt();
  });
  afterAll(() => t?.close());

  it('runs commands in queue order one at a time by default, and two at a time with concurrency 2, reporting progress', async () => {
    const log: string[] = [];
    const slow: CommandHandler = async ({ command, progress }) => {
      log.push(`start ${command.sequence}`);
      await progress(50, 'half way');
      await sleep(300);
      log.push(`end ${command.sequence}`);
      return { sequence: command.sequence };
    };
    const { agent } = await agentFor({ RESTART_APP: slow });
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await queue(agent.gatewayId!, { type: 'RESTART_APP', parameters: { app: 'vprobe' } }));
    for (const id of ids) expect(await until(id, ['SUCCEEDED'])).toMatchObject({ state: 'SUCCEEDED', progressPercent: 100 });
    const sequences = log.filter((line) => line.startsWith('start')).map((line) => line.split(' ')[1]);
    expect(log).toEqual(sequences.flatMap((s) => [`start ${s}`, `end ${s}`]));
    const first = await command(ids[0]);
    const history = first.history as { state: string; progressPercent: number | null; message: string | null }[];
    expect(history.map((h) => h.state)).toEqual(['QUEUED', 'DELIVERED', 'ACKNOWLEDGED', 'RUNNING', 'RUNNING', 'SUCCEEDED']);
    expect(history[4]).toMatchObject({ progressPercent: 50, message: 'half way' });

    // With concurrency 2, two held commands run at the same time; a third waits for a free slot.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const holding: CommandHandler = async ({ command }) => {
      await held;
      return { app: command.parameters.app };
    };
    const { agent: parallel } = await agentFor({ RESTART_APP: holding }, { concurrency: 2 });
    const three = [];
    for (const app of ['a', 'b', 'c']) three.push(await queue(parallel.gatewayId!, { type: 'RESTART_APP', parameters: { app } }));
    await waitFor(
      async () => parallel.runningCommands.length,
      (n) => n === 2,
      15_000,
      50,
    );
    await sleep(500);
    expect(parallel.runningCommands.map((c) => c.parameters.app).sort()).toEqual(['a', 'b']);
    expect((await command(three[2]!)).state).not.toMatch(/ACKNOWLEDGED|RUNNING|SUCCEEDED/);
    release();
    for (const id of three) await until(id, ['SUCCEEDED']);
  });

  it('a failing handler ends FAILED with its error code; a command cancelled while it runs is stopped (409 COMMAND_ALREADY_ENDED)', async () => {
    let sawAbort = false;
    const { agent } = await agentFor({
      RUN_DISCOVERY: async () => {
        throw new CommandError('SUBNET_UNREACHABLE', 'no route to 10.20.0.0/24');
      },
      UPGRADE_FIRMWARE: async ({ signal, progress }) => {
        for (let i = 1; i <= 100 && !signal.aborted; i++) {
          await progress(i);
          await sleep(100);
        }
        sawAbort = signal.aborted;
        throw new Error('interrupted');
      },
    });
    const discovery = await until(await queue(agent.gatewayId!, { type: 'RUN_DISCOVERY', parameters: { profile: 'default' } }), ['FAILED']);
    expect(discovery).toMatchObject({ errorCode: 'SUBNET_UNREACHABLE', message: 'no route to 10.20.0.0/24' });
    const upgrade = await queue(agent.gatewayId!, { type: 'UPGRADE_FIRMWARE', parameters: { version: '1.0.0' } });
    await until(upgrade, ['RUNNING']);
    const ended = new Promise((resolve) => agent.on('commandEnded', (end) => end.command.commandId === upgrade && resolve(end.state)));
    expect((await api.post(admin, `/api/v1/tenants/${tenantId}/commands/${upgrade}/cancel`)).status).toBe(200);
    expect(await ended).toBe('ABANDONED');
    await waitFor(
      async () => sawAbort,
      (seen) => seen,
      5_000,
      50,
    );
    expect((await command(upgrade)).state).toBe('CANCELLED');
    expect(agent.runningCommands).toEqual([]);
  });

  it('applies a newer configuration from the heartbeat answer and reports its version; APPLY_CONFIGURATION succeeds with it', async () => {
    const { agent, profileId } = await agentFor({}, { profile: { configuration: { monitoring: { pollSeconds: 60 } } } });
    expect(agent.configurationVersion).toBe(1);
    const applied = new Promise<number>((resolve) => agent.once('configuration', (configuration) => resolve(configuration.version)));
    const patched = await api.patch(admin, `/api/v1/tenants/${tenantId}/management-profiles/${profileId}`, {
      configuration: { monitoring: { pollSeconds: 30 } },
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(await applied).toBe(2);
    const view = await waitFor(
      async () => (await api.get(admin, `/api/v1/tenants/${tenantId}/gateways/${agent.gatewayId}`)).body,
      (g) => g.configurationVersion === 2,
      10_000,
      100,
    );
    expect(view.configurationVersion).toBe(2);
    const apply = await until(await queue(agent.gatewayId!, { type: 'APPLY_CONFIGURATION', parameters: { version: 2 } }), [
      'SUCCEEDED',
      'FAILED',
    ]);
    expect(apply).toMatchObject({ state: 'SUCCEEDED', result: { configurationVersion: 2 } });
  });

  it('stop() lets running work finish within the grace period, and reports what is still running after it FAILED with AGENT_STOPPED', async () => {
    const started: ProtocolCommand[] = [];
    const handler: CommandHandler = async ({ command, signal }) => {
      started.push(command);
      await sleep(command.parameters.app === 'quick' ? 200 : 60_000, undefined, { signal });
      return { done: true };
    };
    const { agent } = await agentFor({ RESTART_APP: handler }, { concurrency: 2, shutdownGraceMs: 1_000 });
    const quick = await queue(agent.gatewayId!, { type: 'RESTART_APP', parameters: { app: 'quick' } });
    const stuck = await queue(agent.gatewayId!, { type: 'RESTART_APP', parameters: { app: 'stuck' } });
    await waitFor(
      async () => started.length,
      (n) => n === 2,
      10_000,
      50,
    );
    expect(await agent.stop()).toEqual({ reason: 'STOPPED' });
    expect((await command(quick)).state).toBe('SUCCEEDED');
    expect(await command(stuck)).toMatchObject({ state: 'FAILED', errorCode: 'AGENT_STOPPED' });
    expect(agent.status).toBe('STOPPED');
  });

  it('stops everything when the service says the gateway was de-registered', async () => {
    const { agent } = await agentFor({});
    expect((await api.post(admin, `/api/v1/tenants/${tenantId}/gateways/${agent.gatewayId}/deregister`)).status).toBe(200);
    expect(await agent.done).toEqual({ reason: 'DEREGISTERED' });
    expect(agent.status).toBe('DEREGISTERED');
  });
});
