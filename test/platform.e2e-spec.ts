import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { EventPublisher } from '../src/platform/events/event-publisher.service.js';
import { EventTopic } from '../src/platform/events/topics.js';
import { REDIS } from '../src/platform/redis/redis.module.js';
import { sendTogether } from '../src/platform/redis/send-together.js';
import { ProfileConfigurationCache } from '../src/profiles/profile-configuration-cache.js';
import { Api } from './support/api.js';
import { waitFor } from './support/wait.js';
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

  it('a batch of events reaches a subscriber in the order published (one script on one Redis server)', async () => {
    const publisher = t.app.get(EventPublisher);
    const redis = t.app.get<Redis>(REDIS);
    const channel = publisher.channel(EventTopic.CommandUpdated);
    const commands = async () => {
      const stats = await redis.info('commandstats');
      const calls = (name: string) => Number(new RegExp(`cmdstat_${name}:calls=(\\d+)`).exec(stats)?.[1] ?? 0);
      return { publish: calls('publish'), scripts: calls('evalsha') + calls('eval') };
    };
    const heard: number[] = [];
    const subscriber = redis.duplicate();
    subscriber.on('message', (from: string, message: string) => {
      if (from === channel) heard.push((JSON.parse(message) as { payload: { n: number } }).payload.n);
    });
    try {
      await subscriber.subscribe(channel);
      const event = (n: number) => ({ tenantId: 'order-check', topic: EventTopic.CommandUpdated, payload: { n } });
      const before = await commands();
      await publisher.publishAll(Array.from({ length: 300 }, (_, n) => event(n)));
      await publisher.publishAll([event(300)]);
      await waitFor(
        async () => heard.length,
        (length) => length >= 301,
      );
      expect(heard).toEqual(Array.from({ length: 301 }, (_, n) => n));
      const after = await commands();
      // Other test files share this Redis: at least our 301 publishes (each a PUBLISH on its channel, from a script).
      expect(after.publish - before.publish).toBeGreaterThanOrEqual(301);
      expect(after.scripts).toBeGreaterThan(before.scripts);
    } finally {
      await subscriber.quit();
    }
  });

  it('sendTogether answers each reply in the order sent (scripts among them) and throws the first failure', async () => {
    const redis = t.app.get<Redis>(REDIS);
    const key = (n: number) => `send-together-check:${n}`;
    await redis.del(key(0), key(1), key(2));
    await sendTogether(redis, [
      ['set', key(0), 'zero'],
      ['hset', key(1), 'a', '1'],
      ['set', key(2), 'two'],
    ]);
    expect(
      await sendTogether(redis, [
        ['get', key(2)],
        ['hmget', key(1), 'a', 'b'],
        ['exists', key(0)],
        ['get', key(3)],
      ]),
    ).toEqual(['two', ['1', null], 1, null]);
    // A script defined on the connection goes by its name, as a plain command does.
    const configurationKey = t.app.get(ProfileConfigurationCache).key('send-together-profile');
    await redis.del(configurationKey);
    expect(
      await sendTogether(redis, [
        ['gcpSetProfileVersion', configurationKey, 7, 60],
        ['get', configurationKey],
      ]),
    ).toEqual([1, '7']);
    // HMGET on a string: WRONGTYPE, thrown as Promise.all would.
    await expect(
      sendTogether(redis, [
        ['get', key(0)],
        ['hmget', key(0), 'a'],
      ]),
    ).rejects.toThrow(/WRONGTYPE/);
    expect(await sendTogether(redis, [])).toEqual([]);
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
