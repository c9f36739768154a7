import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewaySession } from '@gateway-control-plane/agent';
import { DataSource } from 'typeorm';
import { CommandDeadlinesProcessor } from '../src/commands/system-events/command-deadlines.processor.js';
import { CommandTimers } from '../src/commands/lifecycle/command-timers.js';
import { JobQueue } from '../src/platform/queues/job-queue.service.js';
import { QueueName } from '../src/platform/queues/job-catalog.js';
import { CommandSaves } from '../src/commands/lifecycle/command-saves.js';
import { CommandEntity } from '../src/commands/command.entity.js';
import { GatewayLiveState } from '../src/gateways/gateway-live-state.js';
import { CommandWakeups } from '../src/commands/hand-out/command-wakeups.js';
import { REDIS, RedisConnections, type RedisClient } from '../src/platform/redis/redis.module.js';
import { Api } from './support/api.js';
import { Fleet, healthySession } from './support/fleet.js';
import { startServiceProcess } from './support/service-process.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { sleep, waitFor } from './support/wait.js';

describe('commands down to gateways', () => {
  let t: TestApp;
  let api: Api;
  let partner: { token: string; tenantId: string };
  let tenantId: string;
  let admin: string;
  let operator: string;
  let viewer: string;
  let fleet: Fleet;

  const gatewayOnline = async () => (await fleet.gateway()).gw;
  const queue = (gw: GatewaySession, body: object, token = operator, headers: Record<string, string> = {}) =>
    api.post(token, `/api/v1/tenants/${tenantId}/gateways/${gw.gatewayId}/commands`, body).set(headers);
  const command = async (id: string) => (await api.get(admin, `/api/v1/tenants/${tenantId}/commands/${id}`)).body;

  beforeAll(async () => {
    // Short deadlines: an unacknowledged command comes back after 1 s.
    t = await startTestApp({ env: { COMMAND_ACK_TIMEOUT_SECONDS: '1', HEARTBEAT_INTERVAL_SECONDS: '30' } });
    api = new Api(t);
    partner = await api.partner();
    tenantId = await api.createClientTenant(partner.token, 'Commands client', { gatewayClustering: true });
    admin = await api.clientToken(partner.token, tenantId, ['admin']);
    operator = await api.clientToken(partner.token, tenantId, ['operator']);
    viewer = await api.clientToken(partner.token, tenantId, ['viewer']);
    fleet = new Fleet(api, tenantId, admin, t.url);
  });
  afterAll(() => t?.close());

  describe('queueing', () => {
    it("an operator queues a command: 201 QUEUED, numbered in the gateway's queue; a viewer cannot (403)", async () => {
      const gw = await gatewayOnline();
      const first = await queue(gw, { type: 'RESTART_APP', parameters: { app: 'vprobe' } });
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({
        state: 'QUEUED',
        sequence: 1,
        type: 'RESTART_APP',
        parameters: { app: 'vprobe' },
        timeoutSeconds: 600,
        deliveries: 0,
      });
      expect(Date.parse(first.body.deliverBy) - Date.now()).toBeGreaterThan(3_500_000);
      expect((await queue(gw, { type: 'PING' })).body.sequence).toBe(2);
      const denied = await queue(gw, { type: 'PING' }, viewer);
      expect(denied.status).toBe(403);
    });

    it('parameters are validated per type when queued: 400 with field errors', async () => {
      const gw = await gatewayOnline();
      const missing = await queue(gw, { type: 'RESTART_APP', parameters: {} });
      expect(missing.status).toBe(400);
      expect(missing.body.errors).toContainEqual({ field: 'parameters.app', message: expect.any(String) });
      expect((await queue(gw, { type: 'COLLECT_LOGS', parameters: { sinceMinutes: 'yesterday' } })).body.errors[0].field).toBe(
        'parameters.sinceMinutes',
      );
      expect((await queue(gw, { type: 'PING', parameters: { x: 1 } })).body.errors[0].field).toBe('parameters.x');
      expect((await queue(gw, { type: 'REBOOT_EVERYTHING' })).status).toBe(400);
      expect((await queue(gw, { type: 'PING', deliverBy: new Date(Date.now() - 1000).toISOString() })).body.errors[0].field).toBe(
        'deliverBy',
      );
      expect((await queue(gw, { type: 'PING', timeoutSeconds: 0 })).status).toBe(400);
    });

    it("a de-registered gateway takes no command (409 GATEWAY_NOT_ACTIVE); a disconnected one's waits", async () => {
      const gw = await gatewayOnline();
      await gw.deregister();
      const refused = await queue(gw, { type: 'PING' });
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('GATEWAY_NOT_ACTIVE');
      const fresh = await gatewayOnline();
      await api.post(admin, `/api/v1/tenants/${tenantId}/gateways/${fresh.gatewayId}/deregister`);
      expect((await queue(fresh, { type: 'PING' })).status).toBe(409);
    });

    it('the same Idempotency-Key answers the first command; another request with it is 409; another tenant has its own keys', async () => {
      const gw = await gatewayOnline();
      const body = { type: 'RESTART_APP', parameters: { app: 'collector' } };
      const first = await queue(gw, body, operator, { 'idempotency-key': 'restart-collector-1' });
      const again = await queue(gw, body, operator, { 'idempotency-key': 'restart-collector-1' });
      expect(first.status).toBe(201);
      expect(again.status).toBe(200);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body.id).toBe(first.body.id);
      const reused = await queue(gw, { type: 'PING' }, operator, { 'idempotency-key': 'restart-collector-1' });
      expect(reused.status).toBe(409);
      expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
      const parallel = await Promise.all(
        Array.from({ length: 8 }, () => queue(gw, { type: 'PING' }, operator, { 'idempotency-key': 'ping-burst' })),
      );
      expect(new Set(parallel.map((r) => r.body.id)).size).toBe(1);
      const list = await api.get(admin, `/api/v1/tenants/${tenantId}/gateways/${gw.gatewayId}/commands`);
      expect(list.body.items).toHaveLength(2);
      expect((await queue(gw, { type: 'PING' }, operator, { 'idempotency-key': 'bad key with spaces' })).status).toBe(400);
    });

    it('GraphQL queueCommand and commands, with the same rules', async () => {
      const gw = await gatewayOnline();
      const queued = await api.graphql(
        operator,
        'mutation($g: ID!) { queueCommand(input: { gatewayId: $g, type: PING }) { command { id state sequence } } }',
        { g: gw.gatewayId },
      );
      expect(queued.body.data.queueCommand.command).toMatchObject({ state: 'QUEUED', sequence: 1 });
      const invalid = await api.graphql(
        operator,
        'mutation($g: ID!) { queueCommand(input: { gatewayId: $g, type: RESTART_APP, parameters: {} }) { command { id } } }',
        { g: gw.gatewayId },
      );
      expect(invalid.body.errors[0].extensions.code).toBe('INVALID_REQUEST');
      expect(invalid.body.errors[0].extensions.errors).toContainEqual({ field: 'parameters.app', message: expect.any(String) });
      const listed = await api.graphql(viewer, 'query($g: ID!) { commands(gatewayId: $g) { nodes { id state } } }', { g: gw.gatewayId });
      expect(listed.body.data.commands.nodes).toEqual([{ id: queued.body.data.queueCommand.command.id, state: 'QUEUED' }]);
    });
  });

  describe('delivery', () => {
    it('waiting commands ride on the heartbeat answer, oldest first, and are handed out once', async () => {
      const gw = await gatewayOnline();
      const a = await queue(gw, { type: 'PING' });
      const b = await queue(gw, { type: 'RESTART_APP', parameters: { app: 'vprobe' } });
      const answer = await gw.heartbeat();
      expect(answer.body.commands.map((c) => c.commandId)).toEqual([a.body.id, b.body.id]);
      expect(answer.body.commands[1]).toMatchObject({
        sequence: 2,
        type: 'RESTART_APP',
        parameters: { app: 'vprobe' },
        timeoutSeconds: 600,
        issuedAt: expect.any(String),
        deliverBy: expect.any(String),
      });
      expect((await gw.heartbeat()).body.commands).toEqual([]);
      expect(await command(a.body.id)).toMatchObject({ state: 'DELIVERED', deliveries: 1 });
    });

    it('a long poll answers at once when commands wait, wakes within 1 s when one is queued, and answers empty after waitSeconds', async () => {
      const gw = await gatewayOnline();
      const waiting = await queue(gw, { type: 'PING' });
      expect((await gw.pollCommands(10)).body.commands.map((c) => c.commandId)).toEqual([waiting.body.id]);
      await gw.updateCommand(waiting.body.id, { state: 'SUCCEEDED' });
      const started = Date.now();
      const polling = gw.pollCommands(10);
      await sleep(300);
      const queuedAt = Date.now();
      const woken = await queue(gw, { type: 'PING' });
      const answer = await polling;
      expect(answer.body.commands.map((c) => c.commandId)).toEqual([woken.body.id]);
      // acknowledged, so the 1 s redelivery of this test's settings does not bring it back
      await gw.updateCommand(woken.body.id, { state: 'ACKNOWLEDGED' });
      expect(Date.now() - queuedAt).toBeLessThan(1_000);
      expect(Date.now() - started).toBeLessThan(5_000);
      const emptyStarted = Date.now();
      expect((await gw.pollCommands(1)).body).toEqual({ commands: [] });
      expect(Date.now() - emptyStarted).toBeGreaterThanOrEqual(900);
      expect((await gw.pollCommands(31)).status).toBe(400);
    });

    it('racing polls of one gateway get each command exactly once', async () => {
      const gw = await gatewayOnline();
      const ids = [];
      for (let i = 0; i < 6; i++) ids.push((await queue(gw, { type: 'PING' })).body.id);
      const answers = await Promise.all([...Array.from({ length: 8 }, () => gw.pollCommands(0)), gw.heartbeat(), gw.heartbeat()]);
      const received = answers.flatMap((a) => a.body.commands.map((c) => c.commandId));
      expect(received.sort()).toEqual([...ids].sort());
    });

    it('a gateway that hangs up while its poll is held gets nothing: the command waits for its next poll', async () => {
      const gw = await gatewayOnline();
      const wakeups = t.app.get(CommandWakeups);
      const held = wakeups.held;
      const hangUp = new AbortController();
      const polling = gw.pollCommands(20, { signal: hangUp.signal }).catch((error: unknown) => error);
      await waitFor(
        async () => wakeups.held,
        (n) => n === held + 1,
        5_000,
        20,
      );
      hangUp.abort();
      await polling;
      // The hang-up ends the wait at once (the service does not hold it to waitSeconds).
      await waitFor(
        async () => wakeups.held,
        (n) => n === held,
        1_000,
        20,
      );
      const queued = await queue(gw, { type: 'PING' });
      await sleep(300);
      expect(await command(queued.body.id)).toMatchObject({ state: 'QUEUED', deliveries: 0 });
      expect((await gw.pollCommands(0)).body.commands.map((c) => c.commandId)).toEqual([queued.body.id]);
      await gw.updateCommand(queued.body.id, { state: 'SUCCEEDED' });
    });

    it('a held poll whose later look at the queue fails answers like any failed request: 503 problem+json with Retry-After', async () => {
      const gw = await gatewayOnline();
      const live = t.app.get(GatewayLiveState);
      const takeCommandsWaiting = live.takeCommandsWaiting.bind(live);
      const wakeups = t.app.get(CommandWakeups);
      const held = wakeups.held;
      const answered = t
        .http()
        .get('/gateway/v1/commands?waitSeconds=20')
        .set('authorization', `Bearer ${gw.accessToken}`)
        .then((response) => response);
      await waitFor(
        async () => wakeups.held,
        (n) => n === held + 1,
        5_000,
        20,
      );
      // Redis goes away between the poll's first look and its wake-up (ioredis's own error).
      live.takeCommandsWaiting = () => Promise.reject(new Error('Connection is closed.'));
      try {
        const queued = await queue(gw, { type: 'PING' });
        expect(queued.status).toBe(201);
        const response = await answered;
        expect(response.status).toBe(503);
        expect(response.headers['content-type']).toContain('application/problem+json');
        expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
        expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
        expect(response.body).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
        expect(wakeups.held).toBe(held);
      } finally {
        live.takeCommandsWaiting = takeCommandsWaiting;
      }
      // Nothing was handed out: the next poll gets the command.
      expect((await gw.pollCommands(0)).body.commands).toHaveLength(1);
    });
  });

  describe('the "commands waiting" flag', () => {
    it('a poll without the flag costs no claim; a command whose flag Redis lost is flagged again by the sweep and wakes the poll', async () => {
      const gw = await gatewayOnline();
      const queued = await queue(gw, { type: 'PING' });
      expect(queued.status).toBe(201);
      // Redis loses the flag (say, a restart without persistence).
      const redis = t.app.get<RedisClient>(REDIS);
      expect(await redis.del(t.app.get(GatewayLiveState).commandsKey(gw.gatewayId!))).toBe(1);
      expect((await gw.pollCommands(0)).body.commands).toEqual([]);
      expect((await command(queued.body.id)).state).toBe('QUEUED');

      const held = gw.pollCommands(10);
      await sleep(200);
      // Past the sweep's grace, the sweep raises the flag again and wakes the held poll.
      await t.app.get(DataSource).query(`UPDATE commands SET updated_at = now() - interval '1 minute' WHERE id = $1`, [queued.body.id]);
      const startedAt = Date.now();
      await t.app.get(CommandDeadlinesProcessor).sweep();
      const answer = await held;
      expect(Date.now() - startedAt).toBeLessThan(2_000);
      expect(answer.body.commands.map((c: { commandId: string }) => c.commandId)).toEqual([queued.body.id]);
      expect((await command(queued.body.id)).state).toBe('DELIVERED');
    });
  });

  describe('updates from the gateway', () => {
    it('move a command forward, keep progress and messages as history, and end it', async () => {
      const gw = await gatewayOnline();
      const { body } = await queue(gw, { type: 'RESTART_APP', parameters: { app: 'vprobe' } });
      await gw.pollCommands(0);
      expect((await gw.updateCommand(body.id, { state: 'ACKNOWLEDGED' })).body).toEqual({ applied: true });
      expect((await gw.updateCommand(body.id, { state: 'RUNNING', progressPercent: 40, message: 'restarting pods' })).body).toEqual({
        applied: true,
      });
      expect((await gw.updateCommand(body.id, { state: 'RUNNING', progressPercent: 70, message: 'waiting for readiness' })).body).toEqual({
        applied: true,
      });
      expect((await gw.updateCommand(body.id, { state: 'RUNNING', progressPercent: 70, message: 'waiting for readiness' })).body).toEqual({
        applied: false,
      });
      expect((await gw.updateCommand(body.id, { state: 'ACKNOWLEDGED' })).body).toEqual({ applied: false });
      expect((await gw.updateCommand(body.id, { state: 'SUCCEEDED', result: { restartedPods: 3 }, unknownField: 1 })).body).toEqual({
        applied: true,
      });
      expect((await gw.updateCommand(body.id, { state: 'SUCCEEDED', result: { restartedPods: 3 } })).body).toEqual({ applied: false });
      const late = await gw.updateCommand(body.id, { state: 'FAILED', errorCode: 'TOO_LATE' });
      expect(late.status).toBe(409);
      expect(late.body.code).toBe('COMMAND_ALREADY_ENDED');
      const done = await command(body.id);
      expect(done).toMatchObject({
        state: 'SUCCEEDED',
        progressPercent: 100,
        result: { restartedPods: 3 },
        message: 'waiting for readiness',
      });
      expect(
        done.history.map(
          (h: { state: string; progressPercent: number | null }) =>
            `${h.state}${h.progressPercent !== null ? `:${h.progressPercent}` : ''}`,
        ),
      ).toEqual(['QUEUED', 'DELIVERED', 'ACKNOWLEDGED', 'RUNNING:40', 'RUNNING:70', 'SUCCEEDED:100']);
    });

    it("a FAILED update keeps the error code and result; a bad update is 400; another gateway's command is 404", async () => {
      const gw = await gatewayOnline();
      const other = await gatewayOnline();
      const { body } = await queue(gw, { type: 'UPGRADE_FIRMWARE', parameters: { version: '1.4.2' } });
      expect((await gw.updateCommand(body.id, { state: 'DONE' })).status).toBe(400);
      expect((await gw.updateCommand(body.id, { state: 'RUNNING', progressPercent: 140 })).status).toBe(400);
      const foreign = await other.updateCommand(body.id, { state: 'ACKNOWLEDGED' });
      expect(foreign.status).toBe(404);
      expect(foreign.body.code).toBe('COMMAND_NOT_FOUND');
      expect((await other.updateCommand('not-a-uuid', { state: 'ACKNOWLEDGED' })).status).toBe(404);
      expect(
        (await gw.updateCommand(body.id, { state: 'FAILED', errorCode: 'DISK_FULL', message: 'no space left', result: { freeMb: 3 } })).body
          .applied,
      ).toBe(true);
      expect(await command(body.id)).toMatchObject({
        state: 'FAILED',
        errorCode: 'DISK_FULL',
        message: 'no space left',
        result: { freeMb: 3 },
      });
    });

    it('the update body and the poll wait are checked as documented: nulls and unknown fields pass, bad values are 400 naming the field', async () => {
      const gw = await gatewayOnline();
      const { body } = await queue(gw, { type: 'PING' });
      expect((await gw.pollCommands(0)).body.commands.map((c) => c.commandId)).toEqual([body.id]);
      const nulls = await gw.updateCommand(body.id, {
        state: 'RUNNING',
        progressPercent: null,
        message: null,
        errorCode: null,
        futureField: 1,
      });
      expect(nulls.status).toBe(200);
      expect(nulls.body).toEqual({ applied: true });
      for (const [update, field] of [
        [{ state: 'DONE' }, 'state'],
        [{ state: 'RUNNING', progressPercent: 40.5 }, 'progressPercent'],
        [{ state: 'RUNNING', message: 'x'.repeat(2001) }, 'message'],
        [{ state: 'FAILED', errorCode: 'E'.repeat(101) }, 'errorCode'],
        [{ state: 'SUCCEEDED', result: [1, 2] }, 'result'],
        [{ state: 'SUCCEEDED', result: JSON.parse(`${'{"a":'.repeat(17)}1${'}'.repeat(17)}`) }, 'result'],
      ] as const) {
        const refused = await gw.updateCommand(body.id, update as unknown as { state: 'RUNNING' });
        expect(refused.status).toBe(400);
        expect(refused.body.code).toBe('INVALID_REQUEST');
        expect((refused.body.errors ?? []).map((e: { field: string }) => e.field)).toContain(field);
      }
      expect(await command(body.id)).toMatchObject({ state: 'RUNNING', progressPercent: null });
      for (const wait of ['1.5', 'soon', '-1', '31']) {
        const refused = await api.get(gw.accessToken!, `/gateway/v1/commands?waitSeconds=${wait}`);
        expect(refused.status).toBe(400);
        expect(refused.body.errors).toEqual([{ field: 'waitSeconds', message: expect.any(String) }]);
      }
    });

    it('racing updates of one command: each change applied once, with one audit event; progress never goes back', async () => {
      const gw = await gatewayOnline();
      const { body } = await queue(gw, { type: 'PING' });
      await gw.pollCommands(0);
      const acks = await Promise.all(Array.from({ length: 8 }, () => gw.updateCommand(body.id, { state: 'ACKNOWLEDGED' })));
      expect(acks.map((a) => a.status)).toEqual(Array(8).fill(200));
      expect(acks.filter((a) => a.body.applied)).toHaveLength(1);
      const percents = [10, 20, 30, 40, 50, 60, 70, 80, 90];
      const progress = await Promise.all(
        percents.map((progressPercent) => gw.updateCommand(body.id, { state: 'RUNNING', progressPercent })),
      );
      expect(progress.map((p) => p.status)).toEqual(Array(percents.length).fill(200));
      const ended = await Promise.all([
        gw.updateCommand(body.id, { state: 'SUCCEEDED' }),
        gw.updateCommand(body.id, { state: 'FAILED', errorCode: 'LATE' }),
      ]);
      // One end wins; the other is a 409, or (the same end seen again) not applied.
      expect(ended.filter((e) => e.status === 200 && e.body.applied)).toHaveLength(1);
      const done = await command(body.id);
      const steps = done.history.map((h: { state: string; progressPercent: number | null }) => ({
        state: h.state,
        progressPercent: h.progressPercent,
      }));
      expect(steps.filter((s: { state: string }) => s.state === 'ACKNOWLEDGED')).toHaveLength(1);
      const running = steps
        .filter((s: { state: string }) => s.state === 'RUNNING')
        .map((s: { progressPercent: number }) => s.progressPercent);
      expect(running.length).toBe(progress.filter((p) => p.body.applied).length);
      expect(running).toEqual([...running].sort((a: number, b: number) => a - b));
      expect(new Set(running).size).toBe(running.length);
      expect(running.at(-1)).toBe(90);
      expect(steps.filter((s: { state: string }) => ['SUCCEEDED', 'FAILED'].includes(s.state))).toHaveLength(1);
      const audit = await api.get(admin, `/api/v1/tenants/${tenantId}/audit-events?limit=200`);
      const actions = audit.body.items.filter((e: { targetId: string }) => e.targetId === body.id).map((e: { action: string }) => e.action);
      expect(actions.filter((a: string) => a === 'command.acknowledged')).toHaveLength(1);
      expect(actions.filter((a: string) => a === 'command.progress' || a === 'command.running')).toHaveLength(running.length);
    });

    it('hand-outs and updates of many gateways at once share statements, each gateway getting its own; a bad save fails alone', async () => {
      const gateways = await Promise.all(Array.from({ length: 12 }, () => gatewayOnline()));
      const ids = await Promise.all(gateways.map(async (gw) => (await queue(gw, { type: 'PING' })).body.id as string));
      const polls = await Promise.all(gateways.map((gw) => gw.pollCommands(0)));
      expect(polls.map((poll) => poll.body.commands.map((c: { commandId: string }) => c.commandId))).toEqual(ids.map((id) => [id]));
      const acks = await Promise.all(gateways.map((gw, i) => gw.updateCommand(ids[i], { state: 'ACKNOWLEDGED' })));
      expect(acks.map((a) => a.body)).toEqual(Array(12).fill({ applied: true }));
      const done = await Promise.all(gateways.map((gw, i) => gw.updateCommand(ids[i], { state: 'SUCCEEDED', result: { n: i } })));
      expect(done.map((a) => a.body)).toEqual(Array(12).fill({ applied: true }));
      for (const [i, id] of ids.entries()) {
        const saved = await command(id);
        expect(saved).toMatchObject({ state: 'SUCCEEDED', result: { n: i } });
        expect(saved.history.map((h: { state: string }) => h.state)).toEqual(['QUEUED', 'DELIVERED', 'ACKNOWLEDGED', 'SUCCEEDED']);
      }

      // Two saves in one turn of the event loop, one of them refused by Postgres (progress over 100):
      // the good one is written, the bad one's caller gets the error, and the bad row is untouched.
      const [good, bad] = await Promise.all(
        [0, 1].map(async () => {
          const gw = await gatewayOnline();
          const id = (await queue(gw, { type: 'PING' })).body.id as string;
          await gw.pollCommands(0);
          return id;
        }),
      );
      const db = t.app.get(DataSource);
      const read = async (id: string) => {
        const [row] = await db.query(`SELECT xmin::text AS version FROM commands WHERE id = $1`, [id]);
        return {
          command: Object.assign(new CommandEntity(), await db.getRepository(CommandEntity).findOneByOrFail({ id })),
          version: row.version as string,
        };
      };
      const saves = t.app.get(CommandSaves);
      const save = ({ command, version }: { command: CommandEntity; version: string }, progressPercent: number) =>
        saves.save({
          command: Object.assign(command, { state: 'RUNNING', progressPercent }),
          version,
          source: 'gateway',
          change: {
            tenantId,
            actor: { type: 'gateway', id: command.gatewayId },
            action: 'command.running',
            targetType: 'command',
            targetId: command.id,
          },
        });
      const [goodRow, badRow] = [await read(good), await read(bad)];
      const [goodSave, badSave] = await Promise.allSettled([save(goodRow, 50), save(badRow, 150)]);
      expect(goodSave).toMatchObject({ status: 'fulfilled', value: expect.stringMatching(/^\d+$/) });
      expect(badSave).toMatchObject({ status: 'rejected' });
      expect(await command(good)).toMatchObject({ state: 'RUNNING', progressPercent: 50 });
      expect((await command(bad)).state).toBe('DELIVERED');
      // A save decided on a version that is gone writes nothing.
      const stale = await read(good);
      await db.query(`UPDATE commands SET message = 'changed meanwhile' WHERE id = $1`, [good]);
      expect(await save(stale, 60)).toBeNull();
      expect(await command(good)).toMatchObject({ progressPercent: 50, message: 'changed meanwhile' });
    });
  });

  describe('deadlines and ends', () => {
    it('EXPIRED when not picked up before deliverBy', async () => {
      const gw = await gatewayOnline();
      const { body } = await queue(gw, { type: 'PING', deliverBy: new Date(Date.now() + 1_200).toISOString() });
      const expired = await waitFor(
        () => command(body.id),
        (c) => c.state === 'EXPIRED',
        10_000,
        200,
      );
      expect(expired.history.map((h: { state: string; source: string }) => `${h.state}/${h.source}`)).toEqual([
        'QUEUED/api-client',
        'EXPIRED/system',
      ]);
      expect((await gw.heartbeat()).body.commands).toEqual([]);
    });

    it('handed out again when not acknowledged, and FAILED with DELIVERY_FAILED after 3 deliveries', async () => {
      const gw = await gatewayOnline();
      const { body } = await queue(gw, { type: 'PING' });
      const seen: number[] = [];
      for (let delivery = 1; delivery <= 3; delivery++) {
        const answer = await waitFor(
          () => gw.pollCommands(0),
          (a) => a.body.commands.length > 0,
          10_000,
          200,
        );
        expect(answer.body.commands[0].commandId).toBe(body.id);
        seen.push((await command(body.id)).deliveries);
      }
      expect(seen).toEqual([1, 2, 3]);
      const failed = await waitFor(
        () => command(body.id),
        (c) => c.state === 'FAILED',
        10_000,
        200,
      );
      expect(failed).toMatchObject({ errorCode: 'DELIVERY_FAILED', deliveries: 3 });
      expect(failed.history.map((h: { state: string }) => h.state)).toEqual([
        'QUEUED',
        'DELIVERED',
        'QUEUED',
        'DELIVERED',
        'QUEUED',
        'DELIVERED',
        'FAILED',
      ]);
    });

    it('an acknowledged command is not handed out again', async () => {
      const gw = await gatewayOnline();
      const { body } = await queue(gw, { type: 'PING' });
      await gw.pollCommands(0);
      await gw.updateCommand(body.id, { state: 'ACKNOWLEDGED' });
      await sleep(2_000);
      expect((await gw.pollCommands(0)).body.commands).toEqual([]);
      expect((await command(body.id)).state).toBe('ACKNOWLEDGED');
    });

    it('TIMED_OUT when the time limit passes after acknowledgement; the gateway is told by 409', async () => {
      const gw = await gatewayOnline();
      const { body } = await queue(gw, { type: 'COLLECT_LOGS', parameters: { sinceMinutes: 5 }, timeoutSeconds: 1 });
      await gw.pollCommands(0);
      await gw.updateCommand(body.id, { state: 'RUNNING', progressPercent: 10 });
      await waitFor(
        () => command(body.id),
        (c) => c.state === 'TIMED_OUT',
        10_000,
        200,
      );
      expect((await gw.updateCommand(body.id, { state: 'SUCCEEDED' })).body.code).toBe('COMMAND_ALREADY_ENDED');
    });

    it('deadlines are members of a sorted set, not queue jobs: set at queueing, hand-out and acknowledgement, gone at the end', async () => {
      const gw = await gatewayOnline();
      const timers = t.app.get(CommandTimers);
      const redis = t.app.get<RedisClient>(REDIS);
      const { body } = await queue(gw, { type: 'COLLECT_LOGS', parameters: { sinceMinutes: 5 }, timeoutSeconds: 120 });
      const key = timers.keyOf(body.id);
      const members = async () => {
        const flat = await redis.zrange(key, 0, -1, 'WITHSCORES');
        const found: Record<string, number> = {};
        for (let i = 0; i < flat.length; i += 2)
          if (flat[i]!.startsWith(body.id)) found[flat[i]!.slice(body.id.length)] = Number(flat[i + 1]);
        return found;
      };
      expect(await members()).toEqual({ '|d': Date.parse(body.deliverBy) });
      const handedAt = Date.now();
      await gw.pollCommands(0);
      const handed = await members();
      expect(Object.keys(handed).sort()).toEqual(['|a|1', '|d']);
      // The acknowledgement window of this test's settings: 1 s.
      expect(handed['|a|1']).toBeGreaterThanOrEqual(handedAt + 1_000 - 50);
      expect(handed['|a|1']).toBeLessThan(Date.now() + 1_000 + 50);
      await gw.updateCommand(body.id, { state: 'RUNNING', progressPercent: 10 });
      const running = await members();
      expect(Object.keys(running).sort()).toEqual(['|d', '|t']);
      const [{ acknowledged_at: acknowledgedAt }] = await t.app
        .get(DataSource)
        .query(`SELECT acknowledged_at FROM commands WHERE id = $1`, [body.id]);
      expect(running['|t']).toBe((acknowledgedAt as Date).getTime() + 120_000);
      // Nothing in the commands queue but its repeatable sweeps.
      const jobs = await t.app.get(JobQueue).queue(QueueName.Commands).getJobs(['delayed', 'waiting']);
      expect(jobs.filter((job) => !['commands.deadlines', 'commands.sweep'].includes(job.name))).toEqual([]);
      await gw.updateCommand(body.id, { state: 'SUCCEEDED' });
      expect(await members()).toEqual({});
    });

    it('the deadline sweep drops deadlines that were met without touching the command, applies the others, and retakes one whose sweep died', async () => {
      const gw = await gatewayOnline();
      const timers = t.app.get(CommandTimers);
      const redis = t.app.get<RedisClient>(REDIS);
      const running = (await queue(gw, { type: 'PING' })).body.id as string;
      await gw.pollCommands(0);
      await gw.updateCommand(running, { state: 'RUNNING' });
      const waiting = (await queue(gw, { type: 'PING' })).body.id as string;
      const historyOf = async (id: string) => (await command(id)).history.length as number;
      const runningHistory = await historyOf(running);
      // Due now: the running command's pick-up deadline and a stale acknowledgement window (met), and the queued one's pick-up deadline (not met).
      const past = Date.now() - 1_000;
      await redis.zadd(timers.keyOf(running), past, `${running}|d`, past, `${running}|a|1`);
      await redis.zadd(timers.keyOf(waiting), past, `${waiting}|d`);
      // The sweep of this call, or the one the worker runs every second, whichever comes first.
      await t.app.get(CommandDeadlinesProcessor).due();
      const memberLeft = async () =>
        (await redis.zscore(timers.keyOf(running), `${running}|d`)) ??
        (await redis.zscore(timers.keyOf(running), `${running}|a|1`)) ??
        (await redis.zscore(timers.keyOf(waiting), `${waiting}|d`));
      await waitFor(memberLeft, (left) => left === null, 5_000, 100);
      expect(await command(waiting)).toMatchObject({ state: 'EXPIRED' });
      expect(await command(running)).toMatchObject({ state: 'RUNNING' });
      expect(await historyOf(running)).toBe(runningHistory);

      // A sweep that claimed a deadline and died: nobody takes it during its lease, the next sweep after it does.
      const scratch = t.app.get(RedisConnections).tagged('cmd-deadlines-test', 'due');
      await redis.zadd(scratch, past, `${running}|d`);
      const members = async (nowMs: number) => (await timers.claimDueIn(scratch, nowMs, 100, 10_000)).due.map((d) => d.member);
      const claimedAt = Date.now();
      expect(await members(claimedAt)).toEqual([`${running}|d`]);
      expect(await members(claimedAt + 5_000)).toEqual([]);
      expect(await members(claimedAt + 10_001)).toEqual([`${running}|d`]);
      await redis.del(scratch);
    });

    it('FAILED with INTERRUPTED on a new bootId, for work acknowledged or running under the old one', async () => {
      const gw = await gatewayOnline();
      const running = (await queue(gw, { type: 'RESTART_APP', parameters: { app: 'vprobe' } })).body;
      const acknowledged = (await queue(gw, { type: 'PING' })).body;
      const waiting = (await queue(gw, { type: 'PING', parameters: {} })).body;
      const handed = await gw.heartbeat();
      expect(handed.body.commands).toHaveLength(3);
      await gw.updateCommand(running.id, { state: 'RUNNING', progressPercent: 50 });
      await gw.updateCommand(acknowledged.id, { state: 'ACKNOWLEDGED' });
      gw.restart();
      await gw.heartbeat();
      expect(await command(running.id)).toMatchObject({ state: 'FAILED', errorCode: 'INTERRUPTED' });
      expect(await command(acknowledged.id)).toMatchObject({ state: 'FAILED', errorCode: 'INTERRUPTED' });
      expect((await command(waiting.id)).state).toBe('DELIVERED');
    });

    it('ABORTED when the gateway is de-registered', async () => {
      const gw = await gatewayOnline();
      const queued = (await queue(gw, { type: 'PING' })).body;
      const runningCommand = (await queue(gw, { type: 'PING' })).body;
      await gw.pollCommands(0);
      await gw.updateCommand(runningCommand.id, { state: 'RUNNING' });
      const finished = (await queue(gw, { type: 'PING' })).body;
      await gw.pollCommands(0);
      await gw.updateCommand(finished.id, { state: 'SUCCEEDED' });
      await api.post(admin, `/api/v1/tenants/${tenantId}/gateways/${gw.gatewayId}/deregister`);
      expect((await command(queued.id)).state).toBe('ABORTED');
      expect((await command(runningCommand.id)).state).toBe('ABORTED');
      expect((await command(finished.id)).state).toBe('SUCCEEDED');
    });

    it('cancelled by a user: a queued one is never handed out, a running one hears 409; an ended one cannot be cancelled', async () => {
      const gw = await gatewayOnline();
      const queued = (await queue(gw, { type: 'PING' })).body;
      const cancelled = await api.post(operator, `/api/v1/tenants/${tenantId}/commands/${queued.id}/cancel`);
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.state).toBe('CANCELLED');
      expect((await api.post(operator, `/api/v1/tenants/${tenantId}/commands/${queued.id}/cancel`)).status).toBe(200);
      expect((await gw.pollCommands(0)).body.commands).toEqual([]);

      const running = (await queue(gw, { type: 'PING' })).body;
      await gw.pollCommands(0);
      await gw.updateCommand(running.id, { state: 'RUNNING' });
      const gql = await api.graphql(operator, 'mutation($c: ID!) { cancelCommand(input: { id: $c }) { command { state } } }', {
        c: running.id,
      });
      expect(gql.body.data.cancelCommand.command.state).toBe('CANCELLED');
      // The service remembers the command as RUNNING from the gateway's last update: that must not let this one through.
      expect((await gw.updateCommand(running.id, { state: 'RUNNING', progressPercent: 90 })).body.code).toBe('COMMAND_ALREADY_ENDED');
      expect((await command(running.id)).history.map((h: { state: string }) => h.state)).toEqual([
        'QUEUED',
        'DELIVERED',
        'RUNNING',
        'CANCELLED',
      ]);

      const done = (await queue(gw, { type: 'PING' })).body;
      await gw.pollCommands(0);
      await gw.updateCommand(done.id, { state: 'SUCCEEDED' });
      const refused = await api.post(operator, `/api/v1/tenants/${tenantId}/commands/${done.id}/cancel`);
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('COMMAND_ALREADY_ENDED');
      expect((await api.post(viewer, `/api/v1/tenants/${tenantId}/commands/${done.id}/cancel`)).status).toBe(403);
    });

    it("a profile's new configuration is queued to its active gateway as APPLY_CONFIGURATION", async () => {
      const gw = await gatewayOnline();
      await api.patch(admin, `/api/v1/tenants/${tenantId}/management-profiles/${gw.profileId}`, {
        configuration: { proxy: { url: 'http://new-proxy:3128' } },
      });
      const answer = await gw.heartbeat();
      expect(answer.body.commands).toMatchObject([{ type: 'APPLY_CONFIGURATION', parameters: { version: 2 } }]);
      expect(answer.body.configuration).toEqual({ version: 2, settings: { proxy: { url: 'http://new-proxy:3128' } } });
    });
  });

  it('every command change is audited and published: commandUpdated over graphql-ws, for the tenant only', async () => {
    const gw = await gatewayOnline();
    const events: { commandId: string; state: string; updatedAt: string }[] = [];
    const client = createClient({
      url: `${t.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${viewer}` },
    });
    const connected = new Promise<void>((resolve) => client.on('connected', () => resolve()));
    client.subscribe(
      {
        query:
          'subscription($g: ID) { commandUpdated(gatewayId: $g) { commandId gatewayId tenantId bulkId type previousState state progressPercent message errorCode updatedAt } }',
        variables: { g: gw.gatewayId },
      },
      {
        next: (message) => events.push((message.data as { commandUpdated: (typeof events)[number] }).commandUpdated),
        error: () => undefined,
        complete: () => undefined,
      },
    );
    await connected;
    await sleep(200);
    const { body } = await queue(gw, { type: 'PING' });
    await gw.pollCommands(0);
    await gw.updateCommand(body.id, { state: 'SUCCEEDED' });
    await waitFor(
      async () => events.map((e) => e.state),
      (states) => states.includes('SUCCEEDED'),
      10_000,
      100,
    );
    expect(events.map((e) => e.state)).toEqual(['QUEUED', 'DELIVERED', 'SUCCEEDED']);
    // The hand-out's event and audit event are built by Postgres (deliveredChangeInserts), the others in
    // TypeScript (commandChange): they must look alike.
    const common = { commandId: body.id, gatewayId: gw.gatewayId, tenantId, bulkId: null, type: 'PING', message: null, errorCode: null };
    expect(events).toEqual([
      { ...common, previousState: null, state: 'QUEUED', progressPercent: null, updatedAt: expect.any(String) },
      { ...common, previousState: 'QUEUED', state: 'DELIVERED', progressPercent: null, updatedAt: expect.any(String) },
      { ...common, previousState: 'DELIVERED', state: 'SUCCEEDED', progressPercent: 100, updatedAt: expect.any(String) },
    ]);
    const times = events.map((e) => Date.parse(e.updatedAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times.every((time) => Math.abs(time - Date.now()) < 60_000)).toBe(true);
    await client.dispose();
    const audit = await api.get(admin, `/api/v1/tenants/${tenantId}/audit-events?limit=200`);
    const ofCommand = audit.body.items.filter((e: { targetId: string }) => e.targetId === body.id);
    expect(ofCommand.map((e: { action: string }) => e.action)).toEqual(['command.succeeded', 'command.delivered', 'command.queued']);
    const byGateway = { actorType: 'gateway', actorId: gw.gatewayId, targetType: 'command' };
    expect(ofCommand[1]).toMatchObject({
      ...byGateway,
      before: { state: 'QUEUED' },
      after: { state: 'DELIVERED', gatewayId: gw.gatewayId, type: 'PING' },
    });
    expect(ofCommand[0]).toMatchObject({
      ...byGateway,
      before: { state: 'DELIVERED' },
      after: { state: 'SUCCEEDED', gatewayId: gw.gatewayId, type: 'PING', progressPercent: 100 },
    });
    expect(Object.keys(ofCommand[1].after).sort()).toEqual(['gatewayId', 'state', 'type']);
  });

  it("another tenant's commands are 404 on every route, REST and GraphQL", async () => {
    const gw = await gatewayOnline();
    const { body } = await queue(gw, { type: 'PING' });
    const other = await api.createClientTenant(partner.token, 'Other commands client');
    const nosy = await api.clientToken(partner.token, other, ['admin']);
    for (const base of [`/api/v1/tenants/${other}`, `/api/v1/tenants/${tenantId}`]) {
      expect((await api.post(nosy, `${base}/gateways/${gw.gatewayId}/commands`, { type: 'PING' })).status).toBe(404);
      expect((await api.get(nosy, `${base}/gateways/${gw.gatewayId}/commands`)).status).toBe(404);
      expect((await api.get(nosy, `${base}/commands/${body.id}`)).status).toBe(404);
      expect((await api.post(nosy, `${base}/commands/${body.id}/cancel`)).status).toBe(404);
    }
    const gql = await api.graphql(nosy, 'query($c: ID!) { command(id: $c) { id } }', { c: body.id });
    expect(gql.body.errors[0].extensions.code).toBe('COMMAND_NOT_FOUND');
    expect((await command(body.id)).state).toBe('QUEUED');
  });
});

