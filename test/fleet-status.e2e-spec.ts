import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandsStore } from '../src/commands/commands.store.js';
import { FleetMetrics } from '../src/gateways/fleet-metrics.js';
import { GatewaysStore } from '../src/gateways/gateways.store.js';
import { Api } from './support/api.js';
import { Fleet } from './support/fleet.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * The fleet status comes from counts that statement triggers maintain (migration 1796180000000),
 * not from counting rows per request: these tests hold the counts to a fresh count of the rows
 * after every kind of change, before and after the fold job moves the changes into the counts.
 */
describe('fleet status from maintained counts', () => {
  let t: TestApp;
  let api: Api;
  let partner: { token: string; tenantId: string };

  beforeAll(async () => {
    t = await startTestApp();
    api = new Api(t);
    partner = await api.partner();
  });
  afterAll(() => t?.close());

  const sorted = (rows: { key: string; count: number }[]) => [...rows].sort((a, b) => a.key.localeCompare(b.key));

  /** The status as the API answers it, and as counting the rows gives it. */
  const bothWays = async (admin: string, tenantId: string) => {
    const answered = await api.get(admin, `/api/v1/tenants/${tenantId}/status`);
    expect(answered.status).toBe(200);
    const gateways = t.app.get(GatewaysStore);
    const [byStatus, byHealth, commands, profiles] = await Promise.all([
      gateways.countByStatus(tenantId),
      gateways.countByHealth(tenantId),
      t.app.get(CommandsStore).countByState(tenantId),
      t.app.get(DataSource).query(
        `SELECT count(*)::int AS total, count(*) FILTER (WHERE NOT EXISTS (
           SELECT 1 FROM gateways g WHERE g.profile_id = p.id AND g.status <> 'DEREGISTERED'))::int AS not_registered
         FROM management_profiles p WHERE p.tenant_id = $1 AND p.deleted_at IS NULL`,
        [tenantId],
      ),
    ]);
    const counted = {
      gateways: byStatus.reduce((sum, row) => sum + row.count, 0),
      gatewaysByStatus: sorted(byStatus),
      gatewaysByHealth: sorted(byHealth),
      profiles: profiles[0].total,
      profilesNotRegistered: profiles[0].not_registered,
      commandsByState: sorted(commands),
    };
    const body = answered.body;
    return {
      answered: {
        gateways: body.gateways,
        gatewaysByStatus: sorted(body.gatewaysByStatus),
        gatewaysByHealth: sorted(body.gatewaysByHealth),
        profiles: body.profiles,
        profilesNotRegistered: body.profilesNotRegistered,
        commandsByState: sorted(body.commandsByState),
      },
      counted,
    };
  };

  const expectExact = async (admin: string, tenantId: string) => {
    const unfolded = await bothWays(admin, tenantId);
    expect(unfolded.answered).toEqual(unfolded.counted);
    await t.app.get(FleetMetrics).foldCounts();
    const folded = await bothWays(admin, tenantId);
    expect(folded.answered).toEqual(folded.counted);
    return folded.answered;
  };

  it('matches a count of the rows through registrations, heartbeats, commands, de-registration and profile deletion; other tenants are apart', async () => {
    const tenantId = await api.createClientTenant(partner.token, 'Counted fleet', { gatewayClustering: true });
    const admin = await api.clientToken(partner.token, tenantId, ['admin']);
    const fleet = new Fleet(api, tenantId, admin, t.url);
    const other = await api.createClientTenant(partner.token, 'Other fleet', { gatewayClustering: true });
    const otherAdmin = await api.clientToken(partner.token, other, ['admin']);
    const otherFleet = new Fleet(api, other, otherAdmin, t.url);

    expect(await expectExact(admin, tenantId)).toMatchObject({ gateways: 0, profiles: 0, profilesNotRegistered: 0, commandsByState: [] });
    const registered = [
      await fleet.gateway({ type: 'CLUSTER', heartbeat: false }),
      await fleet.gateway({ type: 'CLASSIC' }),
      await fleet.gateway({ type: 'CLUSTER' }),
    ];
    await fleet.profile();
    const empty = await fleet.profile();
    await otherFleet.gateway({ type: 'CLASSIC' });
    expect(await expectExact(admin, tenantId)).toMatchObject({
      gateways: 3,
      gatewaysByStatus: [
        { key: 'CONNECTED', count: 2 },
        { key: 'REGISTERED', count: 1 },
      ],
      profiles: 5,
      profilesNotRegistered: 2,
    });

    for (const { gw } of registered) {
      for (let i = 0; i < 2; i++) {
        const queued = await api.post(admin, `/api/v1/tenants/${tenantId}/gateways/${gw.gatewayId!}/commands`, { type: 'PING' });
        expect(queued.status).toBe(201);
      }
    }
    const bulk = await api.post(admin, `/api/v1/tenants/${tenantId}/bulk-commands`, {
      type: 'PING',
      targets: { gatewayIds: registered.map(({ gw }) => gw.gatewayId!) },
    });
    expect(bulk.status).toBeLessThan(300);
    await registered[0].gw.heartbeat();
    const deregistered = await api.post(admin, `/api/v1/tenants/${tenantId}/gateways/${registered[1].gw.gatewayId!}/deregister`, {});
    expect(deregistered.status).toBe(200);
    const deleted = await api.delete(admin, `/api/v1/tenants/${tenantId}/management-profiles/${empty.profileId}`);
    expect(deleted.status).toBe(204);

    const status = await expectExact(admin, tenantId);
    expect(status).toMatchObject({ gateways: 2, profiles: 4, profilesNotRegistered: 2 });
    expect(status.commandsByState.reduce((sum: number, row: { count: number }) => sum + row.count, 0)).toBeGreaterThanOrEqual(6);
    expect(await expectExact(otherAdmin, other)).toMatchObject({ gateways: 1, profiles: 1, profilesNotRegistered: 0, commandsByState: [] });
  });
});
