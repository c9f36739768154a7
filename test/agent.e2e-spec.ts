import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from './support/api.js';
import { Fleet, healthyNode } from './support/fleet.js';
import { claimPort } from '../scripts/lib/ports.js';
import { startServiceProcess, type ServiceProcess } from './support/service-process.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { TEST_ENV } from './support/test-env.js';
import { waitFor } from './support/wait.js';

const CLI = 'agent/dist/cli.js';
/** The service process the agent talks to; its PORT, claimed in beforeAll, stays across restarts. */
const SERVICE_ENV: Record<string, string> = {
  ROLE: 'all',
  HEARTBEAT_INTERVAL_SECONDS: '1',
  HEARTBEAT_MISSED_LIMIT: '5',
  ACCESS_TOKEN_TTL_SECONDS: '60',
};

interface LogLine {
  level: string;
  msg: string;
  [field: string]: unknown;
}

/** The agent CLI as its own OS process, its JSON log lines collected. */
class AgentProcess {
  readonly lines: LogLine[] = [];
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;

  constructor(args: string[]) {
    this.child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let buffered = '';
    this.child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const parts = buffered.split('\n');
      buffered = parts.pop()!;
      for (const part of parts.filter(Boolean)) this.lines.push(JSON.parse(part) as LogLine);
    });
    this.child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(`[agent] ${chunk.toString('utf8')}`));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
    const killOnExit = () => this.child.kill('SIGKILL');
    process.once('exit', killOnExit);
    void this.exited.then(() => process.off('exit', killOnExit));
  }

  count(msg: string): number {
    return this.lines.filter((line) => line.msg === msg).length;
  }

  /** Waits for the first line with this message (after `after` lines) and answers it. */
  line(msg: string | RegExp, timeoutMs = 20_000, after = 0): Promise<LogLine> {
    const matches = (line: LogLine) => (typeof msg === 'string' ? line.msg === msg : msg.test(line.msg));
    return waitFor(
      async () => this.lines.slice(after).find(matches),
      (line) => line !== undefined,
      timeoutMs,
      50,
    ) as Promise<LogLine>;
  }

  signal(name: NodeJS.Signals): void {
    this.child.kill(name);
  }
}