describe('long polls across service processes', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  /** A new partner's classic gateway, registered through the service at `url`. */
  const registeredOn = async (url: string) => {
    const api = new Api(t);
    const partner = await api.partner();
    const { gw } = await new Fleet(api, partner.tenantId, partner.token, url).gateway({ heartbeat: false });
    return { api, partner, gw };
  };

  it('a command queued through one process wakes a long poll held by another process within 1 s', async () => {
    const other = await startServiceProcess(t, { ROLE: 'api' });
    try {
      const { api, partner, gw } = await registeredOn(other.url);
      const latencies: number[] = [];
      for (let i = 0; i < 3; i++) {
        const polling = gw.pollCommands(20);
        await sleep(300);
        const queuedAt = Date.now();
        const queued = await api.post(partner.token, `/api/v1/tenants/${partner.tenantId}/gateways/${gw.gatewayId}/commands`, {
          type: 'PING',
        });
        const answer = await polling;
        latencies.push(Date.now() - queuedAt);
        expect(answer.body.commands.map((c) => c.commandId)).toEqual([queued.body.id]);
      }
      expect(Math.max(...latencies)).toBeLessThan(1_000);
    } finally {
      await other.stop();
    }
  });

  it("a command's updates may reach different processes: what one process remembers of it never lets a stale change through", async () => {
    const other = await startServiceProcess(t, { ROLE: 'api' });
    try {
      const { api, partner, gw: here } = await registeredOn(t.url);
      // The same gateway manager behind a load balancer: its requests land on either process.
      const there = Object.assign(healthySession(other.url, 'CLASSIC'), { gatewayId: here.gatewayId, accessToken: here.accessToken });
      const queued = await api.post(partner.token, `/api/v1/tenants/${partner.tenantId}/gateways/${here.gatewayId}/commands`, {
        type: 'PING',
      });
      const id = queued.body.id as string;
      // This process hands it out and remembers it DELIVERED; the other one moves it on.
      expect((await here.pollCommands(0)).body.commands.map((c) => c.commandId)).toEqual([id]);
      expect((await there.updateCommand(id, { state: 'ACKNOWLEDGED' })).body).toEqual({ applied: true });
      expect((await there.updateCommand(id, { state: 'RUNNING', progressPercent: 60 })).body).toEqual({ applied: true });
      // Decided here on the remembered DELIVERED, this would be news; on the row it is behind.
      expect((await here.updateCommand(id, { state: 'RUNNING', progressPercent: 40 })).body).toEqual({ applied: false });
      expect((await here.updateCommand(id, { state: 'RUNNING', progressPercent: 80 })).body).toEqual({ applied: true });
      const cancelled = await api.post(partner.token, `/api/v1/tenants/${partner.tenantId}/commands/${id}/cancel`);
      expect(cancelled.body.state).toBe('CANCELLED');
      expect((await here.updateCommand(id, { state: 'SUCCEEDED' })).body.code).toBe('COMMAND_ALREADY_ENDED');
      const done = (await api.get(partner.token, `/api/v1/tenants/${partner.tenantId}/commands/${id}`)).body;
      expect(
        done.history.map(
          (h: { state: string; progressPercent: number | null }) =>
            `${h.state}${h.progressPercent !== null ? `:${h.progressPercent}` : ''}`,
        ),
      ).toEqual(['QUEUED', 'DELIVERED', 'ACKNOWLEDGED', 'RUNNING:60', 'RUNNING:80', 'CANCELLED:80']);
    } finally {
      await other.stop();
    }
  });

  it('long polls end cleanly when the service shuts down', async () => {
    const other = await startServiceProcess(t, { ROLE: 'api' });
    const { gw } = await registeredOn(other.url);
    const polling = gw.pollCommands(25);
    await sleep(500);
    const stoppedAt = Date.now();
    const stopping = other.stop();
    const answer = await polling;
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ commands: [] });
    expect(Date.now() - stoppedAt).toBeLessThan(5_000);
    await stopping;
    expect(other.process.exitCode).toBe(0);
  });
});
