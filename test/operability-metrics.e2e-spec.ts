import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthySession } from './support/fleet.js';
import { MetricsServer } from '../src/platform/metrics/metrics.module.js';
import { Api } from './support/api.js';
import { valueOf } from './support/prometheus-text.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { sleep, waitFor } from './support/wait.js';

describe('/metrics access', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  it('on the public port only with the bearer token (METRICS_TOKEN): 401 without it or with another', async () => {
    expect((await t.http().get('/metrics')).status).toBe(401);
    expect((await t.http().get('/metrics').set('authorization', 'Bearer not-the-metrics-token')).status).toBe(401);
    const scraped = await t.http().get('/metrics').set('authorization', `Bearer ${t.config.metrics.token}`);
    expect(scraped.status).toBe(200);
    expect(scraped.text).toContain('# TYPE gcp_gateways gauge');
  });

  it('with METRICS_PORT, on a port of its own without a token, and not on the public port', async () => {
    const own = await startTestApp({ shareWith: t, env: { METRICS_PORT: '0', METRICS_TOKEN: '' } });
    try {
      expect((await own.http().get('/metrics')).status).toBe(404);
      const port = own.app.get(MetricsServer).port;
      const response = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('process_resident_memory_bytes');
      expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
    } finally {
      await own.close();
    }
  });
});

