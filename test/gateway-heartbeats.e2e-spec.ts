import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { GatewaySession } from '@gateway-control-plane/agent';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AccessTokens } from '../src/platform/auth/access-tokens.service.js';
import { GatewayLiveState, type LastSeen } from '../src/gateways/gateway-live-state.js';
import { GatewaysQueryService } from '../src/gateways/gateways-query.service.js';
import { GatewayStatusWriter } from '../src/gateways/gateway-status-writer.service.js';
import { NodeReportWriter } from '../src/gateways/node-report-writer.service.js';
import { GatewaysStore, STATEMENTS } from '../src/gateways/gateways.store.js';
import { LivenessProcessor } from '../src/gateways/liveness.processor.js';
import { isDeadlock } from '../src/platform/database/postgres-errors.js';
import { REDIS, RedisConnections, type RedisClient } from '../src/platform/redis/redis.module.js';
import { ProfileConfigurationCache } from '../src/profiles/profile-configuration-cache.js';
import { TenantSuspensions } from '../src/tenants/tenant-suspensions.js';
import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner.js';
import { Api } from './support/api.js';
import { Fleet, healthyNode, healthySession } from './support/fleet.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { sleep, waitFor } from './support/wait.js';

/** Short timings: a gateway silent for 2 intervals of 1 s turns DISCONNECTED. */
const FAST = { HEARTBEAT_INTERVAL_SECONDS: '1', HEARTBEAT_MISSED_LIMIT: '2' };

