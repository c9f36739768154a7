import { Cluster, type Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewaySession } from '@gateway-control-plane/agent';
import { healthySession } from '../support/fleet.js';
import { GatewayLiveState, LIVENESS_SHARDS } from '../../src/gateways/gateway-live-state.js';
import { EventPublisher } from '../../src/platform/events/event-publisher.service.js';
import { EventTopic } from '../../src/platform/events/topics.js';
import { QueueName } from '../../src/platform/queues/job-catalog.js';
import { REDIS, type RedisClient } from '../../src/platform/redis/redis.module.js';
import { Api } from '../support/api.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait.js';

/** Run by `npm run test:cluster` only: the service on a 3-primary Redis Cluster. */
describe('on Redis Cluster', () => {
  let t: TestApp;
  let api: Api;
  let primaries: Redis[];

  const keysOn = async (node: Redis, pattern: string) => {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, found] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      keys.push(...found);
      cursor = next;
    } while (cursor !== '0');
    return keys;
  };

  beforeAll(async () => {
    t = await startTestApp({ env: { HEARTBEAT_INTERVAL_SECONDS: '1', HEARTBEAT_MISSED_LIMIT: '1' } });
    api = new Api(t);
    const cluster = t.app.get<RedisClient>(REDIS);
    expect(cluster).toBeInstanceOf(Cluster);
    primaries = (cluster as Cluster).nodes('master');
  });
  afterAll(() => t?.close());

  it('runs on three primaries', () => {
    expect(t.config.redis.clusterNodes).toHaveLength(3);
    expect(primaries).toHaveLength(3);
  });

  it("the liveness shards spread over every primary; each gateway's keys share its shard's slot", async () => {
    const partner = await api.partner();
    const gateways: GatewaySession[] = [];
    for (let i = 0; i < 24; i++) {
      const { token } = await api.profileWithToken(partner.token, partner.tenantId, `cluster-${i}`);
      const gw = healthySession(t.url, 'CLASSIC');
      expect((await gw.register(token)).status).toBe(201);
      expect((await gw.heartbeat()).status).toBe(200);
      gateways.push(gw);
    }
    const live = t.app.get(GatewayLiveState);
    const cluster = t.app.get<Cluster>(REDIS);
    // Every key of one gateway's scripts hashes to one slot.
    for (const gw of gateways) {
      const shard = live.shardOf(gw.gatewayId!);
      const slots = new Set(
        await Promise.all(
          [`${shard.statePrefix}${gw.gatewayId}`, live.commandsKey(gw.gatewayId!), shard.deadlines, shard.lastSeen, shard.pending].map(
            async (key) => (await cluster.call('CLUSTER', 'KEYSLOT', key)) as number,
          ),
        ),
      );
      expect(slots.size).toBe(1);
    }
    // The 64 shards map to slots on all three primaries, and so do the gateways' hashes: the
    // heartbeat load spreads.
    const owner = async (key: string) => {
      const slot = (await cluster.call('CLUSTER', 'KEYSLOT', key)) as number;
      const ranges = (await cluster.call('CLUSTER', 'SLOTS')) as [number, number, [string, number]][];
      const [, , [, port]] = ranges.find(([from, to]) => slot >= from && slot <= to)!;
      return port;
    };
    const shardOwners = new Set(await Promise.all(live.allShards.map((shard) => owner(shard.deadlines))));
    expect(live.allShards).toHaveLength(LIVENESS_SHARDS);
    expect(shardOwners.size).toBe(3);
    const stateKeysPerNode = await Promise.all(primaries.map((node) => keysOn(node, `${t.config.redis.keyPrefix}:{lv:*}:gw:*`)));
    expect(stateKeysPerNode.map((keys) => keys.length > 0)).toEqual([true, true, true]);
    expect(stateKeysPerNode.flat()).toHaveLength(gateways.length);

    // Silence: the sweep (a BullMQ job on the cluster) turns them DISCONNECTED, shard by shard.
    await waitFor(
      async () =>
        (await api.get(partner.token, `/api/v1/tenants/${partner.tenantId}/gateways?status=DISCONNECTED&limit=100`)).body.items.length,
      (n) => n === gateways.length,
      15_000,
      200,
    );
  }, 120_000);

  it("each BullMQ queue's keys carry its own hash tag, so a queue's scripts stay in one slot", async () => {
    const cluster = t.app.get<Cluster>(REDIS);
    for (const queue of Object.values(QueueName)) {
      const keys = (await Promise.all(primaries.map((node) => keysOn(node, `${t.config.redis.keyPrefix}:{bull:${queue}}:*`)))).flat();
      expect(keys.length, queue).toBeGreaterThan(0);
      const slots = new Set(await Promise.all(keys.map(async (key) => (await cluster.call('CLUSTER', 'KEYSLOT', key)) as number)));
      expect(slots.size, queue).toBe(1);
    }
  });

  it('events reach every primary in the order they were published, batch after batch (all publishes go through one primary)', async () => {
    const publisher = t.app.get(EventPublisher);
    const channel = publisher.channel(EventTopic.CommandUpdated);
    const publishCalls = async () =>
      Promise.all(primaries.map(async (node) => Number(/cmdstat_publish:calls=(\d+)/.exec(await node.info('commandstats'))?.[1] ?? 0)));
    // A subscriber on each primary: the cluster bus brings every publish to each of them.
    const heard = primaries.map(() => [] as number[]);
    const subscribers = primaries.map((node, i) => {
      const subscriber = node.duplicate();
      subscriber.on('message', (from: string, message: string) => {
        if (from === channel) heard[i]!.push((JSON.parse(message) as { payload: { n: number } }).payload.n);
      });
      return subscriber;
    });
    try {
      await Promise.all(subscribers.map((subscriber) => subscriber.subscribe(channel)));
      const before = await publishCalls();
      const event = (n: number) => ({ tenantId: 'order-check', topic: EventTopic.CommandUpdated, payload: { n } });
      let n = 0;
      // As the relay does: single events one after another, then batches sent in one write.
      for (let i = 0; i < 200; i++) await publisher.publishAll([event(n++)]);
      for (let i = 0; i < 5; i++) await publisher.publishAll(Array.from({ length: 100 }, () => event(n++)));
      const expected = Array.from({ length: n }, (_, i) => i);
      await waitFor(
        async () => heard.map((events) => events.length),
        (lengths) => lengths.every((length) => length >= n),
      );
      for (const events of heard) expect(events).toEqual(expected);
      const grew = (await publishCalls()).map((after, i) => after - before[i]!);
      // Other test files' services publish too, through the same first primary.
      expect(grew.filter((calls) => calls > 0)).toHaveLength(1);
      expect(Math.max(...grew)).toBeGreaterThanOrEqual(n);
    } finally {
      await Promise.all(subscribers.map((subscriber) => subscriber.quit()));
    }
  });
});
