import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewaySession, NodeReport, ProtocolCommand } from '@gateway-control-plane/agent';
import { Api } from './support/api.js';
import { Fleet, healthyNode } from './support/fleet.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';

/** Looks every 200 ms; a gateway silent for 2 intervals of 1 s is DISCONNECTED. */
const FAST = { VALIDATION_TICK_MS: '200', HEARTBEAT_INTERVAL_SECONDS: '1', HEARTBEAT_MISSED_LIMIT: '2' };

const node = (n: number, apps: string[]): NodeReport =>
  healthyNode(n, { apps: apps.map((name) => ({ name, status: 'RUNNING', restarts: 0 })) });

/** The cluster guide's validations as tracked runs: setup validation and node-failure drill, to PASSED and to FAILED. */
describe('validations: setup validation and node-failure drill', () => {
  let t: TestApp;
  let api: Api;
  let partnerToken: string;
  let tenantId: string;
  let operator: string;
  let fleet: Fleet;

  const registered = async (type: 'CLASSIC' | 'CLUSTER', nodes?: NodeReport[]) => (await fleet.gateway({ type, nodes })).gw;
  const validation = async (id: string) => (await api.get(operator, `/api/v1/tenants/${tenantId}/validations/${id}`)).body;
  const until = (id: string, state: string, timeoutMs = 15_000) =>
    waitFor(
      () => validation(id),
      (v) => v.state === state,
      timeoutMs,
      100,
    );
  /** The gateway's waiting commands, acknowledged. */
  const take = async (gw: GatewaySession): Promise<ProtocolCommand[]> => {
    const { commands } = (await gw.pollCommands(0)).body;
    for (const command of commands) await gw.updateCommand(command.commandId, { state: 'ACKNOWLEDGED' });
    return commands;
  };
  /** Heartbeats every 300 ms until stopped, as a live gateway manager does. */
  const keepHeartbeating = (gw: GatewaySession) => {
    let on = true;
    const loop = (async () => {
      while (on) {
        await gw.heartbeat();
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
    })();
    return async () => {
      on = false;
      await loop;
    };
  };

  beforeAll(async () => {
    t = await startTestApp({ env: FAST });
    api = new Api(t);
    const partner = await api.partner();
    partnerToken = partner.token;
    tenantId = await api.createClientTenant(partner.token, 'Validations client', { gatewayClustering: true });
    operator = await api.clientToken(partner.token, tenantId, ['operator']);
    fleet = new Fleet(api, tenantId, await api.clientToken(partner.token, tenantId, ['admin']), t.url);
  });
  afterAll(() => t?.close());

  describe('setup validation', () => {
    it('discovers and pings each resource through the gateway: PASSED, with a result per resource, audited and announced', async () => {
      const gw = await registered('CLASSIC');
      const updates: { validationId: string; state: string; phase: string }[] = [];
      const client = createClient({
        url: `${t.url.replace('http', 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${operator}` },
      });
      const connected = new Promise<void>((resolve) => client.on('connected', () => resolve()));
      client.subscribe(
        {
          query: `subscription($g: ID) { validationUpdated(gatewayId: $g) { validationId gatewayId kind state phase failureReason updatedAt } }`,
          variables: { g: gw.gatewayId },
        },
        {
          next: (message) => updates.push((message.data as { validationUpdated: (typeof updates)[number] }).validationUpdated),
          error: () => undefined,
          complete: () => undefined,
        },
      );
      await connected;

      const started = await api.post(operator, `/api/v1/tenants/${tenantId}/gateways/${gw.gatewayId}/setup-validations`, {
        resources: ['10.1.0.5', 'core-switch.example.net'],
      });
      expect(started.status, JSON.stringify(started.body)).toBe(201);
      expect(started.body).toMatchObject({
        kind: 'SETUP',
        state: 'RUNNING',
        phase: 'AWAITING_RESULTS',
        gatewayId: gw.gatewayId,
        drill: null,
        setup: {
          resources: [
            { resource: '10.1.0.5', discovered: null, pinged: null, reason: null },
            { resource: 'core-switch.example.net', discovered: null, pinged: null, reason: null },
          ],
        },
      });
      const commands = await take(gw);
      expect(commands.map((c) => [c.type, c.parameters])).toEqual([
        ['RUN_DISCOVERY', { profile: 'setup-validation', resources: ['10.1.0.5', 'core-switch.example.net'] }],
        ['APPLY_PING_MONITORS', { resources: ['10.1.0.5', 'core-switch.example.net'] }],
      ]);
      expect(commands.map((c) => c.commandId)).toEqual([started.body.setup.discoveryCommandId, started.body.setup.pingMonitorsCommandId]);
      const [discovery, ping] = commands;
      await gw.updateCommand(discovery!.commandId, {
        state: 'SUCCEEDED',
        result: {
          resources: [
            { resource: '10.1.0.5', discovered: true },
            { resource: 'core-switch.example.net', discovered: true },
          ],
        },
      });
      // one command ended: still running
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect((await validation(started.body.id)).state).toBe('RUNNING');
      await gw.updateCommand(ping!.commandId, {
        state: 'SUCCEEDED',
        result: {
          resources: [
            { resource: '10.1.0.5', pinged: true },
            { resource: 'core-switch.example.net', pinged: true },
          ],
        },
      });

      const passed = await until(started.body.id, 'PASSED');
      expect(passed).toMatchObject({ phase: 'ENDED', failureReason: null, endedAt: expect.any(String) });
      expect(passed.setup.resources).toEqual([
        { resource: '10.1.0.5', discovered: true, pinged: true, reason: null },
        { resource: 'core-switch.example.net', discovered: true, pinged: true, reason: null },
      ]);
      await waitFor(
        async () => updates.map((u) => u.state),
        (states) => states.includes('PASSED'),
        5_000,
      );
      expect(updates.map((u) => [u.validationId, u.state])).toEqual([
        [started.body.id, 'RUNNING'],
        [started.body.id, 'PASSED'],
      ]);
      await client.dispose();
      const audit = await api.get(operator, `/api/v1/tenants/${tenantId}/audit-events?limit=50`);
      const actions = audit.body.items
        .filter((e: { targetId: string }) => e.targetId === started.body.id)
        .map((e: { action: string; actorType: string }) => [e.action, e.actorType]);
      expect(actions).toEqual([
        ['validation.passed', 'system'],
        ['validation.started', 'api-client'],
      ]);
    });

    it('says per resource why it was not discovered or not pinged: FAILED', async () => {
      const gw = await registered('CLASSIC');
      const started = await api.post(operator, `/api/v1/tenants/${tenantId}/gateways/${gw.gatewayId}/setup-validations`, {
        resources: ['10.1.0.5', '10.1.0.6', '10.1.0.5'],
      });
      expect(started.status).toBe(201);
      const [discovery, ping] = await take(gw);
      await gw.updateCommand(discovery!.commandId, {
        state: 'SUCCEEDED',
        result: {
          resources: [
            { resource: '10.1.0.5', discovered: true },
            { resource: '10.1.0.6', discovered: false, reason: 'SNMP timeout (community public)' },
          ],
        },
      });
      await gw.updateCommand(ping!.commandId, {
        state: 'FAILED',
        errorCode: 'MONITORING_UNAVAILABLE',
        message: 'the monitoring agent is down',
      });
      const failed = await until(started.body.id, 'FAILED');
      expect(failed.failureReason).toBe('2 of 2 resources not both discovered and pinged: 10.1.0.5, 10.1.0.6');
      expect(failed.setup.resources).toEqual([
        {
          resource: '10.1.0.5',
          discovered: true,
          pinged: false,
          reason: 'not pinged: APPLY_PING_MONITORS ended FAILED (MONITORING_UNAVAILABLE)',
        },
        {
          resource: '10.1.0.6',
          discovered: false,
          pinged: false,
          reason: 'not discovered: SNMP timeout (community public); not pinged: APPLY_PING_MONITORS ended FAILED (MONITORING_UNAVAILABLE)',
        },
      ]);
    });

    it('refuses bad input with 400, a foreign or unknown gateway with 404, a de-registered one with 409; a viewer may not start one', async () => {
      const gw = await registered('CLASSIC');
      const path = `/api/v1/tenants/${tenantId}/gateways/${gw.gatewayId}/setup-validations`;
      for (const body of [
        {},
        { resources: [] },
        { resources: ['bad host name'] },
        { resources: Array.from({ length: 51 }, (_, i) => `10.0.0.${i}`) },
        { resources: ['10.0.0.1'], extra: 1 },
      ]) {
        const response = await api.post(operator, path, body);
        expect(response.status, JSON.stringify(body)).toBe(400);
        expect(response.body.code).toBe('INVALID_REQUEST');
      }
      expect(
        (await api.post(operator, `/api/v1/tenants/${tenantId}/gateways/not-a-uuid/setup-validations`, { resources: ['10.0.0.1'] })).body
          .code,
      ).toBe('GATEWAY_NOT_FOUND');
      const other = await api.createClientTenant(partnerToken, 'Validations nosy');
      const nosy = await api.clientToken(partnerToken, other, ['admin']);
      const foreign = await api.post(nosy, `/api/v1/tenants/${other}/gateways/${gw.gatewayId}/setup-validations`, {
        resources: ['10.0.0.1'],
      });
      expect([foreign.status, foreign.body.code]).toEqual([404, 'GATEWAY_NOT_FOUND']);
      const viewer = await api.clientToken(partnerToken, tenantId, ['viewer']);
      expect((await api.post(viewer, path, { resources: ['10.0.0.1'] })).status).toBe(403);
      const started = await api.post(operator, path, { resources: ['10.0.0.1'] });
      expect((await api.get(nosy, `/api/v1/tenants/${other}/validations/${started.body.id}`)).status).toBe(404);
      await gw.deregister();
      const refused = await api.post(operator, path, { resources: ['10.0.0.1'] });
      expect([refused.status, refused.body.code]).toEqual([409, 'GATEWAY_NOT_ACTIVE']);
    });
  });

  describe('node-failure drill', () => {
    const cluster = () => [node(1, ['vprobe', 'collector']), node(2, ['gateway-manager']), node(3, [])];
    const startDrill = async (gatewayId: string, input: Record<string, unknown>) => {
      const response = await api.graphql(
        operator,
        `mutation($input: StartNodeFailureDrillInput!) { startNodeFailureDrill(input: $input) { validation { id kind state phase gateway { id type } drill { node placement { node apps } appsToRecover stopNode stopNodeCommandId } } } }`,
        { input: { gatewayId, ...input } },
      );
      return response.body;
    };

    it('PASSED with the time to recover when the lost node’s apps come back RUNNING on the others and the gateway keeps heartbeating; the node’s return is recorded', async () => {
      const gw = await registered('CLUSTER', cluster());
      const started = await startDrill(gw.gatewayId!, { node: 'gw-node-1' });
      expect(started.errors).toBeUndefined();
      const run = started.data.startNodeFailureDrill.validation;
      expect(run).toMatchObject({
        kind: 'NODE_FAILURE',
        state: 'RUNNING',
        phase: 'AWAITING_NODE_LOSS',
        gateway: { id: gw.gatewayId, type: 'CLUSTER' },
        drill: {
          node: 'gw-node-1',
          placement: [
            { node: 'gw-node-1', apps: ['collector', 'vprobe'] },
            { node: 'gw-node-2', apps: ['gateway-manager'] },
            { node: 'gw-node-3', apps: [] },
          ],
          appsToRecover: ['collector', 'vprobe'],
          stopNode: false,
          stopNodeCommandId: null,
        },
      });
      const stop = keepHeartbeating(gw);
      try {
        // the operator powers gw-node-1 off: it leaves the report
        gw.nodes = [node(2, ['gateway-manager']), node(3, [])];
        const lost = await waitFor(
          () => validation(run.id),
          (v) => v.phase === 'AWAITING_RECOVERY',
          10_000,
        );
        expect(lost.drill.nodeLostAt).toEqual(expect.any(String));
        // Kubernetes moves its apps, one at a time
        gw.nodes = [node(2, ['gateway-manager', 'vprobe']), node(3, [])];
        await waitFor(
          () => validation(run.id),
          (v) => v.drill.recoveredOn.length === 1,
          10_000,
        );
        expect((await validation(run.id)).state).toBe('RUNNING');
        gw.nodes = [node(2, ['gateway-manager', 'vprobe']), node(3, ['collector'])];
        const passed = await until(run.id, 'PASSED');
        expect(passed.drill).toMatchObject({
          recoveredOn: [
            { app: 'collector', node: 'gw-node-3' },
            { app: 'vprobe', node: 'gw-node-2' },
          ],
          appsNotRecovered: [],
          nodeReturnedAt: null,
        });
        expect(passed.drill.recoverySeconds).toBeGreaterThan(0);
        expect(passed.drill.recoverySeconds).toBeCloseTo(
          (Date.parse(passed.drill.recoveredAt) - Date.parse(passed.drill.nodeLostAt)) / 1000,
          0,
        );
        // gw-node-1 is powered on again
        gw.nodes = [node(1, []), node(2, ['gateway-manager', 'vprobe']), node(3, ['collector'])];
        const returned = await waitFor(
          () => validation(run.id),
          (v) => v.drill.nodeReturnedAt !== null,
          10_000,
        );
        expect(returned.state).toBe('PASSED');
        expect(Date.parse(returned.drill.nodeReturnedAt)).toBeGreaterThan(Date.parse(returned.drill.recoveredAt));
      } finally {
        await stop();
      }
      const actions = (await api.get(operator, `/api/v1/tenants/${tenantId}/audit-events?limit=50`)).body.items
        .filter((e: { targetId: string }) => e.targetId === run.id)
        .map((e: { action: string }) => e.action);
      expect(actions).toEqual(['validation.node_returned', 'validation.passed', 'validation.node_lost', 'validation.started']);
    });

    it('FAILED with the apps that did not come back within the deadline; the gateway was asked to stop the node', async () => {
      const gw = await registered('CLUSTER', cluster());
      const started = await startDrill(gw.gatewayId!, { node: 'gw-node-1', recoveryDeadlineSeconds: 5, stopNode: true });
      expect(started.errors).toBeUndefined();
      const run = started.data.startNodeFailureDrill.validation;
      const [stopCommand] = await take(gw);
      expect(stopCommand).toMatchObject({
        commandId: run.drill.stopNodeCommandId,
        type: 'STOP_NODE',
        parameters: { hostname: 'gw-node-1' },
      });
      await gw.updateCommand(stopCommand!.commandId, { state: 'SUCCEEDED' });
      const stop = keepHeartbeating(gw);
      try {
        // the node stops; only vprobe comes back
        gw.nodes = [node(1, []), node(2, ['gateway-manager', 'vprobe']), node(3, [])].map((n) =>
          n.hostname === 'gw-node-1' ? { ...n, ready: false } : n,
        );
        const failed = await until(run.id, 'FAILED', 15_000);
        expect(failed.failureReason).toBe('not recovered within 5 s of losing gw-node-1: collector not RUNNING on another node');
        expect(failed.drill).toMatchObject({
          appsNotRecovered: ['collector'],
          recoveredOn: [{ app: 'vprobe', node: 'gw-node-2' }],
          recoveredAt: null,
          recoverySeconds: null,
        });
        expect(Date.parse(failed.endedAt) - Date.parse(failed.drill.nodeLostAt)).toBeGreaterThanOrEqual(5_000);
      } finally {
        await stop();
      }
    });

    it('FAILED when the node never goes down before its deadline', async () => {
      const gw = await registered('CLUSTER', cluster());
      const started = await api.post(operator, `/api/v1/tenants/${tenantId}/gateways/${gw.gatewayId}/node-failure-drills`, {
        node: 'gw-node-2',
        nodeLossDeadlineSeconds: 5,
      });
      expect(started.status, JSON.stringify(started.body)).toBe(201);
      const stop = keepHeartbeating(gw);
      try {
        const failed = await until(started.body.id, 'FAILED', 15_000);
        expect(failed.failureReason).toMatch(/^gw-node-2 did not go down before /);
        expect(failed.drill.nodeLostAt).toBeNull();
      } finally {
        await stop();
      }
    });

    it('checks its preconditions, runs one drill per gateway at a time, and can be cancelled once', async () => {
      const classic = await registered('CLASSIC');
      const drills = (gatewayId: string) => `/api/v1/tenants/${tenantId}/gateways/${gatewayId}/node-failure-drills`;
      const code = async (gatewayId: string, body: object) => {
        const response = await api.post(operator, drills(gatewayId), body);
        return [response.status, response.body.code];
      };
      expect(await code(classic.gatewayId!, { node: 'gw-node-1' })).toEqual([409, 'NOT_A_CLUSTER']);
      const gw = await registered('CLUSTER', cluster());
      expect(await code(gw.gatewayId!, { node: 'gw-node-9' })).toEqual([404, 'NODE_NOT_FOUND']);
      expect(await code(gw.gatewayId!, { node: 'gw-node-1', recoveryDeadlineSeconds: 1 })).toEqual([400, 'INVALID_REQUEST']);
      expect(await code(gw.gatewayId!, {})).toEqual([400, 'INVALID_REQUEST']);
      gw.nodes = [node(1, ['vprobe']), { ...node(2, []), ready: false }, node(3, [])];
      await gw.heartbeat();
      expect(await code(gw.gatewayId!, { node: 'gw-node-2' })).toEqual([409, 'NODE_NOT_READY']);
      const single = await registered('CLUSTER', [node(1, ['vprobe'])]);
      expect(await code(single.gatewayId!, { node: 'gw-node-1' })).toEqual([409, 'NO_OTHER_NODE']);

      const first = await api.post(operator, drills(gw.gatewayId!), { node: 'gw-node-1' });
      expect(first.status).toBe(201);
      expect(await code(gw.gatewayId!, { node: 'gw-node-3' })).toEqual([409, 'VALIDATION_IN_PROGRESS']);
      const cancelled = await api.graphql(
        operator,
        `mutation($input: CancelValidationInput!) { cancelValidation(input: $input) { validation { id state phase } } }`,
        {
          input: { id: first.body.id },
          t: tenantId,
        },
      );
      expect(cancelled.body.data.cancelValidation.validation).toEqual({ id: first.body.id, state: 'CANCELLED', phase: 'ENDED' });
      const again = await api.post(operator, `/api/v1/tenants/${tenantId}/validations/${first.body.id}/cancel`);
      expect([again.status, again.body.code]).toEqual([409, 'VALIDATION_ALREADY_ENDED']);
      // the gateway is free for another drill now
      expect((await api.post(operator, drills(gw.gatewayId!), { node: 'gw-node-3' })).status).toBe(201);
      const listed = await api.get(operator, `/api/v1/tenants/${tenantId}/validations?gatewayId=${gw.gatewayId}`);
      expect(listed.body.items.map((v: { state: string; drill: { node: string } }) => [v.drill.node, v.state])).toEqual([
        ['gw-node-3', 'RUNNING'],
        ['gw-node-1', 'CANCELLED'],
      ]);
      const connection = await api.graphql(
        operator,
        `query($g: ID) { validations(gatewayId: $g, first: 1) { edges { cursor node { id } } pageInfo { hasNextPage } } }`,
        { g: gw.gatewayId },
      );
      expect(connection.body.data.validations.pageInfo.hasNextPage).toBe(true);
    });
  });
});