describe('gateway protocol: heartbeats, liveness, nodes and assessment', () => {
  let t: TestApp;
  let api: Api;
  let partner: { token: string; tenantId: string };
  let tenantId: string;
  let admin: string;
  let fleet: Fleet;

  const registered = (type: 'CLASSIC' | 'CLUSTER', nodes?: ReturnType<typeof healthyNode>[], settings?: object) =>
    fleet.gateway({ type, nodes, profile: settings ? { configuration: settings } : {}, heartbeat: false });
  const view = async (gatewayId: string) => (await api.get(admin, `/api/v1/tenants/${tenantId}/gateways/${gatewayId}`)).body;
  const failed = (assessment: { checks: { check: string; passed: boolean; node: string | null }[] }) =>
    assessment.checks.filter((c) => !c.passed).map((c) => `${c.check}:${c.node ?? '*'}`);

  beforeAll(async () => {
    t = await startTestApp({ env: FAST });
    api = new Api(t);
    partner = await api.partner();
    tenantId = await api.createClientTenant(partner.token, 'Heartbeat client', { gatewayClustering: true });
    admin = await api.clientToken(partner.token, tenantId, ['admin']);
    fleet = new Fleet(api, tenantId, admin, t.url);
  });
  afterAll(() => t?.close());

  it('the first heartbeat turns a REGISTERED gateway CONNECTED, and the answer says when to come back', async () => {
    const { gw } = await registered('CLASSIC');
    const answer = await gw.heartbeat();
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ nextHeartbeatSeconds: 1, commands: [], configuration: null });
    const gateway = await view(gw.gatewayId!);
    expect(gateway).toMatchObject({ status: 'CONNECTED', health: 'HEALTHY', clockSkewWarning: false });
    expect(Date.now() - Date.parse(gateway.lastHeartbeatAt)).toBeLessThan(5_000);
    const audit = await api.get(admin, `/api/v1/tenants/${tenantId}/audit-events`);
    expect(audit.body.items[0]).toMatchObject({
      action: 'gateway.status_changed',
      actorType: 'gateway',
      before: { status: 'REGISTERED' },
      after: { status: 'CONNECTED' },
    });
  });

  it('a malformed heartbeat is 400 with the fields named, unknown fields are ignored, and neither changes the gateway', async () => {
    const { gw } = await registered('CLUSTER', [healthyNode(1), healthyNode(2), healthyNode(3)]);
    expect((await gw.heartbeat()).status).toBe(200);
    const bad = await gw.heartbeat({
      sequence: 'ten',
      sentAt: 'yesterday',
      nodes: [
        healthyNode(1),
        { ...healthyNode(2), cpuCores: 2.5, ipAddress: '300.1.1.1' },
        { ...healthyNode(3), apps: [{ name: '', status: 'RUNNING', restarts: 0 }] },
      ],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('INVALID_REQUEST');
    expect((bad.body.errors ?? []).map((e: { field: string }) => e.field).sort()).toEqual(
      ['nodes[1].cpuCores', 'nodes[1].ipAddress', 'nodes[2].apps[0].name', 'sentAt', 'sequence'].sort(),
    );
    expect((await gw.heartbeat({ nodes: [] })).body.errors).toEqual([{ field: 'nodes', message: expect.any(String) }]);
    expect((await gw.heartbeat({ bootId: 7 })).body.errors).toEqual([{ field: 'bootId', message: expect.any(String) }]);
    const before = await view(gw.gatewayId!);
    const lenient = await gw.heartbeat({ firmwareChannel: 'beta', nodes: gw.nodes.map((node) => ({ ...node, gpu: 'none' })) });
    expect(lenient.status).toBe(200);
    const after = await view(gw.gatewayId!);
    expect(after.nodes).toEqual(before.nodes);
    expect(after.status).toBe('CONNECTED');
  });

  it('a well-signed token of a gateway that does not exist is GATEWAY_CREDENTIAL_INVALID on the heartbeat and the long poll', async () => {
    const { profileId } = await registered('CLASSIC');
    const ghost = await t.app
      .get(AccessTokens)
      .forGateway({ id: randomUUID(), tenantId, profileId, type: 'CLASSIC', credentialGeneration: 1 });
    const gw = fleet.session('CLASSIC');
    gw.accessToken = ghost.accessToken;
    const heartbeat = await gw.heartbeat();
    expect(heartbeat.status).toBe(401);
    expect(heartbeat.body.code).toBe('GATEWAY_CREDENTIAL_INVALID');
    const poll = await fetch(`${t.url}/gateway/v1/commands?waitSeconds=0`, { headers: { authorization: `Bearer ${ghost.accessToken}` } });
    expect(poll.status).toBe(401);
    expect(((await poll.json()) as { code: string }).code).toBe('GATEWAY_CREDENTIAL_INVALID');
  });

  it('goes DISCONNECTED within 2 s of missing its heartbeats, and CONNECTED again on the next one', async () => {
    const { gw, profileId } = await registered('CLASSIC');
    const sendingAt = Date.now();
    await gw.heartbeat();
    const answeredAt = Date.now();
    const disconnected = await waitFor(
      () => view(gw.gatewayId!),
      (g) => g.status === 'DISCONNECTED',
      8_000,
      50,
    );
    // The service received the heartbeat between sending and answering; the limit counts from then.
    expect(Date.now() - sendingAt).toBeGreaterThanOrEqual(2_000);
    expect(Date.now() - answeredAt).toBeLessThan(2_000 + 2_000);
    expect(disconnected).toMatchObject({ health: 'DOWN' });
    expect(failed(disconnected.assessment)).toContain('CONNECTIVITY:*');
    expect((await api.get(admin, `/api/v1/tenants/${tenantId}/management-profiles/${profileId}`)).body.status).toBe('DISCONNECTED');
    expect((await gw.heartbeat()).status).toBe(200);
    const back = await view(gw.gatewayId!);
    expect(back).toMatchObject({ status: 'CONNECTED', health: 'HEALTHY' });
    expect((await api.get(admin, `/api/v1/tenants/${tenantId}/management-profiles/${profileId}`)).body.status).toBe('CONNECTED');
  });

  it("a suspended tenant's gateway that keeps heartbeating (each answered 403) stays CONNECTED; silent, it turns DISCONNECTED once, with no repeated transitions", async () => {
    const suspendable = await api.createClientTenant(partner.token, 'Suspended heartbeats');
    const suspendableAdmin = await api.clientToken(partner.token, suspendable, ['admin']);
    const { gw } = await new Fleet(api, suspendable, suspendableAdmin, t.url).gateway();
    const statusOf = async () =>
      // The partner's view: a suspended tenant's own clients are refused.
      (await api.get(partner.token, `/api/v1/tenants/${suspendable}/gateways/${gw.gatewayId}`)).body.status as string;
    const transitions = async () =>
      (
        (await api.get(partner.token, `/api/v1/tenants/${suspendable}/audit-events?limit=200`)).body.items as {
          action: string;
          after: { status?: string };
        }[]
      )
        .filter((event) => event.action === 'gateway.status_changed')
        .map((event) => event.after.status)
        .reverse();
    expect(await transitions()).toEqual(['CONNECTED']);
    expect((await api.patch(partner.token, `/api/v1/tenants/${suspendable}`, { status: 'SUSPENDED' })).status).toBe(200);

    // On its normal interval (the protocol's rule for TENANT_SUSPENDED), for three silence limits (2 s each).
    const until = Date.now() + 6_000;
    while (Date.now() < until) {
      const refused = await gw.heartbeat();
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ code: 'TENANT_SUSPENDED' });
      await sleep(500);
    }
    expect(await statusOf()).toBe('CONNECTED');
    expect(await transitions()).toEqual(['CONNECTED']);

    // Silent: DISCONNECTED once, and nothing more while it stays silent.
    await waitFor(statusOf, (status) => status === 'DISCONNECTED', 10_000, 200);
    await sleep(3_000);
    expect(await transitions()).toEqual(['CONNECTED', 'DISCONNECTED']);

    // Resumed, its next heartbeat is answered and it is CONNECTED again: one transition each way.
    expect((await api.patch(partner.token, `/api/v1/tenants/${suspendable}`, { status: 'ACTIVE' })).status).toBe(200);
    expect((await gw.heartbeat()).status).toBe(200);
    await waitFor(statusOf, (status) => status === 'CONNECTED', 10_000, 200);
    expect(await transitions()).toEqual(['CONNECTED', 'DISCONNECTED', 'CONNECTED']);
  }, 60_000);

  it('a gateway that never sends a heartbeat turns DISCONNECTED too', async () => {
    const { gw } = await registered('CLASSIC');
    await waitFor(
      () => view(gw.gatewayId!),
      (g) => g.status === 'DISCONNECTED',
      8_000,
      100,
    );
  });

  it('an old or repeated heartbeat (same boot, lower or equal sequence) is answered 200 and changes nothing', async () => {
    const { gw } = await registered('CLASSIC');
    await gw.heartbeat();
    gw.sequence = 10;
    await gw.heartbeat({ nodes: [healthyNode(1, { ready: true })] }); // sequence 11
    gw.sequence = 10; // the next one reuses 11: a duplicate
    const duplicate = await gw.heartbeat({ nodes: [healthyNode(1, { ready: false })] });
    expect(duplicate.status).toBe(200);
    gw.sequence = 3; // an old one
    expect((await gw.heartbeat({ nodes: [healthyNode(1, { ready: false })] })).status).toBe(200);
    const gateway = await view(gw.gatewayId!);
    expect(gateway.nodes[0].ready).toBe(true);
    expect(gateway.health).toBe('HEALTHY');
    // a new boot starts its sequence again and is applied
    gw.restart();
    await gw.heartbeat({ nodes: [healthyNode(1, { ready: false })] });
    expect((await view(gw.gatewayId!)).nodes[0].ready).toBe(false);
  });

  it('records clock skew from the receive time, warns past 60 s, and never changes the status for it', async () => {
    const { gw } = await registered('CLASSIC');
    const answer = await gw.heartbeat({ sentAt: new Date(Date.now() - 5 * 60_000).toISOString() });
    expect(answer.status).toBe(200);
    const gateway = await view(gw.gatewayId!);
    expect(gateway.status).toBe('CONNECTED');
    expect(gateway.clockSkewSeconds).toBeGreaterThan(295);
    expect(gateway.clockSkewSeconds).toBeLessThan(310);
    expect(gateway.clockSkewWarning).toBe(true);
    // a clock far in the future does not keep it alive either: liveness is the server's time
    await gw.heartbeat({ sentAt: new Date(Date.now() + 3_600_000).toISOString() });
    await waitFor(
      () => view(gw.gatewayId!),
      (g) => g.status === 'DISCONNECTED',
      8_000,
      100,
    );
  });

  it('a node absent from the report becomes MISSING (kept, not ready) until a user removes it', async () => {
    const { gw } = await registered('CLUSTER');
    await gw.heartbeat();
    gw.nodes = [healthyNode(1), healthyNode(2)];
    await gw.heartbeat();
    const gateway = await view(gw.gatewayId!);
    const missing = gateway.nodes.find((n: { hostname: string }) => n.hostname === 'gw-node-3');
    expect(missing).toMatchObject({ state: 'MISSING', ready: false });
    expect(gateway.health).toBe('DEGRADED');
    expect(failed(gateway.assessment)).toEqual(expect.arrayContaining(['HIGH_AVAILABILITY:*', 'READINESS:gw-node-3']));
    const active = gateway.nodes.find((n: { hostname: string }) => n.hostname === 'gw-node-1');
    const refused = await api.delete(admin, `/api/v1/tenants/${tenantId}/gateways/${gw.gatewayId}/nodes/${active.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('NODE_NOT_MISSING');
    expect((await api.delete(admin, `/api/v1/tenants/${tenantId}/gateways/${gw.gatewayId}/nodes/${missing.id}`)).status).toBe(204);
    const after = await view(gw.gatewayId!);
    expect(after.nodes.map((n: { hostname: string }) => n.hostname)).toEqual(['gw-node-1', 'gw-node-2']);
    expect(failed(after.assessment)).toEqual(['HIGH_AVAILABILITY:*']);
    // it comes back: ACTIVE again
    gw.nodes = [healthyNode(1), healthyNode(2), healthyNode(3)];
    await gw.heartbeat();
    expect((await view(gw.gatewayId!)).health).toBe('HEALTHY');
  });

  it('a power cut: gateways back at once on new boots share transactions, and each report, restart and transition is written once', async () => {
    const writer = t.app.get(NodeReportWriter);
    const gateways: GatewaySession[] = [];
    for (let i = 0; i < 8; i++) gateways.push((await fleet.gateway({ type: 'CLUSTER' })).gw);
    // Work acknowledged under the old boot, on half of them: the restart must end it INTERRUPTED.
    const acknowledged: string[] = [];
    for (const gw of gateways.slice(0, 4)) {
      const queued = await api.post(admin, `/api/v1/tenants/${tenantId}/gateways/${gw.gatewayId}/commands`, { type: 'PING' });
      expect(queued.status).toBe(201);
      expect((await gw.heartbeat()).body.commands.map((c: { commandId: string }) => c.commandId)).toEqual([queued.body.id]);
      expect((await gw.updateCommand(queued.body.id, { state: 'ACKNOWLEDGED' })).status).toBe(200);
      acknowledged.push(queued.body.id);
    }
    await waitFor(
      () => Promise.all(gateways.map((gw) => view(gw.gatewayId!))),
      (views) => views.every((g) => g.status === 'DISCONNECTED'),
      10_000,
      100,
    );
    const since = new Date();
    // The power comes back: every gateway on a new boot, the even ones having lost a node.
    gateways.forEach((gw, i) => {
      gw.restart();
      if (i % 2 === 0) gw.nodes = [healthyNode(1), healthyNode(2)];
    });
    const batches: number[] = [];
    const writeAll = writer.writeAll.bind(writer);
    const spy = vi.spyOn(writer, 'writeAll').mockImplementation((reports) => {
      batches.push(reports.length);
      return writeAll(reports);
    });
    try {
      const answers = await Promise.all(gateways.map((gw) => gw.heartbeat()));
      expect(answers.map((answer) => answer.status)).toEqual(gateways.map(() => 200));
    } finally {
      spy.mockRestore();
    }
    // Every report was written, and reports that arrived together shared a transaction.
    expect(batches.reduce((sum, size) => sum + size, 0)).toBe(gateways.length);
    expect(Math.max(...batches)).toBeGreaterThan(1);

    const views = await Promise.all(gateways.map((gw) => view(gw.gatewayId!)));
    views.forEach((gateway, i) => {
      expect(gateway.status).toBe('CONNECTED');
      expect(gateway.health).toBe(i % 2 === 0 ? 'DEGRADED' : 'HEALTHY');
      const missing = gateway.nodes.filter((n: { state: string }) => n.state === 'MISSING').map((n: { hostname: string }) => n.hostname);
      expect(missing).toEqual(i % 2 === 0 ? ['gw-node-3'] : []);
    });
    const rows: { id: string; boot_id: string; report_sequence: string }[] = await t.app
      .get(DataSource)
      .query(`SELECT id, boot_id, report_sequence FROM gateways WHERE id = ANY($1::uuid[])`, [gateways.map((gw) => gw.gatewayId)]);
    expect(new Map(rows.map((row) => [row.id, row.boot_id]))).toEqual(new Map(gateways.map((gw) => [gw.gatewayId, gw.bootId])));
    for (const id of acknowledged)
      expect((await api.get(admin, `/api/v1/tenants/${tenantId}/commands/${id}`)).body).toMatchObject({
        state: 'FAILED',
        errorCode: 'INTERRUPTED',
      });
    const audited: { target_id: string; action: string; before: { status?: string }; after: { status?: string; health?: string } }[] =
      await t.app
        .get(DataSource)
        .query(
          `SELECT target_id, action, before, after FROM audit_events WHERE target_id = ANY($1::uuid[]) AND created_at >= $2 ORDER BY id`,
          [gateways.map((gw) => gw.gatewayId), since],
        );
    for (const [i, gw] of gateways.entries()) {
      const own = audited.filter((row) => row.target_id === gw.gatewayId);
      // Exactly one transition back (on a loaded machine one may fall silent again since: that is
      // another transition); one changed report for those whose health changed (the even ones).
      expect(
        own.filter((row) => row.action === 'gateway.status_changed' && row.after.status === 'CONNECTED').map((row) => row.before.status),
      ).toEqual(['DISCONNECTED']);
      expect(own.filter((row) => row.action === 'gateway.report_changed').map((row) => row.after.health)).toEqual(
        i % 2 === 0 ? ['DEGRADED'] : [],
      );
    }
  });

  it('a batch of reports writes each as it would alone: an older report of the same boot and a de-registered gateway change nothing', async () => {
    const writer = t.app.get(NodeReportWriter);
    const dataSource = t.app.get(DataSource);
    const [newer, older, gone] = [
      (await fleet.gateway({ type: 'CLUSTER' })).gw,
      (await fleet.gateway({ type: 'CLUSTER' })).gw,
      (await fleet.gateway({ type: 'CLUSTER' })).gw,
    ];
    expect((await older.heartbeat()).status).toBe(200);
    expect((await api.post(admin, `/api/v1/tenants/${tenantId}/gateways/${gone.gatewayId}/deregister`)).status).toBe(200);
    const stored = async () =>
      new Map(
        (
          (await dataSource.query(
            `SELECT id, boot_id, report_sequence, report_hash, software_version FROM gateways WHERE id = ANY($1::uuid[])`,
            [[newer.gatewayId, older.gatewayId, gone.gatewayId]],
          )) as { id: string; boot_id: string; report_sequence: string; report_hash: string; software_version: string }[]
        ).map((row) => [row.id, row]),
      );
    const before = await stored();
    const report = (gw: GatewaySession, bootId: string, sequence: number, nodes = [healthyNode(1)]) => ({
      gatewayId: gw.gatewayId!,
      bootId,
      sequence,
      hash: `test-${sequence}`,
      softwareVersion: '9.9.9',
      configurationVersion: null,
      nodes,
      connecting: false,
      receivedAt: new Date(),
    });
    await writer.writeAll([
      report(newer, 'boot-after-power-cut', 0),
      report(older, older.bootId, Number(before.get(older.gatewayId!)!.report_sequence) - 1),
      report(gone, 'boot-after-power-cut', 0),
    ]);
    const after = await stored();
    expect(after.get(newer.gatewayId!)).toMatchObject({
      boot_id: 'boot-after-power-cut',
      report_sequence: '0',
      report_hash: 'test-0',
      software_version: '9.9.9',
    });
    expect(after.get(older.gatewayId!)).toEqual(before.get(older.gatewayId!));
    expect(after.get(gone.gatewayId!)).toEqual(before.get(gone.gatewayId!));
    const missing: { hostname: string }[] = await dataSource.query(
      `SELECT hostname FROM gateway_nodes WHERE gateway_id = $1 AND state = 'MISSING' ORDER BY hostname`,
      [newer.gatewayId],
    );
    expect(missing.map((n) => n.hostname)).toEqual(['gw-node-2', 'gw-node-3']);
  });

  it('keeps the apps of each node, and their changes', async () => {
    const { gw } = await registered('CLASSIC');
    gw.nodes = [
      healthyNode(1, {
        apps: [
          { name: 'vprobe', status: 'RUNNING', restarts: 0 },
          { name: 'collector', status: 'CRASHLOOP', restarts: 7 },
        ],
      }),
    ];
    await gw.heartbeat();
    const gateway = await view(gw.gatewayId!);
    expect(gateway.nodes[0].apps).toEqual([
      { name: 'vprobe', status: 'RUNNING', restarts: 0 },
      { name: 'collector', status: 'CRASHLOOP', restarts: 7 },
    ]);
  });

  describe('cluster assessment, with reasons a person can act on', () => {
    it('a healthy 3-node cluster is HEALTHY with every check passed', async () => {
      const { gw } = await registered('CLUSTER');
      const gateway = await view(gw.gatewayId!);
      expect(gateway.health).toBe('HEALTHY');
      expect(gateway.assessment.checks.every((c: { passed: boolean }) => c.passed)).toBe(true);
      expect(gateway.assessment.checks.map((c: { check: string }) => c.check)).toEqual(
        expect.arrayContaining(['NODE_SIZE', 'UNIQUE_HOSTNAMES', 'UNIQUE_ADDRESSES', 'HIGH_AVAILABILITY', 'READINESS']),
      );
    });

    it('an under-sized node is DEGRADED, naming the node, the check, what was expected and what was found', async () => {
      const { gw } = await registered('CLUSTER', [
        healthyNode(1),
        healthyNode(2, { cpuCores: 2, memoryMb: 4096 }),
        healthyNode(3, { diskGb: 20 }),
      ]);
      const gateway = await view(gw.gatewayId!);
      expect(gateway.health).toBe('DEGRADED');
      const sizes = gateway.assessment.checks.filter((c: { check: string; passed: boolean }) => c.check === 'NODE_SIZE' && !c.passed);
      expect(sizes).toHaveLength(3);
      const cpu = sizes.find((c: { node: string; actual: string }) => c.node === 'gw-node-2' && c.actual.includes('2'));
      expect(cpu).toMatchObject({
        node: 'gw-node-2',
        expected: expect.stringContaining('4'),
        message: expect.stringContaining('gw-node-2'),
      });
    });

    it('duplicate hostnames and duplicate addresses are DEGRADED', async () => {
      const { gw } = await registered('CLUSTER', [
        healthyNode(1),
        healthyNode(2, { hostname: 'gw-node-1' }),
        healthyNode(3, { ipAddress: '10.20.0.11' }),
      ]);
      const gateway = await view(gw.gatewayId!);
      expect(gateway.health).toBe('DEGRADED');
      expect(failed(gateway.assessment)).toEqual(
        expect.arrayContaining(['UNIQUE_HOSTNAMES:gw-node-1', expect.stringMatching(/^UNIQUE_ADDRESSES/)]),
      );
    });

    it('a 2-node cluster works but is not highly available (DEGRADED); a classic gateway has no HA check', async () => {
      const { gw } = await registered('CLUSTER', [healthyNode(1), healthyNode(2)]);
      const gateway = await view(gw.gatewayId!);
      expect(gateway.health).toBe('DEGRADED');
      expect(failed(gateway.assessment)).toEqual(['HIGH_AVAILABILITY:*']);
      const { gw: classic } = await registered('CLASSIC');
      const classicView = await view(classic.gatewayId!);
      expect(classicView.health).toBe('HEALTHY');
      expect(classicView.assessment.checks.some((c: { check: string }) => c.check === 'HIGH_AVAILABILITY')).toBe(false);
    });

    it('a not-ready node makes the cluster DEGRADED; no ready node makes it DOWN', async () => {
      const { gw } = await registered('CLUSTER');
      await gw.heartbeat();
      gw.nodes = [healthyNode(1), healthyNode(2, { ready: false }), healthyNode(3)];
      await gw.heartbeat();
      let gateway = await view(gw.gatewayId!);
      expect(gateway.health).toBe('DEGRADED');
      expect(failed(gateway.assessment)).toEqual(['READINESS:gw-node-2']);
      gw.nodes = [healthyNode(1, { ready: false }), healthyNode(2, { ready: false }), healthyNode(3, { ready: false })];
      await gw.heartbeat();
      gateway = await view(gw.gatewayId!);
      expect(gateway.health).toBe('DOWN');
      const filtered = await api.get(admin, `/api/v1/tenants/${tenantId}/gateways?health=DOWN&type=CLUSTER`);
      expect(filtered.body.items.map((g: { id: string }) => g.id)).toContain(gw.gatewayId);
    });
  });

  it("answers the profile's configuration when the gateway's version is behind, and not when it is current", async () => {
    const { gw, profileId } = await registered('CLASSIC', undefined, { monitoring: { pollSeconds: 60 } });
    expect((await gw.heartbeat()).body.configuration).toBeNull();
    await api.patch(admin, `/api/v1/tenants/${tenantId}/management-profiles/${profileId}`, {
      configuration: { monitoring: { pollSeconds: 30 } },
    });
    const behind = await gw.heartbeat();
    expect(behind.body.configuration).toEqual({ version: 2, settings: { monitoring: { pollSeconds: 30 } } });
    gw.configurationVersion = behind.body.configuration!.version; // the gateway applied it
    expect((await gw.heartbeat()).body.configuration).toBeNull();
    expect((await view(gw.gatewayId!)).configurationVersion).toBe(2);
  });

  it('a heartbeat whose configuration is behind gets the settings from the cache the change updated, with no Postgres statement', async () => {
    // A tenant of its own: its gateway's later silence (DISCONNECTED, audited) stays out of the other tests' audit pages.
    const ownTenant = await api.createClientTenant(partner.token, 'Configuration cache', { gatewayClustering: true });
    const ownAdmin = await api.clientToken(partner.token, ownTenant, ['admin']);
    const { gw, profileId } = await new Fleet(api, ownTenant, ownAdmin, t.url).gateway({
      type: 'CLASSIC',
      profile: { configuration: { monitoring: { pollSeconds: 60 } } },
      heartbeat: false,
    });
    gw.configurationVersion = 1;
    expect((await gw.heartbeat()).body.configuration).toBeNull();
    /** The statements on management_profiles (what the behind path used to read) while `work` runs. */
    const profileStatements = async <T>(work: () => Promise<T>): Promise<{ result: T; statements: string[] }> => {
      const spy = vi.spyOn(PostgresQueryRunner.prototype, 'query');
      try {
        const result = await work();
        return { result, statements: spy.mock.calls.map((call) => String(call[0])).filter((sql) => sql.includes('management_profiles')) };
      } finally {
        spy.mockRestore();
      }
    };
    for (const [version, pollSeconds] of [
      [2, 30],
      [3, 15],
    ] as const) {
      const changed = await api.patch(ownAdmin, `/api/v1/tenants/${ownTenant}/management-profiles/${profileId}`, {
        configuration: { monitoring: { pollSeconds } },
      });
      expect(changed.status).toBe(200);
      // The gateway does not apply it: it stays behind, heartbeat after heartbeat.
      const { result: answers, statements } = await profileStatements(async () => [
        await gw.heartbeat(),
        await gw.heartbeat(),
        await gw.heartbeat(),
      ]);
      for (const answer of answers) expect(answer.body.configuration).toEqual({ version, settings: { monitoring: { pollSeconds } } });
      expect(statements).toEqual([]);
    }

    // Another process (its own memory, the same Redis) finds the current version and its settings.
    const cache = t.app.get(ProfileConfigurationCache);
    const elsewhere = new ProfileConfigurationCache(t.app.get<RedisClient>(REDIS), t.app.get(RedisConnections));
    expect(await elsewhere.get(profileId)).toBe(3);
    expect(await elsewhere.settings(profileId, 3)).toEqual({ monitoring: { pollSeconds: 15 } });
    // An older version written late (a slow update's write) does not move the cache back.
    await elsewhere.set(profileId, 2, { monitoring: { pollSeconds: 30 } });
    expect(await cache.get(profileId)).toBe(3);

    // A cold cache (the version expired) reads Postgres once, then warms it again.
    await t.app.get<RedisClient>(REDIS).del(cache.key(profileId));
    const cold = await profileStatements(() => gw.heartbeat());
    expect(cold.result.body.configuration).toEqual({ version: 3, settings: { monitoring: { pollSeconds: 15 } } });
    expect(cold.statements).toHaveLength(1);
    const warm = await profileStatements(() => gw.heartbeat());
    expect(warm.result.body.configuration).toEqual({ version: 3, settings: { monitoring: { pollSeconds: 15 } } });
    expect(warm.statements).toEqual([]);
    gw.configurationVersion = 3;
    expect((await gw.heartbeat()).body.configuration).toBeNull();
  });

  it('an unchanged heartbeat writes nothing to the gateway rows; a changed one does at once', async () => {
    const { gw } = await registered('CLASSIC');
    await gw.heartbeat();
    const before = await view(gw.gatewayId!);
    // This gateway's events only: the tenant's other gateways, silent since their tests, may turn DISCONNECTED meanwhile.
    const auditOf = async () =>
      ((await api.get(admin, `/api/v1/tenants/${tenantId}/audit-events?limit=200`)).body.items as { action: string; targetId: string }[])
        .filter((event) => event.targetId === gw.gatewayId)
        .map((event) => event.action);
    const auditBefore = await auditOf();
    // The rows' own updated_at (the management reads do not select it).
    const updatedAt = async () =>
      (await t.app
        .get(DataSource)
        .query(
          `SELECT g.updated_at AS gateway, n.updated_at AS node FROM gateways g JOIN gateway_nodes n ON n.gateway_id = g.id WHERE g.id = $1`,
          [gw.gatewayId],
        )) as { gateway: Date; node: Date }[];
    const rowsBefore = await updatedAt();
    expect(rowsBefore).toHaveLength(1);
    await gw.heartbeat();
    await gw.heartbeat();
    expect(await updatedAt()).toEqual(rowsBefore);
    expect(await auditOf()).toEqual(auditBefore);
    gw.softwareVersion = '1.0.0';
    await gw.heartbeat();
    const changed = await view(gw.gatewayId!);
    expect(changed.softwareVersion).toBe('1.0.0');
    expect(before.softwareVersion).toBe('0.9.6');
  });

  it("a steady heartbeat is one Redis command on one primary (its script also reads the profile's configuration version and the tenant's suspension mark), three on a cluster", async () => {
    const { gw, profileId } = await registered('CLASSIC');
    // The first heartbeat writes the report; the second is steady (and has the script loaded in Redis).
    await gw.heartbeat();
    await gw.heartbeat();
    const redis = t.app.get<RedisClient>(REDIS);
    const ours = [gw.gatewayId!, t.app.get(ProfileConfigurationCache).key(profileId), t.app.get(TenantSuspensions).key(tenantId)];
    const spy = vi.spyOn(redis, 'sendCommand');
    try {
      expect((await gw.heartbeat()).status).toBe(200);
      // Background jobs share the client: only the commands naming this gateway, its profile or its tenant count.
      const commands = spy.mock.calls
        .map(([command]) => command as unknown as { name: string; args: unknown[] })
        .filter((command) => command.args.some((arg) => ours.some((key) => String(arg).includes(key))));
      if (t.app.get(RedisConnections).isCluster) {
        // Other slots: the version and the mark are read beside the script, in the same tick.
        expect(commands.map((command) => command.name).sort()).toEqual(['evalsha', 'exists', 'get']);
      } else {
        expect(commands.map((command) => command.name)).toEqual(['evalsha']);
        const args = commands[0].args.map(String);
        expect(args[1]).toBe('7');
        expect(args.slice(2, 9)).toEqual(expect.arrayContaining(ours.slice(1)));
      }
    } finally {
      spy.mockRestore();
    }
  });

  it('GraphQL: gateways with nested nodes in one batched read, and the fleet status', async () => {
    const tenant = await api.createClientTenant(partner.token, 'GraphQL fleet', { gatewayClustering: true });
    const fleetAdmin = await api.clientToken(partner.token, tenant, ['admin']);
    const tenantFleet = new Fleet(api, tenant, fleetAdmin, t.url);
    for (const type of ['CLASSIC', 'CLUSTER', 'CLUSTER'] as const) await tenantFleet.gateway({ type, heartbeat: false });
    await api.profileWithToken(fleetAdmin, tenant, 'fleet-empty');
    const spy = vi.spyOn(t.app.get(GatewaysQueryService), 'nodesOf');
    const response = await api.graphql(
      fleetAdmin,
      '{ gateways { nodes { type status nodes { hostname ready } assessment { health } } } fleetStatus { gateways profiles profilesNotRegistered gatewaysByStatus { key count } } }',
    );
    expect(response.body.errors).toBeUndefined();
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
    const gateways = response.body.data.gateways.nodes;
    expect(gateways.map((g: { nodes: unknown[] }) => g.nodes.length).sort()).toEqual([1, 3, 3]);
    expect(response.body.data.fleetStatus).toEqual({
      gateways: 3,
      profiles: 4,
      profilesNotRegistered: 1,
      gatewaysByStatus: [{ key: 'REGISTERED', count: 3 }],
    });
    const rest = await api.get(fleetAdmin, `/api/v1/tenants/${tenant}/status`);
    expect(rest.body).toMatchObject({ gateways: 3, profiles: 4, profilesNotRegistered: 1 });
  });

  it("another tenant's gateways are 404 on every view and action, REST and GraphQL", async () => {
    const { gw } = await registered('CLUSTER');
    await gw.heartbeat();
    gw.nodes = [healthyNode(1), healthyNode(2)];
    await gw.heartbeat();
    const missing = (await view(gw.gatewayId!)).nodes.find((n: { state: string }) => n.state === 'MISSING');
    const other = await api.createClientTenant(partner.token, 'Nosy client');
    const nosy = await api.clientToken(partner.token, other, ['admin']);
    for (const base of [`/api/v1/tenants/${other}`, `/api/v1/tenants/${tenantId}`]) {
      expect((await api.get(nosy, `${base}/gateways/${gw.gatewayId}`)).status).toBe(404);
      expect((await api.post(nosy, `${base}/gateways/${gw.gatewayId}/deregister`)).status).toBe(404);
      expect((await api.delete(nosy, `${base}/gateways/${gw.gatewayId}/nodes/${missing.id}`)).status).toBe(404);
    }
    expect((await api.get(nosy, `/api/v1/tenants/${other}/gateways`)).body.items).toEqual([]);
    expect((await api.get(nosy, `/api/v1/tenants/${tenantId}/status`)).status).toBe(404);
    const gql = await api.graphql(nosy, 'query($g: ID!) { gateway(id: $g) { id } }', { g: gw.gatewayId });
    expect(gql.body.errors[0].extensions.code).toBe('GATEWAY_NOT_FOUND');
    const gqlOther = await api.graphql(nosy, 'query($t: ID) { gateways(tenantId: $t) { nodes { id } } }', { t: tenantId });
    expect(gqlOther.body.errors[0].extensions.code).toBe('TENANT_NOT_FOUND');
    expect((await view(gw.gatewayId!)).status).toBe('CONNECTED');
  });

  it("the subscription gatewayStatusChanged delivers CONNECTED and DISCONNECTED, for the subscriber's tenants only", async () => {
    const other = await api.createClientTenant(partner.token, 'Other subscriber');
    const otherAdmin = await api.clientToken(partner.token, other, ['admin']);
    const received: { status: string; gatewayId: string; tenantId: string; changedAt: string; lastHeartbeatAt: string | null }[] = [];
    const foreign: unknown[] = [];
    const subscribe = (token: string, sink: unknown[]) => {
      const client = createClient({
        url: `${t.url.replace('http', 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${token}` },
        lazy: false,
      });
      const ready = new Promise<void>((resolve) => client.on('connected', () => resolve()));
      client.subscribe(
        { query: 'subscription { gatewayStatusChanged { gatewayId tenantId previousStatus status lastHeartbeatAt changedAt } }' },
        {
          next: (message) => sink.push((message.data as { gatewayStatusChanged: unknown }).gatewayStatusChanged),
          error: () => undefined,
          complete: () => undefined,
        },
      );
      return { client, ready };
    };
    const mine = subscribe(admin, received);
    const theirs = subscribe(otherAdmin, foreign);
    await Promise.all([mine.ready, theirs.ready]);
    await sleep(200);
    const { gw } = await registered('CLASSIC');
    await gw.heartbeat();
    await waitFor(
      async () => received.filter((e) => e.gatewayId === gw.gatewayId).map((e) => e.status),
      (s) => s.includes('DISCONNECTED'),
      10_000,
      100,
    );
    const statuses = received.filter((e) => e.gatewayId === gw.gatewayId).map((e) => e.status);
    expect(statuses).toEqual(['REGISTERED', 'CONNECTED', 'DISCONNECTED']);
    expect(received.every((e) => e.tenantId === tenantId)).toBe(true);
    const [, connected, disconnected] = received.filter((e) => e.gatewayId === gw.gatewayId);
    expect(Date.parse(disconnected.changedAt)).toBeGreaterThan(Date.parse(connected.changedAt));
    expect(Math.abs(Date.parse(connected.lastHeartbeatAt!) - Date.parse(connected.changedAt))).toBeLessThan(5_000);
    expect(foreign).toEqual([]);
    await mine.client.dispose();
    await theirs.client.dispose();
  });

  it('a subscription without a valid token is refused', async () => {
    const client = createClient({
      url: `${t.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: 'Bearer nope' },
      retryAttempts: 0,
    });
    const outcome = await new Promise<string>((resolve) => {
      client.subscribe(
        { query: 'subscription { gatewayStatusChanged { status } }' },
        { next: () => resolve('next'), error: () => resolve('error'), complete: () => resolve('complete') },
      );
    });
    expect(outcome).toBe('error');
    await client.dispose();
  });
});

