import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from './support/api.js';
import { Fleet } from './support/fleet.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { sleep, waitFor } from './support/wait.js';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** A real HTTP receiver on 127.0.0.1: records every request; `answer` decides each status (and delay) per path. */
class Receiver {
  readonly received: Received[] = [];
  answer: (path: string, nth: number) => { status: number; delayMs?: number } = () => ({ status: 200 });
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const path = request.url ?? '/';
        this.received.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
        const { status, delayMs } = this.answer(path, this.on(path).length);
        setTimeout(() => response.writeHead(status).end('ok'), delayMs ?? 0);
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  on(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

const headersOf = (r: Received) => ({
  'webhook-id': String(r.headers['webhook-id']),
  'webhook-timestamp': String(r.headers['webhook-timestamp']),
  'webhook-signature': String(r.headers['webhook-signature']),
});

describe('webhooks', () => {
  let t: TestApp;
  let api: Api;
  let admin: string;
  let tenantId: string;
  let otherAdmin: string;
  let otherTenant: string;
  const receiver = new Receiver();

  beforeAll(async () => {
    await receiver.start();
    // Retries give up after 3 s here (the default is a day), so disablement is seen in a test.
    t = await startTestApp({ env: { WEBHOOK_RETRY_PERIOD_SECONDS: '3' } });
    api = new Api(t);
    const partner = await api.partner();
    tenantId = await api.createClientTenant(partner.token, 'Webhook client');
    admin = await api.clientToken(partner.token, tenantId, ['admin']);
    otherTenant = await api.createClientTenant(partner.token, 'Other client');
    otherAdmin = await api.clientToken(partner.token, otherTenant, ['admin']);
  });
  afterAll(async () => {
    await t?.close();
    await receiver.stop();
  });

  const create = (path: string, events: string[], token = admin, tenant = tenantId) =>
    api.post(token, `/api/v1/tenants/${tenant}/webhooks`, { url: `${receiver.url}${path}`, events, description: path });

  it('creates a webhook (201, secret shown once), lists, reads, updates and deletes it; admins only', async () => {
    const created = await create('/crud', ['command.ended']);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ url: `${receiver.url}/crud`, events: ['command.ended'], status: 'ENABLED', tenantId });
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
    expect(created.headers.location).toBe(`/api/v1/tenants/${tenantId}/webhooks/${created.body.id}`);
    const id = created.body.id as string;

    const got = await api.get(admin, `/api/v1/tenants/${tenantId}/webhooks/${id}`);
    expect(got.status).toBe(200);
    expect(got.body.secret).toBeUndefined();
    expect(got.body.secretPrefix).toBe(created.body.secret.slice(0, 10));
    const listed = await api.get(admin, `/api/v1/tenants/${tenantId}/webhooks`);
    expect(listed.body.items.map((w: { id: string }) => w.id)).toContain(id);

    const patched = await api.patch(admin, `/api/v1/tenants/${tenantId}/webhooks/${id}`, {
      events: ['command.ended', 'gateway.registered'],
    });
    expect(patched.status).toBe(200);
    expect(patched.body.events).toEqual(['command.ended', 'gateway.registered']);

    const viewer = await api.clientToken(admin, tenantId, ['viewer']);
    expect((await api.get(viewer, `/api/v1/tenants/${tenantId}/webhooks`)).status).toBe(403);
    expect((await api.get(otherAdmin, `/api/v1/tenants/${tenantId}/webhooks/${id}`)).status).toBe(404);
    expect((await api.get(otherAdmin, `/api/v1/tenants/${otherTenant}/webhooks/${id}`)).body.code).toBe('WEBHOOK_NOT_FOUND');

    expect((await api.delete(admin, `/api/v1/tenants/${tenantId}/webhooks/${id}`)).status).toBe(204);
    expect((await api.get(admin, `/api/v1/tenants/${tenantId}/webhooks/${id}`)).body.code).toBe('WEBHOOK_NOT_FOUND');
  });

  it('refuses unknown events and private, link-local or non-http targets, naming the field', async () => {
    const unknown = await create('/x', ['gateway.exploded']);
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].field).toBe('events');
    for (const url of ['http://169.254.169.254/latest/meta-data', 'http://10.0.0.7/hook', 'http://[fd00::1]/hook', 'file:///etc/passwd']) {
      const refused = await api.post(admin, `/api/v1/tenants/${tenantId}/webhooks`, { url, events: ['command.ended'] });
      expect(refused.status, url).toBe(400);
      expect(refused.body.code).toBe('WEBHOOK_TARGET_REFUSED');
      expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'url' })]);
    }
  });

  it('a test ping is signed per Standard Webhooks and verifies with the standardwebhooks library', async () => {
    const created = await create('/ping', ['command.ended']);
    const sent = await api.post(admin, `/api/v1/tenants/${tenantId}/webhooks/${created.body.id}/test`);
    expect(sent.status).toBe(202);
    expect(sent.body).toMatchObject({ eventType: 'webhook.test', status: 'PENDING', webhookId: created.body.id });
    const [ping] = await waitFor(
      async () => receiver.on('/ping'),
      (r) => r.length === 1,
    );
    expect(ping!.headers['webhook-id']).toBe(`msg_${sent.body.id}`);
    const verified = new Webhook(created.body.secret).verify(ping!.body, headersOf(ping!)) as { type: string; data: { webhookId: string } };
    expect(verified.type).toBe('webhook.test');
    expect(verified.data.webhookId).toBe(created.body.id);
    // A wrong secret or a changed body does not verify.
    expect(() => new Webhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`).verify(ping!.body, headersOf(ping!))).toThrow();
    expect(() => new Webhook(created.body.secret).verify(ping!.body.replace('test', 'tesT'), headersOf(ping!))).toThrow();

    const log = await waitFor(
      () => api.get(admin, `/api/v1/tenants/${tenantId}/webhooks/${created.body.id}/deliveries`),
      (r) => r.body.items[0]?.status === 'SUCCEEDED',
    );
    expect(log.body.items[0]).toMatchObject({
      id: sent.body.id,
      eventType: 'webhook.test',
      attempts: 1,
      lastStatusCode: 200,
      nextAttemptAt: null,
    });
    expect(log.body.items[0].lastDurationMs).toBeGreaterThanOrEqual(0);
  });

  it('a registration sends gateway.registered then activation_token.used, data in the REST shapes; other tenants hear nothing', async () => {
    const hook = await create('/events', ['gateway.registered', 'activation_token.used', 'gateway.status_changed']);
    const foreign = await create('/foreign', ['gateway.registered'], otherAdmin, otherTenant);
    expect(foreign.status).toBe(201);
    const fleet = new Fleet(api, tenantId, admin, t.url);
    const { gw, tokenId } = await fleet.gateway();
    const events = await waitFor(
      async () =>
        receiver.on('/events').map((r) => JSON.parse(r.body) as { type: string; timestamp: string; data: Record<string, unknown> }),
      (list) => list.length >= 3,
    );
    expect(events.map((e) => e.type)).toEqual(['gateway.registered', 'activation_token.used', 'gateway.status_changed']);
    const rest = await api.get(admin, `/api/v1/tenants/${tenantId}/gateways/${gw.gatewayId}`);
    expect(Object.keys(events[0]!.data).sort()).toEqual(Object.keys(rest.body).sort());
    expect(events[0]!.data).toMatchObject({ id: gw.gatewayId, status: 'REGISTERED' });
    expect(events[1]!.data).toMatchObject({ id: tokenId, profileId: rest.body.profileId });
    expect(events[2]!.data).toMatchObject({ id: gw.gatewayId, status: 'CONNECTED' });
    for (const event of events) expect(Date.parse(event.timestamp)).not.toBeNaN();
    for (const r of receiver.on('/events')) expect(() => new Webhook(hook.body.secret).verify(r.body, headersOf(r))).not.toThrow();
    await sleep(300);
    expect(receiver.on('/foreign')).toEqual([]);
  });

  it('a heartbeat whose nodes change the health sends gateway.health_changed with the gateway as REST shows it', async () => {
    await create('/health', ['gateway.health_changed']);
    const fleet = new Fleet(api, tenantId, admin, t.url);
    const { gw } = await fleet.gateway();
    gw.nodes = gw.nodes.map((node) => ({ ...node, diskGb: 1 }));
    expect((await gw.heartbeat()).status).toBe(200);
    const [event] = await waitFor(
      async () => receiver.on('/health').map((r) => JSON.parse(r.body) as { type: string; data: { id: string; health: string } }),
      (list) => list.length >= 1,
    );
    expect(event).toMatchObject({ type: 'gateway.health_changed', data: { id: gw.gatewayId, health: 'DEGRADED' } });
  });

  it('retries after 500s with back-off, the same webhook-id each time (a duplicate to drop), and keeps order behind a retried delivery', async () => {
    const hook = await create('/flaky', ['command.ended']);
    receiver.answer = (path, nth) => ({ status: path === '/flaky' && nth <= 2 ? 500 : 200 });
    const first = await api.post(admin, `/api/v1/tenants/${tenantId}/webhooks/${hook.body.id}/test`);
    const second = await api.post(admin, `/api/v1/tenants/${tenantId}/webhooks/${hook.body.id}/test`);
    const received = await waitFor(
      async () => receiver.on('/flaky'),
      (r) => r.length >= 4,
    );
    receiver.answer = () => ({ status: 200 });
    const ids = received.map((r) => r.headers['webhook-id']);
    // The first is tried three times (500, 500, 200); the second waits behind it.
    expect(ids).toEqual([`msg_${first.body.id}`, `msg_${first.body.id}`, `msg_${first.body.id}`, `msg_${second.body.id}`]);
    expect(received[2]!.at - received[0]!.at).toBeGreaterThanOrEqual(100);
    const log = await waitFor(
      () => api.get(admin, `/api/v1/tenants/${tenantId}/webhooks/${hook.body.id}/deliveries`),
      (r) => r.body.items.every((d: { status: string }) => d.status === 'SUCCEEDED'),
    );
    const firstLog = log.body.items.find((d: { id: string }) => d.id === first.body.id);
    expect(firstLog).toMatchObject({ attempts: 3, lastStatusCode: 200, status: 'SUCCEEDED' });
  });

  it('an endpoint failing for the whole retry period is disabled and webhook.disabled is sent; a slow one never delays another', async () => {
    const dead = await create('/dead', ['command.ended']);
    const watcher = await create('/watcher', ['webhook.disabled']);
    const slow = await create('/slow', ['command.ended']);
    const fast = await create('/fast', ['command.ended']);
    receiver.answer = (path) => (path === '/dead' ? { status: 503 } : path === '/slow' ? { status: 200, delayMs: 1_500 } : { status: 200 });

    await api.post(admin, `/api/v1/tenants/${tenantId}/webhooks/${slow.body.id}/test`);
    await api.post(admin, `/api/v1/tenants/${tenantId}/webhooks/${slow.body.id}/test`);
    const started = Date.now();
    await api.post(admin, `/api/v1/tenants/${tenantId}/webhooks/${fast.body.id}/test`);
    await waitFor(
      async () => receiver.on('/fast'),
      (r) => r.length === 1,
    );
    expect(Date.now() - started).toBeLessThan(1_000);

    await api.post(admin, `/api/v1/tenants/${tenantId}/webhooks/${dead.body.id}/test`);
    const disabled = await waitFor(
      () => api.get(admin, `/api/v1/tenants/${tenantId}/webhooks/${dead.body.id}`),
      (r) => r.body.status === 'DISABLED',
      15_000,
    );
    expect(disabled.body.disabledReason).toMatch(/failed/);
    expect(receiver.on('/dead').length).toBeGreaterThanOrEqual(2);
    const notice = await waitFor(
      async () => receiver.on('/watcher'),
      (r) => r.length === 1,
    );
    const event = new Webhook(watcher.body.secret).verify(notice[0]!.body, headersOf(notice[0]!)) as {
      type: string;
      data: { id: string; status: string };
    };
    expect(event).toMatchObject({ type: 'webhook.disabled', data: { id: dead.body.id, status: 'DISABLED' } });
    const log = await api.get(admin, `/api/v1/tenants/${tenantId}/webhooks/${dead.body.id}/deliveries`);
    expect(log.body.items[0]).toMatchObject({ status: 'FAILED', lastStatusCode: 503, nextAttemptAt: null });
    expect(await api.auditActions(admin, tenantId)).toContain('webhook.disabled');

    // Re-enabled by an admin, it takes new deliveries again.
    receiver.answer = () => ({ status: 200 });
    const enabled = await api.patch(admin, `/api/v1/tenants/${tenantId}/webhooks/${dead.body.id}`, { enabled: true });
    expect(enabled.body).toMatchObject({ status: 'ENABLED', disabledAt: null });
    const before = receiver.on('/dead').length;
    await api.post(admin, `/api/v1/tenants/${tenantId}/webhooks/${dead.body.id}/test`);
    await waitFor(
      async () => receiver.on('/dead').length,
      (n) => n === before + 1,
    );
  });

  it('GraphQL: create (payload with the secret), read with deliveries, test, update, delete', async () => {
    const created = await api.graphql(
      admin,
      `mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { secret webhook { id url events status } } }`,
      { input: { tenantId, url: `${receiver.url}/gql`, events: ['migration.updated'] } },
    );
    expect(created.body.errors).toBeUndefined();
    const id = created.body.data.createWebhook.webhook.id as string;
    expect(created.body.data.createWebhook.secret).toMatch(/^whsec_/);
    const tested = await api.graphql(
      admin,
      `mutation($input: WebhookRefInput!) { testWebhook(input: $input) { delivery { id eventType status } } }`,
      {
        input: { id },
      },
    );
    expect(tested.body.data.testWebhook.delivery).toMatchObject({ eventType: 'webhook.test', status: 'PENDING' });
    const read = await waitFor(
      () =>
        api.graphql(
          admin,
          `query($id: ID!) { webhook(id: $id) { id status deliveries(first: 5) { nodes { status attempts lastStatusCode } } } }`,
          {
            id,
          },
        ),
      (r) => r.body.data?.webhook.deliveries.nodes[0]?.status === 'SUCCEEDED',
    );
    expect(read.body.data.webhook.deliveries.nodes[0]).toMatchObject({ attempts: 1, lastStatusCode: 200 });
    const updated = await api.graphql(
      admin,
      `mutation($input: UpdateWebhookInput!) { updateWebhook(input: $input) { webhook { status } } }`,
      {
        input: { id, enabled: false },
      },
    );
    expect(updated.body.data.updateWebhook.webhook.status).toBe('DISABLED');
    const deleted = await api.graphql(admin, `mutation($input: WebhookRefInput!) { deleteWebhook(input: $input) { deletedWebhookId } }`, {
      input: { id },
    });
    expect(deleted.body.data.deleteWebhook.deletedWebhookId).toBe(id);
    const list = await api.graphql(admin, `query($tenantId: ID) { webhooks(tenantId: $tenantId) { nodes { id } } }`, { tenantId });
    expect(list.body.data.webhooks.nodes.map((n: { id: string }) => n.id)).not.toContain(id);
  });
});
