import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from './support/api.js';
import { Fleet } from './support/fleet.js';
import { startServiceProcess } from './support/service-process.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { TEST_ENV } from './support/test-env.js';

type Line = Record<string, unknown> & { level: number; msg: string };
const parse = (lines: string[]): Line[] => lines.map((line) => JSON.parse(line) as Line);
const requestLines = (lines: string[]) => parse(lines).filter((line) => line.msg === 'request');
// ESC followed by [: the start of an ANSI colour code.
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[`);

/** Runs the built service with `env` until it exits; its stdout lines. */
function runService(env: Record<string, string | undefined>, timeoutMs = 80_000): Promise<{ code: number | null; lines: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['dist/src/main.js'], {
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the service did not exit in ${timeoutMs} ms: ${out}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, lines: out.split('\n').filter(Boolean) });
    });
  });
}

describe('request logs', () => {
  let t: TestApp;
  let api: Api;
  const lines: string[] = [];

  beforeAll(async () => {
    t = await startTestApp({ logLines: lines, env: { LOG_LEVEL: 'info' } });
    api = new Api(t);
  });
  afterAll(() => t?.close());

  it('start-up is logged as JSON lines without colour codes', () => {
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) {
      expect(line).not.toMatch(ANSI);
      expect(() => JSON.parse(line)).not.toThrow();
    }
    expect(parse(lines).some((line) => line.context === 'NestApplication' && line.msg === 'Nest application successfully started')).toBe(
      true,
    );
  });

  it('one line per request, 200, 400 and 404 alike: method, route template, status, duration, request id, tenant, principal', async () => {
    const partner = await api.partner();
    lines.length = 0;
    const ok = await api.get(partner.token, `/api/v1/tenants/${partner.tenantId}/management-profiles`);
    const bad = await api.post(partner.token, `/api/v1/tenants/${partner.tenantId}/management-profiles`, { name: '' });
    const missing = await api.get(
      partner.token,
      `/api/v1/tenants/${partner.tenantId}/management-profiles/00000000-0000-4000-8000-000000000000`,
    );
    const nowhere = await t.http().get('/no/such/route?secret=1');
    expect([ok.status, bad.status, missing.status, nowhere.status]).toEqual([200, 400, 404, 404]);
    const logged = requestLines(lines);
    expect(logged).toHaveLength(4);
    const [okLine, badLine, missingLine, nowhereLine] = logged;
    expect(okLine).toMatchObject({
      level: 30,
      method: 'GET',
      route: '/api/v1/tenants/:tenantId/management-profiles',
      status: 200,
      reqId: ok.headers['x-request-id'],
      tenantId: partner.tenantId,
      principal: expect.stringMatching(/^api-client:[0-9a-f-]{36}$/),
    });
    expect(okLine.ms).toEqual(expect.any(Number));
    expect(badLine).toMatchObject({ method: 'POST', status: 400, reqId: bad.headers['x-request-id'] });
    expect(missingLine).toMatchObject({
      route: '/api/v1/tenants/:tenantId/management-profiles/:profileId',
      status: 404,
      reqId: missing.headers['x-request-id'],
    });
    // No route: the path is shown (never the query), and there is no principal.
    expect(nowhereLine).toMatchObject({ route: 'unmatched', path: '/no/such/route', status: 404 });
    expect(nowhereLine.principal).toBeUndefined();
    expect(lines.join('\n')).not.toContain(partner.token);
  });

  it('heartbeats, long polls and probes are quiet at info (debug by default), a refused heartbeat too (a fleet with a bad credential would flood the log)', async () => {
    const partner = await api.partner();
    const { gw } = await new Fleet(api, partner.tenantId, partner.token, t.url).gateway({ heartbeat: false });
    lines.length = 0;
    expect((await gw.heartbeat()).status).toBe(200);
    expect((await gw.pollCommands(0)).status).toBe(200);
    await t.http().get('/healthz');
    expect(requestLines(lines)).toEqual([]);
    const unauthorized = await t.http().post('/gateway/v1/heartbeat').set('authorization', 'Bearer nonsense').send({});
    expect(unauthorized.status).toBe(401);
    expect(requestLines(lines)).toHaveLength(0);
  });

  it("the request id is ours unless a trusted proxy is in front (TRUST_PROXY_HOPS), then the proxy's is kept", async () => {
    const direct = await t.http().get('/healthz').set('x-request-id', 'chosen-by-caller');
    expect(direct.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const proxied = await startTestApp({ shareWith: t, env: { TRUST_PROXY_HOPS: '1' } });
    try {
      expect((await proxied.http().get('/healthz').set('x-request-id', 'trace-abc.123')).headers['x-request-id']).toBe('trace-abc.123');
      expect((await proxied.http().get('/healthz').set('x-request-id', 'a b <script>')).headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await proxied.close();
    }
  });
});

describe('quiet requests by configuration', () => {
  it('LOG_QUIET_REQUESTS_LEVEL=info logs heartbeats with the gateway as principal; LOG_QUIET_REQUESTS_SAMPLE thins them', async () => {
    const lines: string[] = [];
    const t = await startTestApp({ logLines: lines, env: { LOG_LEVEL: 'info', LOG_QUIET_REQUESTS_LEVEL: 'info' } });
    const sampled: string[] = [];
    const thin = await startTestApp({
      shareWith: t,
      logLines: sampled,
      env: { LOG_LEVEL: 'info', LOG_QUIET_REQUESTS_LEVEL: 'info', LOG_QUIET_REQUESTS_SAMPLE: '0.2' },
    });
    try {
      const api = new Api(t);
      const partner = await api.partner();
      const { gw } = await new Fleet(api, partner.tenantId, partner.token, t.url).gateway({ heartbeat: false });
      lines.length = 0;
      expect((await gw.heartbeat()).status).toBe(200);
      const [line] = requestLines(lines);
      expect(line).toMatchObject({
        level: 30,
        route: '/gateway/v1/heartbeat',
        status: 200,
        tenantId: partner.tenantId,
        principal: `gateway:${gw.gatewayId}`,
      });

      sampled.length = 0;
      for (let i = 0; i < 200; i++) await thin.http().get('/healthz');
      const count = requestLines(sampled).length;
      // 20 % of 200, give or take chance (a binomial's 5 standard deviations).
      expect(count).toBeGreaterThan(12);
      expect(count).toBeLessThan(68);
    } finally {
      await thin.close();
      await t.close();
    }
  });
});

// The built service as a child process: slow to start on a busy machine.
describe('the process: start-up, configuration, connections, shutdown', { timeout: 120_000 }, () => {
  it('every configuration error at once, as one JSON line, exit 1', async () => {
    const { code, lines } = await runService({ DATABASE_URL: 'mysql://x', REDIS_URL: 'nope', PORT: 'eighty' });
    expect(code).toBe(1);
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]) as Line;
    expect(line).toMatchObject({ level: 60, context: 'Config' });
    expect((line.problems as string[]).map((problem) => problem.split(' ')[0]).sort()).toEqual([
      'DATABASE_URL',
      'JWT_SECRET',
      'PORT',
      'REDIS_URL',
    ]);
  });

  it('an unreachable Postgres is retried with growing waits, then start-up fails in JSON, exit 1', async () => {
    const { code, lines } = await runService({
      ...TEST_ENV,
      REDIS_URL: TEST_ENV.REDIS_URL,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none',
      STARTUP_CONNECT_TIMEOUT_SECONDS: '3',
      LOG_LEVEL: 'info',
    });
    expect(code).toBe(1);
    for (const line of lines) expect(line).not.toMatch(ANSI);
    const parsed = parse(lines);
    const retries = parsed.filter((line) => line.msg === 'cannot connect to Postgres; retrying');
    expect(retries.length).toBeGreaterThanOrEqual(3);
    const waits = retries.map((line) => line.delayMs as number);
    expect(waits[waits.length - 1]).toBeGreaterThan(waits[0] * 2);
    expect(parsed.find((line) => line.msg === 'start-up failed')).toMatchObject({
      level: 60,
      err: { message: expect.stringContaining('ECONNREFUSED') },
    });
    expect(parsed.at(-1)).toMatchObject({ msg: 'stopped', code: 1 });
  });

  it('SIGTERM: "shutting down" and "stopped" in JSON, exit 0', async () => {
    const t = await startTestApp();
    try {
      const service = await startServiceProcess(t);
      const out: string[] = [];
      service.process.stdout!.on('data', (chunk: Buffer) => out.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
      const exited = new Promise<number | null>((resolve) => service.process.once('exit', resolve));
      service.process.kill('SIGTERM');
      expect(await exited).toBe(0);
      const parsed = parse(out);
      expect(parsed.find((line) => line.msg === 'signal received')).toMatchObject({ signal: 'SIGTERM' });
      expect(parsed.some((line) => line.msg === 'shutting down')).toBe(true);
      expect(parsed.at(-1)).toMatchObject({ msg: 'stopped', code: 0 });
    } finally {
      await t.close();
    }
  });
});