describe('the gateway agent CLI against the real service', () => {
  let t: TestApp;
  let service: ServiceProcess;
  let api: Api;
  let fleet: Fleet;
  let tenantId: string;
  let admin: string;
  let dir: string;
  let inventoryFile: string;
  const agents: AgentProcess[] = [];

  const run = (...extra: string[]) => {
    const agent = new AgentProcess([
      'run',
      '--url',
      service.url,
      '--type',
      'CLASSIC',
      '--state-dir',
      dir,
      '--inventory',
      `file:${inventoryFile}`,
      '--log-level',
      'debug',
      ...extra,
    ]);
    agents.push(agent);
    return agent;
  };
  const gateway = async (id: string) => (await api.get(admin, `/api/v1/tenants/${tenantId}/gateways/${id}`)).body;
  const state = async () => JSON.parse(await readFile(join(dir, 'state.json'), 'utf8'));
  const queue = async (gatewayId: string, body: object) => {
    const queued = await api.post(admin, `/api/v1/tenants/${tenantId}/gateways/${gatewayId}/commands`, body);
    expect(queued.status, JSON.stringify(queued.body)).toBe(201);
    return queued.body.id as string;
  };
  const ended = (id: string) =>
    waitFor(
      async () => (await api.get(admin, `/api/v1/tenants/${tenantId}/commands/${id}`)).body,
      (command) => ['SUCCEEDED', 'FAILED'].includes(command.state),
      20_000,
      100,
    );

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does)`);
    t = await startTestApp();
    SERVICE_ENV.PORT = String(await claimPort());
    service = await startServiceProcess(t, SERVICE_ENV);
    api = new Api(t);
    const partner = await api.partner();
    tenantId = await api.createClientTenant(partner.token, 'Agent client');
    admin = await api.clientToken(partner.token, tenantId, ['admin']);
    fleet = new Fleet(api, tenantId, admin, service.url);
    dir = join(await mkdtemp(join(tmpdir(), 'gateway-agent-')), 'state');
    inventoryFile = join(dir, '..', 'inventory.json');
    await writeFile(inventoryFile, JSON.stringify({ nodes: [healthyNode(1, { hostname: 'agent-node' })] }));
  });
  afterAll(async () => {
    for (const agent of agents) agent.signal('SIGKILL');
    await service?.stop();
    await t?.close();
  });

  let gatewayId: string;

  it('registers with the activation token, keeps its credentials in a 0600 file, heartbeats and applies the configuration', async () => {
    const configuration = { proxy: { url: 'http://proxy.dc1:3128' } };
    const { token } = await fleet.profile({ configuration });
    const agent = run('--activation-token', token);
    const registered = await agent.line('registered');
    gatewayId = registered.gatewayId as string;
    const saved = await state();
    expect(saved).toMatchObject({ gatewayId, gatewaySecret: expect.stringMatching(/^gws_/), instanceId: expect.any(String) });
    expect((await stat(join(dir, 'state.json'))).mode & 0o777).toBe(0o600);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    const view = await waitFor(
      () => gateway(gatewayId),
      (g) => g.status === 'CONNECTED',
      10_000,
      100,
    );
    expect(view.nodes.map((node: { hostname: string }) => node.hostname)).toEqual(['agent-node']);
    const applied = JSON.parse(await readFile(join(dir, 'configuration.json'), 'utf8'));
    expect(applied.settings).toEqual(configuration);
    expect((await stat(join(dir, 'configuration.json'))).mode & 0o777).toBe(0o600);
  });

  it('runs a command end to end: ACKNOWLEDGED, RUNNING, SUCCEEDED with the result; unknown types FAILED with UNSUPPORTED_COMMAND', async () => {
    const ping = await ended(await queue(gatewayId, { type: 'PING' }));
    expect(ping.state).toBe('SUCCEEDED');
    expect(ping.result).toMatchObject({ pong: true });
    const logs = await ended(await queue(gatewayId, { type: 'COLLECT_LOGS', parameters: { sinceMinutes: 5 } }));
    expect(logs.state).toBe('SUCCEEDED');
    expect(logs.result.lines.map((line: string) => JSON.parse(line).msg)).toContain('registered');
    const restart = await ended(await queue(gatewayId, { type: 'RESTART_APP', parameters: { app: 'vprobe' } }));
    expect(restart).toMatchObject({ state: 'FAILED', errorCode: 'UNSUPPORTED_COMMAND' });
    expect(ping.history.map((entry: { state: string }) => entry.state)).toEqual(
      expect.arrayContaining(['DELIVERED', 'ACKNOWLEDGED', 'RUNNING', 'SUCCEEDED']),
    );
  });

  it('on SIGTERM it stops with 0; started again without a token it reuses the stored credentials with a new boot and a growing sequence', async () => {
    const first = agents.at(-1)!;
    first.signal('SIGTERM');
    expect(await first.exited).toBe(0);
    const before = await state();
    const again = run();
    await again.line('using the stored credentials');
    await again.line('running');
    const bootIds = new Set([first, again].map((agent) => agent.lines.find((line) => line.msg === 'running')!.bootId));
    expect(bootIds.size).toBe(2);
    await waitFor(state, (s) => s.sequence > before.sequence + 1, 10_000, 100);
    expect((await state()).gatewayId).toBe(gatewayId);
    expect(again.count('registering')).toBe(0);
  });

  it('refreshes its access token before it expires', async () => {
    const agent = agents.at(-1)!;
    agent.signal('SIGTERM');
    expect(await agent.exited).toBe(0);
    // The service's tokens live 60 s; refreshing 57 s early means a new one every 3 s.
    const refreshing = run('--refresh-before-expiry', '57');
    await refreshing.line('running');
    await waitFor(
      async () => refreshing.count('access token refreshed'),
      (n) => n >= 3,
      15_000,
      200,
    );
    expect(refreshing.count('heartbeat refused; retrying')).toBe(0);
  });

  it('rides out a service restart with a new signing key: backs off while it is away, refreshes its token on the 401, heartbeats again', async () => {
    const refreshing = agents.at(-1)!;
    refreshing.signal('SIGTERM');
    expect(await refreshing.exited).toBe(0);
    // Tokens of an hour, refreshed 5 minutes before they expire: however long the restart takes on
    // a loaded machine, the token from before it is still the one in use after it.
    await service.stop();
    service = await startServiceProcess(t, { ...SERVICE_ENV, ACCESS_TOKEN_TTL_SECONDS: '3600' });
    const agent = run();
    await agent.line('running');
    await service.stop();
    await agent.line('heartbeat failed; retrying', 10_000);
    service = await startServiceProcess(t, {
      ...SERVICE_ENV,
      ACCESS_TOKEN_TTL_SECONDS: '3600',
      JWT_SECRET: 'another-jwt-secret-after-the-restart-0123456789',
      SECRET_HASH_KEY: TEST_ENV.JWT_SECRET!,
    });
    const seen = agent.lines.length;
    // Its waits grow while the service is away (1, 2, 4, 8 … s with full jitter), so the way back may take a while on a loaded machine.
    const refused = await agent.line('access token refused; getting a new one', 100_000, seen);
    expect(refused.code).toEqual(expect.stringMatching(/^[A-Z_]+$/));
    await agent.line('heartbeats answered again', 100_000, seen);
    const beforeSequence = (await state()).sequence;
    await waitFor(state, (s) => s.sequence > beforeSequence + 1, 10_000, 100);
    expect(
      await waitFor(
        () => gateway(gatewayId),
        (g) => g.status === 'CONNECTED',
        10_000,
        100,
      ),
    ).toMatchObject({ status: 'CONNECTED' });
    const ping = await ended(await queue(gatewayId, { type: 'PING' }));
    expect(ping.state).toBe('SUCCEEDED');
  }, 240_000);

  it('stops everything and exits 4 when the gateway is de-registered; a later start without a new token exits 4 too', async () => {
    const agent = agents.at(-1)!;
    const deregistered = await api.post(admin, `/api/v1/tenants/${tenantId}/gateways/${gatewayId}/deregister`);
    expect(deregistered.status).toBe(200);
    expect(await agent.exited).toBe(4);
    const saved = await state();
    expect(saved.deregisteredAt).toEqual(expect.any(String));
    expect(saved.gatewaySecret).toBeUndefined();
    const later = run();
    expect(await later.exited).toBe(4);
    expect(later.lines.find((line) => line.level === 'error')).toMatchObject({
      code: 'GATEWAY_DEREGISTERED',
      msg: expect.stringContaining('new activation token'),
    });
  }, 30_000);

  it('a lost registration answer is retried with the same instance id: the same gateway, a fresh secret', async () => {
    const { token } = await fleet.profile();
    // The first attempt reached the service, but the agent never saw the answer.
    const lost = fleet.session('CLASSIC');
    expect((await lost.register(token)).status).toBe(201);
    const retryDir = await mkdtemp(join(tmpdir(), 'gateway-agent-retry-'));
    await writeFile(join(retryDir, 'state.json'), JSON.stringify({ instanceId: lost.instanceId, sequence: 0 }), { mode: 0o600 });
    const agent = new AgentProcess([
      'run',
      '--url',
      service.url,
      '--state-dir',
      retryDir,
      '--inventory',
      `file:${inventoryFile}`,
      '--activation-token',
      token,
    ]);
    agents.push(agent);
    const registered = await agent.line(/^registered/);
    expect(registered.msg).toBe('registered (a retry: same gateway, fresh secret)');
    expect(registered.gatewayId).toBe(lost.gatewayId);
    expect((await lost.refreshToken()).body.code).toBe('GATEWAY_CREDENTIAL_INVALID');
    agent.signal('SIGTERM');
    expect(await agent.exited).toBe(0);
  });

  it('a refused activation token ends the agent with exit code 3 and says why', async () => {
    const emptyDir = await mkdtemp(join(tmpdir(), 'gateway-agent-refused-'));
    const agent = new AgentProcess([
      'run',
      '--url',
      service.url,
      '--state-dir',
      emptyDir,
      '--inventory',
      `file:${inventoryFile}`,
      '--activation-token',
      'gwat_not-a-real-token',
    ]);
    expect(await agent.exited).toBe(3);
    const error = agent.lines.find((line) => line.level === 'error')!;
    expect(error).toMatchObject({ code: 'ACTIVATION_TOKEN_INVALID', msg: expect.stringContaining('copy it again') });
    const noToken = new AgentProcess(['run', '--url', service.url, '--state-dir', emptyDir]);
    expect(await noToken.exited).toBe(3);
    expect(noToken.lines.find((line) => line.level === 'error')).toMatchObject({ code: 'NO_CREDENTIALS' });
  });

  it('--help explains the commands; a bad option is exit code 2', async () => {
    const help = spawn(process.execPath, [CLI, '--help']);
    let text = '';
    help.stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    expect(await new Promise((resolve) => help.once('exit', resolve))).toBe(0);
    expect(text).toContain('gateway-agent run --url URL --type CLASSIC|CLUSTER --state-dir DIR');
    const bad = spawn(process.execPath, [CLI, 'run', '--url', service.url, '--state-dir', dir, '--type', 'MAINFRAME']);
    expect(await new Promise((resolve) => bad.once('exit', resolve))).toBe(2);
  });
});