describe('liveness with several service processes', () => {
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    first = await startTestApp({ env: FAST });
    second = await startTestApp({ env: FAST, shareWith: first });
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it('each status change is made and audited exactly once, whichever process sees it', async () => {
    const api = new Api(first);
    const partner = await api.partner();
    const fleet = new Fleet(api, partner.tenantId, partner.token, first.url);
    const gateways: GatewaySession[] = [];
    for (let i = 0; i < 10; i++) gateways.push((await fleet.gateway({ url: i % 2 ? first.url : second.url })).gw);
    await waitFor(
      async () => (await api.get(partner.token, `/api/v1/tenants/${partner.tenantId}/gateways?status=DISCONNECTED`)).body.items.length,
      (n) => n === 10,
      10_000,
      100,
    );
    // back through the other process, all at once: one by one on a busy machine, the first ones
    // could fall silent again (2 s) before the last one is back
    const back = await Promise.all(
      gateways.map((gw, i) => {
        const other = healthySession(i % 2 ? second.url : first.url, 'CLASSIC');
        Object.assign(other, { gatewayId: gw.gatewayId, accessToken: gw.accessToken, bootId: gw.bootId, sequence: gw.sequence });
        return other.heartbeat();
      }),
    );
    expect(back.map((answer) => answer.status)).toEqual(gateways.map(() => 200));
    await sleep(1_000);
    const audit = (await api.get(partner.token, `/api/v1/tenants/${partner.tenantId}/audit-events?limit=200`)).body.items.filter(
      (e: { action: string }) => e.action === 'gateway.status_changed',
    );
    for (const gw of gateways) {
      const changes = audit
        .filter((e: { targetId: string }) => e.targetId === gw.gatewayId)
        .map((e: { after: { status: string } }) => e.after.status)
        .reverse();
      // On a loaded machine a gateway may fall silent again (2 s) before the audit is read: that is
      // a real change. A change made twice would show as the same status twice in a row.
      expect(changes.slice(0, 3)).toEqual(['CONNECTED', 'DISCONNECTED', 'CONNECTED']);
      expect(changes.filter((status: string, i: number) => status === changes[i - 1])).toEqual([]);
    }
  });
});

