import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewaySession } from '@gateway-control-plane/agent';
import { RetentionService } from '../src/data-lifecycle/retention.service.js';
import { RetentionStore } from '../src/data-lifecycle/retention.store.js';
import { Api } from './support/api.js';
import { Fleet } from './support/fleet.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const DAY = 86_400_000;
const monthName = (table: string, at: Date) => `${table}_p${at.getUTCFullYear()}${String(at.getUTCMonth() + 1).padStart(2, '0')}`;

describe('data lifecycle', () => {
  let t: TestApp;
  let api: Api;
  let db: DataSource;
  let partner: { token: string; tenantId: string };
  let clientId: string;
  let clientAdmin: string;

  beforeAll(async () => {
    // Batches of two rows: every kind below takes several batches.
    t = await startTestApp({ env: { RETENTION_BATCH_SIZE: '2', RETENTION_BATCH_PAUSE_MS: '0', RETENTION_AUDIT_MAX_DAYS: '600' } });
    api = new Api(t);
    db = t.app.get(DataSource);
    partner = await api.partner();
    clientId = await api.createClientTenant(partner.token, 'Lifecycle client');
    clientAdmin = await api.clientToken(partner.token, clientId, ['admin']);
  });
  afterAll(() => t?.close());

  describe('audit export', () => {
    const T0 = new Date('2026-03-10T00:00:00.000Z');
    const T1 = new Date('2026-03-20T00:00:00.000Z');
    let otherClientId: string;

    beforeAll(async () => {
      otherClientId = await api.createClientTenant(partner.token, 'Other client');
      await t.app.get(RetentionStore).ensurePartitions('audit_events', 'created_at', T0, T1);
      // 1,500 events at one and the same microsecond (the cursor must still not skip or repeat one),
      // 1,100 spread over the range, one exactly at `to` (excluded), one just before `from` (excluded),
      // and another tenant's events in the same range.
      await db.query(
        `INSERT INTO audit_events (tenant_id, actor_type, action, target_type, after, created_at)
         SELECT $1::uuid, 'system', 'test.same_time', 'tenant', jsonb_build_object('n', n), $2::timestamptz + interval '1 hour' FROM generate_series(1, 1500) n
         UNION ALL
         SELECT $1::uuid, 'system', 'test.spread', 'tenant', jsonb_build_object('n', n), $2::timestamptz + (n || ' minutes')::interval FROM generate_series(0, 1099) n
         UNION ALL
         SELECT $1::uuid, 'system', 'test.at_to', 'tenant', NULL, $3::timestamptz
         UNION ALL
         SELECT $1::uuid, 'system', 'test.before_from', 'tenant', NULL, $2::timestamptz - interval '1 microsecond'
         UNION ALL
         SELECT $4::uuid, 'system', 'test.other', 'tenant', NULL, $2::timestamptz + (n || ' minutes')::interval FROM generate_series(1, 50) n`,
        [clientId, T0, T1, otherClientId],
      );
    });

    const exportOf = (token: string, tenantId: string, query: string) =>
      api
        .get(token, `/api/v1/tenants/${tenantId}/audit-events/export?${query}`)
        .buffer(true)
        .parse((res, done) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => done(null, text));
        });

    it('streams every event of the tenant in [from, to) as NDJSON, oldest first, each once, across batches', async () => {
      const response = await exportOf(clientAdmin, clientId, `from=${T0.toISOString()}&to=${T1.toISOString()}`);
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^application\/x-ndjson/);
      const text = response.body as string;
      expect(text.endsWith('\n')).toBe(true);
      const events = text
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(events).toHaveLength(2600);
      expect(new Set(events.map((e) => e.id)).size).toBe(2600);
      expect(events.every((e) => e.tenantId === clientId)).toBe(true);
      expect(events.filter((e) => e.action === 'test.same_time')).toHaveLength(1500);
      expect(events.some((e) => ['test.at_to', 'test.before_from', 'test.other'].includes(e.action))).toBe(false);
      const times = events.map((e) => Date.parse(e.createdAt));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(events[0]).toMatchObject({ action: 'test.spread', actorType: 'system', targetType: 'tenant', after: { n: 0 } });
    });

    it('a range with nothing in it is an empty 200', async () => {
      const response = await exportOf(clientAdmin, clientId, `from=2020-01-01T00:00:00Z&to=2020-02-01T00:00:00Z`);
      expect(response.status).toBe(200);
      expect(response.body).toBe('');
    });

    it('bad ranges are 400 with the field named; another tenant is 404', async () => {
      const missing = await api.get(clientAdmin, `/api/v1/tenants/${clientId}/audit-events/export?from=2026-03-10T00:00:00Z`);
      expect(missing.status).toBe(400);
      expect(missing.body.code).toBe('INVALID_REQUEST');
      expect(JSON.stringify(missing.body.errors)).toContain('to');
      const notADate = await api.get(clientAdmin, `/api/v1/tenants/${clientId}/audit-events/export?from=yesterday&to=2026-03-10T00:00:00Z`);
      expect(notADate.status).toBe(400);
      const yearZero = await api.get(
        clientAdmin,
        `/api/v1/tenants/${clientId}/audit-events/export?from=0000-01-01T00:00:00Z&to=2026-03-10T00:00:00Z`,
      );
      expect(yearZero.status).toBe(400);
      expect(yearZero.body.errors[0].field).toBe('from');
      const backwards = await api.get(
        clientAdmin,
        `/api/v1/tenants/${clientId}/audit-events/export?from=${T1.toISOString()}&to=${T0.toISOString()}`,
      );
      expect(backwards.status).toBe(400);
      expect(backwards.body.errors[0].field).toBe('from');
      const foreign = await api.get(
        clientAdmin,
        `/api/v1/tenants/${otherClientId}/audit-events/export?from=${T0.toISOString()}&to=${T1.toISOString()}`,
      );
      expect(foreign.status).toBe(404);
    });
  });

  describe("a partner sets its clients' audit retention", () => {
    it('within the default and the maximum; a client cannot set its own; null returns to the default', async () => {
      const set = await api.patch(partner.token, `/api/v1/tenants/${clientId}`, { auditRetentionDays: 500 });
      expect(set.status).toBe(200);
      expect(set.body.auditRetentionDays).toBe(500);
      const byClient = await api.patch(clientAdmin, `/api/v1/tenants/${clientId}`, { auditRetentionDays: 450 });
      expect(byClient.status).toBe(403);
      expect(byClient.body.code).toBe('ONLY_PARENT_MAY_CHANGE');
      const shorter = await api.patch(partner.token, `/api/v1/tenants/${clientId}`, { auditRetentionDays: 399 });
      expect(shorter.status).toBe(400);
      expect(shorter.body.errors[0].field).toBe('auditRetentionDays');
      expect((await api.patch(partner.token, `/api/v1/tenants/${clientId}`, { auditRetentionDays: 601 })).status).toBe(400);
      expect((await api.patch(partner.token, `/api/v1/tenants/${clientId}`, { auditRetentionDays: 'long' })).status).toBe(400);
      expect((await api.get(clientAdmin, `/api/v1/tenants/${clientId}`)).body.auditRetentionDays).toBe(500);
      const reset = await api.patch(partner.token, `/api/v1/tenants/${clientId}`, { auditRetentionDays: null });
      expect(reset.status).toBe(200);
      expect(reset.body.auditRetentionDays).toBeNull();
      const actions = await api.auditActions(partner.token, clientId);
      expect(actions.filter((a) => a === 'tenant.updated')).toHaveLength(2);
    });

    it('through GraphQL too: updateTenant takes auditRetentionDays, a value out of range is INVALID_REQUEST and changes nothing', async () => {
      const mutation = `mutation($id: ID!, $days: Int) { updateTenant(input: { id: $id, auditRetentionDays: $days }) { tenant { id auditRetentionDays } } }`;
      const set = await api.graphql(partner.token, mutation, { id: clientId, days: 450 });
      expect(set.body.errors).toBeUndefined();
      expect(set.body.data.updateTenant.tenant.auditRetentionDays).toBe(450);
      const tooLong = await api.graphql(partner.token, mutation, { id: clientId, days: 601 });
      expect(tooLong.body.errors?.[0]?.extensions?.code).toBe('INVALID_REQUEST');
      expect((await api.get(partner.token, `/api/v1/tenants/${clientId}`)).body.auditRetentionDays).toBe(450);
      const byClient = await api.graphql(clientAdmin, mutation, { id: clientId, days: 500 });
      expect(byClient.body.errors?.[0]?.extensions?.code).toBe('ONLY_PARENT_MAY_CHANGE');
      expect(
        (await api.graphql(partner.token, mutation, { id: clientId, days: null })).body.data.updateTenant.tenant.auditRetentionDays,
      ).toBeNull();
    });
  });

  describe('retention', () => {
    let tenantId: string;
    let admin: string;
    let fleet: Fleet;

    beforeAll(async () => {
      tenantId = await api.createClientTenant(partner.token, 'Retention client');
      admin = await api.clientToken(partner.token, tenantId, ['admin']);
      fleet = new Fleet(api, tenantId, admin, t.url);
    });

    const gatewayOnline = async () => {
      const { gw, tokenId } = await fleet.gateway();
      return { gw, tokenId };
    };
    const finishedCommand = async (gw: GatewaySession) => {
      const queued = await api.post(admin, `/api/v1/tenants/${tenantId}/gateways/${gw.gatewayId}/commands`, { type: 'PING' });
      expect(queued.status).toBe(201);
      const polled = await gw.pollCommands(0);
      expect(polled.body.commands.map((c) => c.commandId)).toContain(queued.body.id);
      expect((await gw.updateCommand(queued.body.id, { state: 'SUCCEEDED' })).status).toBe(200);
      return queued.body.id as string;
    };
    const exists = async (table: string, id: string) => (await db.query(`SELECT 1 FROM ${table} WHERE id = $1`, [id])).length === 1;
    const historyOf = async (commandId: string) =>
      Number((await db.query(`SELECT count(*) AS n FROM command_history WHERE command_id = $1`, [commandId]))[0].n);

    it('deletes ended commands with their history, de-registered gateways with their nodes, spent tokens and finished migrations past their retention, and keeps the rest', async () => {
      const { gw: live } = await gatewayOnline();
      const oldCommands = [];
      for (let i = 0; i < 5; i++) oldCommands.push(await finishedCommand(live));
      const recentCommand = await finishedCommand(live);
      const openCommand = (await api.post(admin, `/api/v1/tenants/${tenantId}/gateways/${live.gatewayId}/commands`, { type: 'PING' })).body
        .id as string;
      expect(await historyOf(oldCommands[0])).toBeGreaterThan(0);

      // A gateway that left 100 days ago, with a command of its own that ended then.
      const { gw: gone, tokenId: goneTokenId } = await gatewayOnline();
      const goneCommand = await finishedCommand(gone);
      expect((await gone.deregister()).status).toBe(200);
      // A gateway that left yesterday.
      const { gw: recentlyGone } = await gatewayOnline();
      expect((await recentlyGone.deregister()).status).toBe(200);

      // Time passes: the old ones ended (or left) 100 days ago.
      await db.query(`UPDATE commands SET ended_at = now() - interval '100 days' WHERE id = ANY($1)`, [[...oldCommands, goneCommand]]);
      await db.query(`UPDATE gateways SET deregistered_at = now() - interval '100 days' WHERE id = $1`, [gone.gatewayId]);
      await db.query(`UPDATE activation_tokens SET used_at = now() - interval '101 days' WHERE id = $1`, [goneTokenId]);
      // An activation token that expired unused 40 days ago, and one minted yesterday.
      const { profileId } = await api.profileWithToken(admin, tenantId, 'tokens');
      const expired = await api.mintToken(admin, tenantId, profileId);
      await db.query(
        `UPDATE activation_tokens SET created_at = now() - interval '41 days', expires_at = now() - interval '40 days' WHERE id = $1`,
        [expired.tokenId],
      );
      const fresh = await api.mintToken(admin, tenantId, profileId);
      // Finished migrations, one 500 days ago and one yesterday.
      const [oldMigration, newMigration] = await db.query(
        `INSERT INTO gateway_migrations (tenant_id, profile_id, direction, target_type, state, deadline, created_by, created_at, ended_at)
         VALUES ($1, $2, 'CLASSIC_TO_CLUSTER', 'CLUSTER', 'FAILED', now(), 'test', now() - interval '501 days', now() - interval '500 days'),
                ($1, $2, 'CLASSIC_TO_CLUSTER', 'CLUSTER', 'FAILED', now(), 'test', now() - interval '2 days', now() - interval '1 day')
         RETURNING id`,
        [tenantId, profileId],
      );

      const run = await t.app.get(RetentionService).run();
      expect(run.deleted.commands).toBeGreaterThanOrEqual(6);
      expect(run.longestBatchMs).toBeLessThan(2_000);

      for (const id of [...oldCommands, goneCommand]) {
        expect(await exists('commands', id)).toBe(false);
        expect(await historyOf(id)).toBe(0);
      }
      expect(await exists('commands', recentCommand)).toBe(true);
      expect(await historyOf(recentCommand)).toBeGreaterThan(0);
      expect(await exists('commands', openCommand)).toBe(true);

      expect(await exists('gateways', gone.gatewayId!)).toBe(false);
      expect((await db.query(`SELECT 1 FROM gateway_nodes WHERE gateway_id = $1`, [gone.gatewayId])).length).toBe(0);
      expect(await exists('gateways', recentlyGone.gatewayId!)).toBe(true);
      expect(await exists('gateways', live.gatewayId!)).toBe(true);

      // The gone gateway's token went after the gateway did; a live gateway's token stays.
      expect(await exists('activation_tokens', goneTokenId)).toBe(false);
      expect(await exists('activation_tokens', expired.tokenId)).toBe(false);
      expect(await exists('activation_tokens', fresh.tokenId)).toBe(true);
      const liveToken = (await db.query(`SELECT registration_token_id AS id FROM gateways WHERE id = $1`, [live.gatewayId]))[0].id;
      expect(await exists('activation_tokens', liveToken)).toBe(true);

      expect(await exists('gateway_migrations', oldMigration.id)).toBe(false);
      expect(await exists('gateway_migrations', newMigration.id)).toBe(true);

      // The kept gateway still works end to end.
      expect((await live.heartbeat()).status).toBe(200);

      // A second run has nothing left to do.
      const again = await t.app.get(RetentionService).run();
      expect(Object.values(again.deleted).every((n) => n === 0)).toBe(true);
    });

    it("drops whole audit months older than the longest tenant's retention, keeps months ahead ready, and drops old command history months", async () => {
      const store = t.app.get(RetentionStore);
      const now = new Date();
      const pastDefault = new Date(now.getTime() - 440 * DAY); // its month ends before now - 400 days
      const withinDefault = new Date(now.getTime() - 380 * DAY);
      await store.ensurePartitions('audit_events', 'created_at', pastDefault, withinDefault);
      await db.query(
        `INSERT INTO audit_events (tenant_id, actor_type, action, target_type, created_at) VALUES ($1, 'system', 'test.old', 'tenant', $2), ($1, 'system', 'test.kept', 'tenant', $3)`,
        [tenantId, pastDefault, withinDefault],
      );
      const oldMonth = monthName('audit_events', pastDefault);
      const keptMonth = monthName('audit_events', withinDefault);

      // A client of the partner keeps its audit events 500 days: the old month stays.
      expect((await api.patch(partner.token, `/api/v1/tenants/${clientId}`, { auditRetentionDays: 500 })).status).toBe(200);
      let run = await t.app.get(RetentionService).run();
      expect(run.droppedPartitions).not.toContain(oldMonth);
      expect(await store.partitions('audit_events')).toContain(oldMonth);

      // Back to the default: the month goes, with its rows, and the later month stays.
      expect((await api.patch(partner.token, `/api/v1/tenants/${clientId}`, { auditRetentionDays: null })).status).toBe(200);
      run = await t.app.get(RetentionService).run();
      expect(run.droppedPartitions).toContain(oldMonth);
      const partitions = await store.partitions('audit_events');
      expect(partitions).not.toContain(oldMonth);
      expect(partitions).toContain(keptMonth);
      const actions = (await db.query(`SELECT action FROM audit_events WHERE tenant_id = $1 AND action LIKE 'test.%'`, [tenantId])).map(
        (r: { action: string }) => r.action,
      );
      expect(actions).toEqual(['test.kept']);

      // Three months ahead are ready, for both tables.
      const ahead = new Date(now);
      ahead.setUTCMonth(ahead.getUTCMonth() + 3, 1);
      expect(partitions).toContain(monthName('audit_events', ahead));
      expect(await store.partitions('command_history')).toContain(monthName('command_history', ahead));

      // Command history goes by month too, 90 days after it was written.
      const { gw } = await gatewayOnline();
      const commandId = await finishedCommand(gw);
      const longAgo = new Date(now.getTime() - 200 * DAY);
      await store.ensurePartitions('command_history', 'at', longAgo, longAgo);
      await db.query(`INSERT INTO command_history (tenant_id, command_id, at, source, state) VALUES ($1, $2, $3, 'system', 'QUEUED')`, [
        tenantId,
        commandId,
        longAgo,
      ]);
      const before = await historyOf(commandId);
      run = await t.app.get(RetentionService).run();
      expect(run.droppedPartitions).toContain(monthName('command_history', longAgo));
      expect(await historyOf(commandId)).toBe(before - 1);
      expect(await exists('commands', commandId)).toBe(true);
    });

    it('the audit log stays append-only: the retention job never deletes a row of it', async () => {
      await expect(db.query(`DELETE FROM audit_events WHERE tenant_id = $1`, [tenantId])).rejects.toThrow(/append-only/);
    });
  });
});
