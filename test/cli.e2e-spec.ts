import { spawn } from 'node:child_process';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSchema, parse, validate } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GcpError, verifyWebhook } from '@gateway-control-plane/sdk';
import { GATEWAY_WATCH } from '../cli/src/graphql.js';
import { Api } from './support/api.js';
import { healthySession } from './support/fleet.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { TEST_ENV } from './support/test-env.js';
import { sleep, waitFor } from './support/wait.js';

const CLI = resolve('cli/dist/cli.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * gcpctl, built (cli/dist, `npm test` builds it), run as a separate OS process against the real
 * service, as a partner runs it: its own config folder, nothing but its arguments and environment.
 */
describe('gcpctl against the service', () => {
  let t: TestApp;
  let api: Api;
  let home: string;
  let clientTenant: string;

  const start = (args: string[], options: { input?: string; env?: Record<string, string> } = {}) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: home, XDG_CONFIG_HOME: join(home, 'config'), ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const result: Run = { code: null, stdout: '', stderr: '' };
    child.stdout.on('data', (chunk: Buffer) => (result.stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (result.stderr += chunk.toString('utf8')));
    child.stdin.end(options.input ?? '');
    const done = new Promise<Run>((resolve) => child.once('close', (code) => resolve({ ...result, code })));
    return { child, result, done };
  };
  const gcpctl = (...args: string[]) => start(args).done;
  const json = async <T = Record<string, unknown>>(...args: string[]): Promise<T> => {
    const run = await gcpctl(...args, '--output', 'json');
    expect(run.code, `gcpctl ${args.join(' ')}: ${run.stderr}`).toBe(0);
    return JSON.parse(run.stdout) as T;
  };

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error('cli/dist/cli.js is missing: run `npm run build` first (npm test does)');
    home = await mkdtemp(join(tmpdir(), 'gcpctl-'));
    t = await startTestApp();
    api = new Api(t);
  });
  afterAll(async () => {
    await t?.close();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('logs in (secret from stdin), keeps the credentials in a 0600 file under XDG_CONFIG_HOME, and knows its tenant', async () => {
    const login = await start(['login', '--url', t.url, '--client-id', TEST_ENV.BOOTSTRAP_CLIENT_ID, '--client-secret-stdin'], {
      input: TEST_ENV.BOOTSTRAP_CLIENT_SECRET,
    }).done;
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toContain(`Logged in to  ${t.url}`);
    expect(login.stdout).toContain(TEST_ENV.BOOTSTRAP_TENANT_NAME);
    const file = join(home, 'config', 'gcpctl', 'credentials.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(home, 'config', 'gcpctl'))).mode & 0o777).toBe(0o700);
    const stored = JSON.parse(await readFile(file, 'utf8'));
    expect(stored).toMatchObject({ url: t.url, clientId: TEST_ENV.BOOTSTRAP_CLIENT_ID, clientSecret: TEST_ENV.BOOTSTRAP_CLIENT_SECRET });
    const partner = await api.partner();
    expect(stored.tenantId).toBe(partner.tenantId);

    // A partner admin makes a client tenant, then works in it with --tenant.
    const created = await json<{ id: string; kind: string }>('tenants', 'create', 'CLI client');
    expect(created.kind).toBe('CLIENT');
    clientTenant = created.id;
    const tenants = await json<{ id: string }[]>('tenants', 'list');
    expect(tenants.map((tenant) => tenant.id)).toEqual(expect.arrayContaining([partner.tenantId, clientTenant]));
    // The token was kept: the next commands did not ask for another.
    expect(JSON.parse(await readFile(file, 'utf8')).token.accessToken).toBe(stored.token.accessToken);
  });

  it('creates and lists profiles (--output json and table), mints a token, and a gateway registers with it', async () => {
    const profile = await json<{ id: string; name: string; status: string }>(
      '--tenant',
      clientTenant,
      'profiles',
      'create',
      'cli-site-1',
      '--configuration',
      '{"proxy":{"url":"http://proxy:3128"}}',
    );
    expect(profile).toMatchObject({ name: 'cli-site-1', status: 'NOT_REGISTERED' });
    const listed = await json<{ id: string; name: string }[]>('--tenant', clientTenant, 'profiles', 'list');
    expect(listed.map((p) => p.id)).toContain(profile.id);
    const table = await gcpctl('--tenant', clientTenant, 'profiles', 'list');
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+NAME\s+STATUS\s+TYPE\s+GATEWAY\s+LABELS$/);
    expect(table.stdout).toMatch(new RegExp(`${profile.id}\\s+cli-site-1\\s+NOT_REGISTERED`));
    const shown = await json<{ configuration: unknown }>('--tenant', clientTenant, 'profiles', 'show', profile.id);
    expect(shown.configuration).toMatchObject({ version: 1, settings: { proxy: { url: 'http://proxy:3128' } } });

    const minted = await json<{ token: string; state: string }>('--tenant', clientTenant, 'tokens', 'mint', profile.id, '--ttl', '600');
    expect(minted.state).toBe('ACTIVE');
    const gw = healthySession(t.url, 'CLASSIC');
    expect((await gw.register(minted.token)).status).toBe(201);
    expect((await gw.heartbeat()).status).toBe(200);
    const gateways = await json<{ id: string; status: string }[]>('--tenant', clientTenant, 'gateways', 'list');
    expect(gateways).toEqual([expect.objectContaining({ id: gw.gatewayId, status: 'CONNECTED' })]);
    const one = await json<{ id: string; nodes: unknown[] }>('--tenant', clientTenant, 'gateways', 'show', gw.gatewayId!);
    expect(one.nodes).toHaveLength(1);
  });

  it('queues a command and follows it to SUCCEEDED (progress on stderr, the command on stdout, exit 0); FAILED exits 3', async () => {
    const gw = await registeredGateway('cli-follow');
    const queued = await json<{ id: string; state: string }>(
      '--tenant',
      clientTenant,
      'commands',
      'queue',
      gw.gatewayId!,
      'restart_app',
      '--param',
      'app=vprobe',
    );
    expect(queued.state).toBe('QUEUED');
    const follow = start(['--tenant', clientTenant, 'commands', 'follow', queued.id, '--interval', '100', '--output', 'json']);
    await waitFor(
      async () => follow.result.stderr,
      (s) => s.includes('QUEUED'),
    );
    const [handed] = (await gw.pollCommands(0)).body.commands;
    expect(handed.commandId).toBe(queued.id);
    await gw.updateCommand(queued.id, { state: 'RUNNING', progressPercent: 40, message: 'pinging' });
    await waitFor(
      async () => follow.result.stderr,
      (s) => s.includes('RUNNING'),
    );
    await gw.updateCommand(queued.id, { state: 'SUCCEEDED', result: { ok: true } });
    const ended = await follow.done;
    expect(ended.code, ended.stderr).toBe(0);
    expect(JSON.parse(ended.stdout)).toMatchObject({ id: queued.id, state: 'SUCCEEDED', parameters: { app: 'vprobe' } });
    expect(ended.stderr).toMatch(/RESTART_APP RUNNING\s+\[#+\.+\] 40\/100%\s+pinging/);

    // queue --follow in one go, ending FAILED: exit 3.
    const both = start(['--tenant', clientTenant, 'commands', 'queue', gw.gatewayId!, 'PING', '--follow', '--interval', '100']);
    await waitFor(
      async () => both.result.stderr,
      (s) => s.includes('queued '),
    );
    const commandId = /queued (\S+)/.exec(both.result.stderr)![1];
    await gw.pollCommands(0);
    await gw.updateCommand(commandId, { state: 'FAILED', errorCode: 'SIMULATED', message: 'no answer' });
    const failed = await both.done;
    expect(failed.code).toBe(3);
    expect(failed.stdout).toMatch(/STATE\s+FAILED/);
  });

  it('creates a bulk command and follows it: a bar with succeeded / failed / skipped, exit 3 when a target failed', async () => {
    const a = await registeredGateway('cli-bulk-a');
    const b = await registeredGateway('cli-bulk-b');
    const created = await json<{ id: string; targets: number; state: string }>(
      '--tenant',
      clientTenant,
      'bulk',
      'create',
      'PING',
      '--gateway',
      a.gatewayId!,
      '--gateway',
      b.gatewayId!,
      '--max-concurrency',
      '2',
      '--max-errors',
      '1',
    );
    expect(created).toMatchObject({ targets: 2, state: 'RUNNING' });
    const follow = start(['--tenant', clientTenant, 'bulk', 'follow', created.id, '--interval', '100', '--output', 'json']);
    for (const [gw, outcome] of [
      [a, 'SUCCEEDED'],
      [b, 'FAILED'],
    ] as const) {
      const commands = await waitFor(
        async () => (await gw.pollCommands(0)).body.commands,
        (c) => c.length > 0,
      );
      await gw.updateCommand(commands[0].commandId, outcome === 'FAILED' ? { state: outcome, errorCode: 'SIMULATED' } : { state: outcome });
    }
    const ended = await follow.done;
    expect(ended.code, ended.stderr).toBe(3);
    expect(JSON.parse(ended.stdout)).toMatchObject({ id: created.id, state: 'COMPLETED' });
    expect(ended.stderr).toMatch(/\[#{30}\] 2\/2 {2}succeeded 1 {2}failed 1 {2}skipped 0 {2}COMPLETED/);

    const c = await registeredGateway('cli-bulk-c');
    const good = start(['--tenant', clientTenant, 'bulk', 'create', 'PING', '--gateway', c.gatewayId!, '--follow', '--interval', '100']);
    const commands = await waitFor(
      async () => (await c.pollCommands(0)).body.commands,
      (list) => list.length > 0,
    );
    await c.updateCommand(commands[0].commandId, { state: 'SUCCEEDED' });
    const done = await good.done;
    expect(done.code, done.stderr).toBe(0);
    expect(done.stderr).toContain('succeeded 1  failed 0  skipped 0  COMPLETED');
  });

  it('watches the gateways live through the GraphQL subscription', async () => {
    const { token } = await mintedToken('cli-watch');
    const watch = start(['--tenant', clientTenant, 'gateways', 'watch', '--events', '2', '--output', 'json']);
    await waitFor(
      async () => watch.result.stderr,
      (s) => s.includes('watching'),
    );
    await sleep(300);
    const gw = healthySession(t.url, 'CLASSIC');
    await gw.register(token);
    await gw.heartbeat();
    const ended = await watch.done;
    expect(ended.code, ended.stderr).toBe(0);
    // One JSON line per change: registered, then connected by its first heartbeat.
    const changes = ended.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(changes).toEqual([
      expect.objectContaining({
        gatewayId: gw.gatewayId,
        tenantId: clientTenant,
        previousStatus: null,
        status: 'REGISTERED',
        name: gw.name,
      }),
      expect.objectContaining({ gatewayId: gw.gatewayId, previousStatus: 'REGISTERED', status: 'CONNECTED', name: gw.name }),
    ]);
  });

  it('its subscription is valid against schema.gql', async () => {
    const schema = buildSchema(await readFile('schema.gql', 'utf8'));
    expect(validate(schema, parse(GATEWAY_WATCH)).map((e) => e.message)).toEqual([]);
  });

  it('replaces a gateway: a replacement token', async () => {
    const gw = await registeredGateway('cli-replace');
    const replacement = await json<{ gatewayId: string; activationToken: { token: string } }>(
      '--tenant',
      clientTenant,
      'replace',
      gw.gatewayId!,
    );
    expect(replacement.gatewayId).toBe(gw.gatewayId);
    expect(replacement.activationToken.token.length).toBeGreaterThan(10);
  });

  it('creates a webhook, sends it a test event the SDK verifies with the printed secret, lists deliveries, deletes it', async () => {
    const received: { headers: IncomingHttpHeaders; body: string }[] = [];
    const receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        received.push({ headers: request.headers, body });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
      const created = await json<{ id: string; secret: string; events: string[] }>(
        '--tenant',
        clientTenant,
        'webhooks',
        'create',
        url,
        '--event',
        'command.ended',
        '--event',
        'gateway.registered',
      );
      expect(created.secret).toMatch(/^whsec_/);
      expect(created.events).toEqual(['command.ended', 'gateway.registered']);
      expect((await json<{ id: string }[]>('--tenant', clientTenant, 'webhooks', 'list')).map((w) => w.id)).toContain(created.id);

      const sent = await json<{ eventType: string }>('--tenant', clientTenant, 'webhooks', 'test', created.id);
      expect(sent.eventType).toBe('webhook.test');
      await waitFor(
        async () => received.length,
        (n) => n > 0,
      );
      const event = verifyWebhook(created.secret, received[0].body, received[0].headers as Record<string, string>);
      expect(event.type).toBe('webhook.test');
      expect(() => verifyWebhook(created.secret, received[0].body + ' ', received[0].headers as Record<string, string>)).toThrow(GcpError);

      const deliveries = await waitFor(
        () =>
          json<{ eventType: string; status: string; lastStatusCode: number | null }[]>(
            '--tenant',
            clientTenant,
            'webhooks',
            'deliveries',
            created.id,
          ),
        (list) => list.some((d) => d.status === 'SUCCEEDED'),
      );
      expect(deliveries[0]).toMatchObject({ eventType: 'webhook.test', status: 'SUCCEEDED', lastStatusCode: 204 });

      const table = await gcpctl('--tenant', clientTenant, 'webhooks', 'deliveries', created.id);
      expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+EVENT\s+STATUS\s+ATTEMPTS\s+LAST CODE\s+LAST MS\s+NEXT RETRY\s+ERROR$/);
      expect((await gcpctl('--tenant', clientTenant, 'webhooks', 'delete', created.id)).code).toBe(0);
      const gone = await gcpctl('--tenant', clientTenant, 'webhooks', 'show', created.id);
      expect(gone.code).toBe(1);
      expect(gone.stderr).toMatch(/^error \w*NOT_FOUND \(HTTP 404\)/);
    } finally {
      receiver.closeAllConnections();
      await new Promise((resolve) => receiver.close(resolve));
    }
  });

  it('labels profiles, lists by label selector, and a bulk command to a selector skips the offline gateway', async () => {
    type Profile = { id: string; labels: Record<string, string> };
    const labelled = async (name: string, labels: string[], heartbeat: boolean) => {
      const profile = await json<Profile>('--tenant', clientTenant, 'profiles', 'create', name, ...labels.flatMap((l) => ['--label', l]));
      const minted = await json<{ token: string }>('--tenant', clientTenant, 'tokens', 'mint', profile.id);
      const gw = healthySession(t.url, 'CLASSIC');
      expect((await gw.register(minted.token)).status).toBe(201);
      if (heartbeat) expect((await gw.heartbeat()).status).toBe(200);
      return { profile, gw };
    };
    const online = await labelled('cli-paris-1', ['site=paris', 'env=prod'], true);
    const lab = await labelled('cli-paris-2', ['site=paris', 'tier=gold'], true);
    const offline = await labelled('cli-paris-3', ['site=paris'], false);
    expect(online.profile.labels).toEqual({ site: 'paris', env: 'prod' });

    const relabelled = await json<Profile>('--tenant', clientTenant, 'profiles', 'label', lab.profile.id, 'env=lab', 'tier-');
    expect(relabelled.labels).toEqual({ site: 'paris', env: 'lab' });
    const bad = await gcpctl('--tenant', clientTenant, 'profiles', 'label', lab.profile.id, 'Bad Key=x');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error INVALID_REQUEST \(HTTP 400\)/);

    const paris = await json<Profile[]>('--tenant', clientTenant, 'profiles', 'list', '--selector', 'site=paris,env!=lab');
    expect(paris.map((p) => p.id).sort()).toEqual([online.profile.id, offline.profile.id].sort());
    const gateways = await json<{ id: string }[]>('--tenant', clientTenant, 'gateways', 'list', '-l', 'env in (prod,lab)');
    expect(gateways.map((g) => g.id).sort()).toEqual([online.gw.gatewayId, lab.gw.gatewayId].sort());

    const bulk = start([
      '--tenant',
      clientTenant,
      'bulk',
      'create',
      'PING',
      '--selector',
      'site=paris,env!=lab',
      '--skip-offline',
      '--follow',
      '--interval',
      '100',
    ]);
    const commands = await waitFor(
      async () => (await online.gw.pollCommands(0)).body.commands,
      (list) => list.length > 0,
    );
    await online.gw.updateCommand(commands[0].commandId, { state: 'SUCCEEDED' });
    const done = await bulk.done;
    expect(done.code, done.stderr).toBe(0);
    expect(done.stderr).toContain('2/2  succeeded 1  failed 0  skipped 1  COMPLETED');
    expect((await offline.gw.pollCommands(0)).body.commands).toEqual([]);
  });

  it('migrates a classic gateway to a cluster and rolls it back, following each to COMPLETED with the token it prints', async () => {
    const tenant = await json<{ id: string }>('tenants', 'create', 'CLI clustering', '--clustering');
    const profile = await json<{ id: string }>('--tenant', tenant.id, 'profiles', 'create', 'cli-migrating');
    const minted = await json<{ token: string }>('--tenant', tenant.id, 'tokens', 'mint', profile.id);
    const classic = healthySession(t.url, 'CLASSIC');
    expect((await classic.register(minted.token)).status).toBe(201);
    expect((await classic.heartbeat()).status).toBe(200);

    /** Follows a migration process: the new gateway registers with the token it prints and runs what it is sent. */
    const complete = async (args: string[], type: 'CLASSIC' | 'CLUSTER') => {
      const run = start(['--tenant', tenant.id, ...args, '--follow', '--interval', '100', '--output', 'json']);
      const printed = await waitFor(
        async () => /activation token (gwat_\S+)/.exec(run.result.stderr)?.[1],
        (token) => token !== undefined,
        20_000,
      );
      const target = healthySession(t.url, type);
      // It registers once the old gateway has left (AWAITING_TARGET).
      await waitFor(
        () => target.register(printed!),
        (r) => r.status === 201,
        20_000,
        200,
      );
      const deadline = Date.now() + 20_000;
      while (run.child.exitCode === null && Date.now() < deadline) {
        for (const command of (await target.pollCommands(0)).body.commands) {
          await target.updateCommand(command.commandId, { state: 'SUCCEEDED' });
          if (command.type === 'APPLY_CONFIGURATION') target.configurationVersion = command.parameters.version as number;
        }
        await sleep(200);
      }
      const ended = await run.done;
      expect(ended.code, ended.stderr).toBe(0);
      return { migration: JSON.parse(ended.stdout) as { id: string; state: string; direction: string; targetGatewayId: string }, target };
    };
    const forward = await complete(['migrate', 'start', profile.id, '--to', 'cluster'], 'CLUSTER');
    expect(forward.migration).toMatchObject({
      state: 'COMPLETED',
      direction: 'CLASSIC_TO_CLUSTER',
      targetGatewayId: forward.target.gatewayId,
    });
    const back = await complete(['migrate', 'rollback', forward.migration.id], 'CLASSIC');
    expect(back.migration).toMatchObject({ state: 'COMPLETED', direction: 'CLUSTER_TO_CLASSIC', targetGatewayId: back.target.gatewayId });
    const listed = await json<{ id: string }[]>('--tenant', tenant.id, 'migrate', 'list', '--profile', profile.id);
    expect(listed.map((m) => m.id).sort()).toEqual([forward.migration.id, back.migration.id].sort());
  });

  it('fails with a non-zero exit, the error code and a hint', async () => {
    const missing = await gcpctl('--tenant', clientTenant, 'gateways', 'show', '00000000-0000-4000-8000-000000000000');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error GATEWAY_NOT_FOUND \(HTTP 404\): /);
    expect(missing.stderr).toContain('hint: check the id');

    const taken = await gcpctl('--tenant', clientTenant, 'profiles', 'create', 'cli-site-1');
    expect(taken.code).toBe(1);
    expect(taken.stderr).toMatch(/^error PROFILE_NAME_TAKEN \(HTTP 409\)/);

    const badLogin = await start(['login', '--url', t.url, '--client-id', TEST_ENV.BOOTSTRAP_CLIENT_ID, '--client-secret-stdin'], {
      input: 'wrong',
    }).done;
    expect(badLogin.code).toBe(1);
    expect(badLogin.stderr).toMatch(/^error INVALID_CLIENT \(HTTP 401\)/);
    expect(badLogin.stderr).toContain('hint: check the client id and secret');

    const usage = await gcpctl('commands', 'queue');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("missing required argument 'gatewayId'");

    const unreachable = await start(['profiles', 'list'], {
      env: { GCPCTL_URL: 'http://127.0.0.1:9', GCPCTL_CLIENT_ID: 'x', GCPCTL_CLIENT_SECRET: 'y' },
    }).done;
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/^error UNREACHABLE/);
    expect(unreachable.stderr).toContain('hint: is the service running at http://127.0.0.1:9?');

    const loggedOut = await start(['profiles', 'list'], { env: { XDG_CONFIG_HOME: join(home, 'nowhere') } }).done;
    expect(loggedOut.code).toBe(2);
    expect(loggedOut.stderr).toMatch(/^error NOT_LOGGED_IN/);
  });

  it('answers --help on every command, exit 0', async () => {
    const commands = [
      [],
      ['login'],
      ['tenants', 'list'],
      ['profiles', 'create'],
      ['profiles', 'show'],
      ['profiles', 'label'],
      ['tokens', 'mint'],
      ['gateways', 'watch'],
      ['commands', 'queue'],
      ['commands', 'follow'],
      ['bulk', 'create'],
      ['bulk', 'follow'],
      ['migrate', 'start'],
      ['migrate', 'rollback'],
      ['webhooks', 'create'],
      ['webhooks', 'deliveries'],
      ['replace'],
    ];
    for (const path of commands) {
      const help = await gcpctl(...path, '--help');
      expect(help.code, path.join(' ')).toBe(0);
      expect(help.stdout).toContain(`Usage: gcpctl ${path.join(' ')}`.trim());
    }
  });

  async function mintedToken(name: string): Promise<{ profileId: string; token: string }> {
    const profile = await json<{ id: string }>('--tenant', clientTenant, 'profiles', 'create', name);
    const minted = await json<{ token: string }>('--tenant', clientTenant, 'tokens', 'mint', profile.id);
    return { profileId: profile.id, token: minted.token };
  }

  async function registeredGateway(name: string) {
    const { token } = await mintedToken(name);
    const gw = healthySession(t.url, 'CLASSIC');
    expect((await gw.register(token)).status).toBe(201);
    expect((await gw.heartbeat()).status).toBe(200);
    return gw;
  }
});