// An API-only process: no worker flushes last-seen behind the test's back.
describe('gateway protocol: last-seen write-through', () => {
  let t: TestApp;
  let api: Api;
  let tenantId: string;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp({ env: { ROLE: 'api' } });
    api = new Api(t);
    const partner = await api.partner();
    tenantId = await api.createClientTenant(partner.token, 'Last-seen client');
    admin = await api.clientToken(partner.token, tenantId, ['admin']);
  });
  afterAll(() => t?.close());

  it('last-seen goes to Postgres in batches: each value exactly once, the newest wins, Redis is left empty', async () => {
    const { gw } = await new Fleet(api, tenantId, admin, t.url).gateway();
    const live = t.app.get(GatewayLiveState);
    const redis = t.app.get<RedisClient>(REDIS);
    // Each value goes to its gateway's liveness shard; one shard gets more than a small hash
    // holds, so its scan takes it in several steps.
    const fake = Array.from({ length: 1_200 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const crowded = live.shardOf(fake[0]).lastSeen;
    const extra = Array.from({ length: 1_200 }, (_, i) => `10000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    for (const id of fake) await redis.hset(live.shardOf(id).lastSeen, id, `${Date.now()}:0`);
    await redis.hset(crowded, Object.fromEntries(extra.map((id) => [id, `${Date.now()}:0`])));
    const batches: LastSeen[][] = [];
    const taken = await live.takeLastSeen(100, async (batch) => void batches.push(batch));
    const ids = batches.flat().map((seen) => seen.gatewayId);
    expect(taken).toBe(2_401);
    expect(ids).toHaveLength(2_401);
    expect(new Set(ids)).toEqual(new Set([...fake, ...extra, gw.gatewayId]));
    expect(batches.length).toBeGreaterThan(live.allShards.length);
    // The crowded shard's values came in several steps.
    const extraIds = new Set(extra);
    expect(batches.filter((batch) => batch.some((seen) => extraIds.has(seen.gatewayId))).length).toBeGreaterThan(1);
    for (const shard of live.allShards) expect(await redis.exists(shard.lastSeen)).toBe(0);

    const database = t.app.get(DataSource);
    await database.query('UPDATE gateways SET last_heartbeat_at = NULL WHERE id = $1', [gw.gatewayId]);
    await gw.heartbeat();
    expect(await t.app.get(LivenessProcessor).flushLastSeen()).toBe(1);
    const [row] = await database.query('SELECT last_heartbeat_at FROM gateways WHERE id = $1', [gw.gatewayId]);
    expect(Date.now() - new Date(row.last_heartbeat_at).getTime()).toBeLessThan(5_000);
  });

  /**
   * Runs `work` into a deadlock it loses: another transaction holds the second row; once `work`
   * waits for it in `statement` (having taken the first), that transaction takes the first too.
   * Postgres ends `work`'s statement (it has waited longer, so its deadlock check runs first); the
   * other transaction then commits. What `work` settled to, its error included, so a failure shows
   * as what it threw.
   */
  const deadlockAgainst = async (statement: string, [first, second]: string[], work: () => Promise<unknown>): Promise<unknown> => {
    const database = t.app.get(DataSource);
    const other = database.createQueryRunner();
    await other.connect();
    try {
      await other.startTransaction();
      await other.query('SELECT id FROM gateways WHERE id = $1 FOR UPDATE', [second]);
      const settled = work().catch((error: unknown) => error);
      await waitFor(
        () => database.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query = $1`, [statement]),
        ([row]: { n: number }[]) => row.n === 1,
        5_000,
        20,
      );
      await other.query('SELECT id FROM gateways WHERE id = $1 FOR UPDATE', [first]);
      await other.commitTransaction();
      return await settled;
    } finally {
      if (other.isTransactionActive) await other.rollbackTransaction();
      await other.release();
    }
  };

  it('a flush chosen as a deadlock victim (it updates rows in its own order, a transition batch locks them in id order) is sent again: no value is lost', async () => {
    const fleet = new Fleet(api, tenantId, admin, t.url);
    const first = (await fleet.gateway({ heartbeat: false })).gw.gatewayId!;
    const second = (await fleet.gateway({ heartbeat: false })).gw.gatewayId!;
    const live = t.app.get(GatewayLiveState);
    const redis = t.app.get<RedisClient>(REDIS);
    const database = t.app.get(DataSource);
    const store = t.app.get(GatewaysStore);
    const flusher = t.app.get(LivenessProcessor);
    await flusher.flushLastSeen(); // nothing else pending
    // Both in one shard, the first before the second: one statement, which updates them in that order.
    const seenAt = Date.now() + 60_000;
    await redis.hset(live.allShards[0].lastSeen, first, `${seenAt}:0`);
    await redis.hset(live.allShards[0].lastSeen, second, `${seenAt}:0`);
    const attempts: string[] = [];
    const writeLastSeen = store.writeLastSeen.bind(store);
    const spy = vi.spyOn(store, 'writeLastSeen').mockImplementation(async (seen) => {
      try {
        await writeLastSeen(seen);
        attempts.push(`wrote ${seen.length}`);
      } catch (error) {
        attempts.push(isDeadlock(error) ? 'deadlock victim' : String(error));
        throw error;
      }
    });
    try {
      // Like a transition batch, the other transaction takes the rows in the opposite order.
      expect(await deadlockAgainst(STATEMENTS.writeLastSeen, [first, second], () => flusher.flushLastSeen())).toBe(2);
    } finally {
      spy.mockRestore();
    }
    // Usually once more; on a loaded machine the flush can win the race for the first row again.
    expect(attempts[0]).toBe('deadlock victim');
    expect(attempts.slice(1, -1).every((attempt) => attempt === 'deadlock victim')).toBe(true);
    expect(attempts.at(-1)).toBe('wrote 2');
    const rows: { id: string; at: Date }[] = await database.query(
      `SELECT id, last_heartbeat_at AS at FROM gateways WHERE id = ANY($1::uuid[])`,
      [[first, second]],
    );
    expect(rows.map((row) => row.at.getTime())).toEqual([seenAt, seenAt]);
  });

  it('a transition batch chosen as a deadlock victim (another transaction took its rows out of id order) runs again: both rows written', async () => {
    const fleet = new Fleet(api, tenantId, admin, t.url);
    const ids = [(await fleet.gateway()).gw.gatewayId!, (await fleet.gateway()).gw.gatewayId!].sort();
    const database = t.app.get(DataSource);
    const sequences = () =>
      database.query(`SELECT id, status_seq FROM gateways WHERE id = ANY($1::uuid[]) ORDER BY id`, [ids]) as Promise<
        { id: string; status_seq: string }[]
      >;
    const written = await sequences();
    // Their sequences in Postgres one behind Redis's: the sweep's apply locks both rows (in id order) to write them.
    await database.query('UPDATE gateways SET status_seq = status_seq - 1 WHERE id = ANY($1::uuid[])', [ids]);
    expect(await deadlockAgainst(String(STATEMENTS.lockForTransitions), ids, () => t.app.get(GatewayStatusWriter).apply(ids))).toBe(2);
    expect(await sequences()).toEqual(written);
  });

  it('a batch of transitions writes each row once with its last heartbeat and clock skew (the last-seen flush then leaves the rows alone), and is confirmed in Redis in one command on one primary', async () => {
    const fleet = new Fleet(api, tenantId, admin, t.url);
    const gateways: GatewaySession[] = [];
    for (let i = 0; i < 8; i++) gateways.push((await fleet.gateway({ heartbeat: false })).gw);
    const ids = gateways.map((gw) => gw.gatewayId!);
    const live = t.app.get(GatewayLiveState);
    const database = t.app.get(DataSource);
    const redis = t.app.get<RedisClient>(REDIS);
    const store = t.app.get(GatewaysStore);
    const batches: number[] = [];
    const writeTransitions = store.writeTransitions.bind(store);
    const batchSpy = vi.spyOn(store, 'writeTransitions').mockImplementation((manager, transitions) => {
      batches.push(transitions.length);
      return writeTransitions(manager, transitions);
    });
    const [{ last }]: { last: string }[] = await database.query(`SELECT coalesce(max(id), 0)::text AS last FROM gateway_count_changes`);
    const commandSpy = vi.spyOn(redis, 'sendCommand');
    let answers: { status: number }[];
    let commands: { name: string; args: unknown[] }[];
    try {
      // Their first heartbeats, all at once, each with its clock two minutes behind: REGISTERED → CONNECTED.
      answers = await Promise.all(gateways.map((gw) => gw.heartbeat({ sentAt: new Date(Date.now() - 120_000).toISOString() })));
    } finally {
      commands = commandSpy.mock.calls.map(([command]) => command as unknown as { name: string; args: unknown[] });
      batchSpy.mockRestore();
      commandSpy.mockRestore();
    }
    expect(answers.map((answer) => answer.status)).toEqual(ids.map(() => 200));
    expect(batches.reduce((sum, n) => sum + n, 0)).toBe(ids.length);
    expect(Math.max(...batches)).toBeGreaterThan(1);
    // No worker runs here, so nothing but the transitions wrote the last heartbeat and the skew.
    const rows: { id: string; status: string; last_heartbeat_at: Date | null; clock_skew_seconds: number | null; xmin: string }[] =
      await database.query(
        `SELECT id, status, last_heartbeat_at, clock_skew_seconds, xmin::text FROM gateways WHERE id = ANY($1::uuid[])`,
        [ids],
      );
    expect(rows).toHaveLength(ids.length);
    for (const row of rows) {
      expect(row.status).toBe('CONNECTED');
      expect(Date.now() - new Date(row.last_heartbeat_at!).getTime()).toBeLessThan(10_000);
      expect(row.clock_skew_seconds).toBeGreaterThan(115);
      expect(row.clock_skew_seconds).toBeLessThan(135);
    }
    // The fleet counts' changes are appended once per statement, grouped: one row per batch for the
    // gateways that left REGISTERED and one for those now CONNECTED (a row trigger appended one per gateway).
    const changes: { status: string; n: number }[] = await database.query(
      `SELECT status, n FROM gateway_count_changes WHERE id > $1 ORDER BY id`,
      [last],
    );
    for (const [status, sign] of [
      ['CONNECTED', 1],
      ['REGISTERED', -1],
    ] as const) {
      const own = changes.filter((change) => change.status === status);
      expect(own.reduce((sum, change) => sum + change.n, 0)).toBe(sign * ids.length);
      expect(own).toHaveLength(batches.length);
    }
    // Rewritten on every transition, the assessment is compressed with lz4.
    expect(
      await database.query(`SELECT attcompression FROM pg_attribute WHERE attrelid = 'gateways'::regclass AND attname = 'assessment'`),
    ).toEqual([{ attcompression: 'l' }]);
    // Its pages keep room for the next version of a row, so the flush's and the transitions' updates stay HOT.
    expect(await database.query(`SELECT reloptions FROM pg_class WHERE oid = 'gateways'::regclass`)).toEqual([
      { reloptions: ['fillfactor=70'] },
    ]);
    // The last-seen flush takes the same values from Redis and finds every row up to date: no new row version.
    expect(await t.app.get(LivenessProcessor).flushLastSeen()).toBeGreaterThanOrEqual(ids.length);
    const after: { id: string; xmin: string }[] = await database.query(`SELECT id, xmin::text FROM gateways WHERE id = ANY($1::uuid[])`, [
      ids,
    ]);
    expect(new Map(after.map((row) => [row.id, row.xmin]))).toEqual(new Map(rows.map((row) => [row.id, row.xmin])));
    // Confirmed in Redis: nothing of theirs left pending; on one primary one command per batch, whatever shards its gateways are in.
    for (const id of ids) expect(await redis.zscore(live.shardOf(id).pending, id)).toBeNull();
    const scripts = (redis as unknown as { scriptsSet: Record<string, { sha: string; lua: string }> }).scriptsSet;
    const confirmScripts = [scripts.gcpConfirm, scripts.gcpConfirmAnyShards].flatMap((script) => (script ? [script.sha, script.lua] : []));
    const confirms = commands
      .filter((command) => confirmScripts.includes(String(command.args[0])))
      .filter((command) => command.args.some((arg) => ids.includes(String(arg))));
    if (t.app.get(RedisConnections).isCluster) expect(confirms.length).toBeGreaterThanOrEqual(batches.length);
    else expect(confirms).toHaveLength(batches.length);
  });
});
