import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from './support/api.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('platform endpoints', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  it('/healthz answers while the process is up, without a token', async () => {
    const response = await t.http().get('/healthz');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('/readyz reports Postgres and Redis', async () => {
    const response = await t.http().get('/readyz');
    expect(response.status).toBe(200);
    expect(response.body.details).toMatchObject({ postgres: { status: 'up' }, redis: { status: 'up' } });
  });

  it('/metrics exposes Prometheus metrics, our request histogram among them', async () => {
    await t.http().get('/healthz');
    const response = await t.http().get('/metrics').set('authorization', `Bearer ${t.config.metrics.token}`);
    expect(response.status).toBe(200);
    expect(response.text).toContain('process_resident_memory_bytes');
    expect(response.text).toMatch(/gcp_http_request_duration_seconds_count\{method="GET",route="\/healthz",status="200"\} \d+/);
  });

  it("every answer carries a request id (a trusted proxy's own: see operability-logs.e2e-spec.ts)", async () => {
    const generated = await t.http().get('/healthz');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('bootstrap is idempotent: a second start with the same credentials adds nothing', async () => {
    const api = new Api(t);
    const partner = await api.partner();
    const before = await api.get(partner.token, '/api/v1/tenants');
    const second = await startTestApp({ shareWith: t });
    await second.close();
    const after = await api.get(partner.token, '/api/v1/tenants');
    expect(after.body.items).toEqual(before.body.items);
  });
});