describe('metrics move with the fleet, its heartbeats and its commands', () => {
  let t: TestApp;
  let api: Api;
  let admin: string;
  let viewer: string;
  let tenantId: string;
  let counter = 0;
  const scrape = async () => (await t.http().get('/metrics').set('authorization', `Bearer ${t.config.metrics.token}`)).text;
  const online = async () => {
    const { token } = await api.profileWithToken(admin, tenantId, `metrics-${(counter += 1)}`);
    const gw = healthySession(t.url, 'CLASSIC');
    expect((await gw.register(token)).status).toBe(201);
    expect((await gw.heartbeat()).status).toBe(200);
    return gw;
  };

  beforeAll(async () => {
    t = await startTestApp();
    api = new Api(t);
    const partner = await api.partner();
    tenantId = await api.createClientTenant(partner.token, 'Metrics client');
    admin = await api.clientToken(partner.token, tenantId, ['admin']);
    viewer = await api.clientToken(partner.token, tenantId, ['viewer']);
  });
  afterAll(() => t?.close());

  it('gcp_gateways counts the fleet by status, health and type, maintained from its transitions', async () => {
    const before = await scrape();
    const connected = (text: string) => valueOf(text, 'gcp_gateways', { status: 'CONNECTED', type: 'CLASSIC' });
    const gateways = [await online(), await online(), await online()];
    expect(connected(await scrape()) - connected(before)).toBe(3);
    expect((await gateways[0]!.deregister()).status).toBe(200);
    const after = await scrape();
    expect(connected(after) - connected(before)).toBe(2);
    expect(valueOf(after, 'gcp_gateways', { status: 'DEREGISTERED' }) - valueOf(before, 'gcp_gateways', { status: 'DEREGISTERED' })).toBe(
      1,
    );
  });

  it('heartbeats by outcome, registrations, refused registrations, status transitions', async () => {
    const before = await scrape();
    const gw = await online();
    expect((await gw.heartbeat({ sequence: 1 })).status).toBe(200); // a repeat: stale
    expect((await gw.heartbeat({ nodes: [] })).status).toBe(400); // a classic gateway reports one node
    for (let i = 0; i < 2; i++) await healthySession(t.url, 'CLASSIC').register('gcp_at_not-a-real-token-000000000000000000000');
    await waitFor(
      scrape,
      (text) =>
        valueOf(text, 'gcp_gateway_status_transitions_total', { from: 'REGISTERED', to: 'CONNECTED' }) >
        valueOf(before, 'gcp_gateway_status_transitions_total', { from: 'REGISTERED', to: 'CONNECTED' }),
    );
    const after = await scrape();
    const delta = (name: string, labels: Record<string, string> = {}) => valueOf(after, name, labels) - valueOf(before, name, labels);
    expect(delta('gcp_heartbeats_total', { outcome: 'ok' })).toBe(1);
    expect(delta('gcp_heartbeats_total', { outcome: 'stale' })).toBe(1);
    expect(delta('gcp_heartbeats_total', { outcome: 'rejected' })).toBe(1);
    expect(delta('gcp_gateway_registrations_total', { type: 'CLASSIC' })).toBe(1);
    expect(delta('gcp_gateway_registration_failures_total')).toBe(2);
    expect(delta('gcp_gateway_status_transitions_total', { from: 'NONE', to: 'REGISTERED' })).toBe(1);
  });

  it('commands queued and ended by type and state, their two latencies, a long poll held, the outbox relayed', async () => {
    const gw = await online();
    const before = await scrape();
    const queued = await api.post(admin, `/api/v1/tenants/${tenantId}/gateways/${gw.gatewayId}/commands`, { type: 'PING' });
    expect(queued.status).toBe(201);
    expect((await gw.pollCommands(0)).body.commands).toHaveLength(1);
    expect((await gw.updateCommand(queued.body.id, { state: 'FAILED', message: 'no route' })).status).toBe(200);
    // A long poll held open shows in gcp_long_polls_held until it answers.
    const held = gw.pollCommands(2);
    await waitFor(scrape, (text) => valueOf(text, 'gcp_long_polls_held') === 1);
    await held;
    const after = await waitFor(
      scrape,
      (text) =>
        valueOf(text, 'gcp_command_delivery_to_end_seconds_count', { type: 'PING', state: 'FAILED' }) >
        valueOf(before, 'gcp_command_delivery_to_end_seconds_count', { type: 'PING', state: 'FAILED' }),
    );
    const delta = (name: string, labels: Record<string, string> = {}) => valueOf(after, name, labels) - valueOf(before, name, labels);
    expect(delta('gcp_commands_queued_total', { type: 'PING' })).toBe(1);
    expect(delta('gcp_commands_ended_total', { type: 'PING', state: 'FAILED' })).toBe(1);
    expect(delta('gcp_command_queue_to_delivery_seconds_count', { type: 'PING' })).toBe(1);
    expect(delta('gcp_command_delivery_to_end_seconds_count', { type: 'PING', state: 'FAILED' })).toBe(1);
    expect(delta('gcp_outbox_events_relayed_total', { topic: 'commandUpdated' })).toBeGreaterThanOrEqual(3);
    expect(delta('gcp_outbox_relay_delay_seconds_count')).toBeGreaterThanOrEqual(3);
    expect(valueOf(after, 'gcp_long_polls_held')).toBe(0);
  });

  it('an open GraphQL subscription is counted until it is closed', async () => {
    const open = (text: string) => valueOf(text, 'gcp_graphql_subscriptions_open', { topic: 'gatewayStatusChanged' });
    const base = open(await scrape());
    const client = createClient({
      url: `${t.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${viewer}` },
    });
    const unsubscribe = client.subscribe(
      { query: 'subscription { gatewayStatusChanged { gatewayId status } }' },
      { next: () => undefined, error: () => undefined, complete: () => undefined },
    );
    await waitFor(scrape, (text) => open(text) === base + 1);
    unsubscribe();
    await waitFor(scrape, (text) => open(text) === base);
    await client.dispose();
  });

  it('queues, outbox, Postgres pool, Redis latency and dependencies are reported', async () => {
    await sleep(100);
    const text = await scrape();
    for (const queue of ['liveness', 'commands', 'migrations', 'events']) {
      for (const state of ['waiting', 'active', 'delayed', 'failed'])
        expect(text).toMatch(new RegExp(`gcp_queue_jobs\\{queue="${queue}",state="${state}"\\} \\d+`));
    }
    expect(text).toMatch(/^gcp_outbox_backlog_events \d+/m);
    expect(text).toMatch(/^gcp_outbox_lag_seconds [\d.e-]+/m);
    expect(valueOf(text, 'gcp_db_pool_connections', { state: 'total' })).toBeGreaterThan(0);
    expect(text).toMatch(/^gcp_db_pool_connections\{state="waiting"\} \d+/m);
    expect(valueOf(text, 'gcp_redis_command_duration_seconds_count')).toBeGreaterThan(0);
    expect(valueOf(text, 'gcp_dependency_up', { dependency: 'postgres' })).toBe(1);
    expect(valueOf(text, 'gcp_dependency_up', { dependency: 'redis' })).toBe(1);
    expect(text).toMatch(/^gcp_bulk_commands_in_progress 0/m);
  });
});

describe('rate limits', () => {
  it('a refusal with 429 counts in gcp_rate_limit_refusals_total by route', async () => {
    const t = await startTestApp({ env: { REGISTER_FAILURE_LIMIT: '2' } });
    try {
      const scrape = async () => (await t.http().get('/metrics').set('authorization', `Bearer ${t.config.metrics.token}`)).text;
      const before = valueOf(await scrape(), 'gcp_rate_limit_refusals_total', { route: '/gateway/v1/register' });
      const statuses = [];
      for (let i = 0; i < 3; i++)
        statuses.push((await healthySession(t.url, 'CLASSIC').register('gcp_at_not-a-real-token-000000000000000000000')).status);
      expect(statuses).toEqual([401, 401, 429]);
      expect(valueOf(await scrape(), 'gcp_rate_limit_refusals_total', { route: '/gateway/v1/register' }) - before).toBe(1);
    } finally {
      await t.close();
    }
  });
});
