import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from './support/api.js';
import { Fleet } from './support/fleet.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';

describe('labels and label selectors', () => {
  let t: TestApp;
  let api: Api;
  let tenantId: string;
  let admin: string;
  let fleet: Fleet;
  const ids: Record<string, { profileId: string; gatewayId: string }> = {};

  const profiles = (token: string, query: string) =>
    api.get(token, `/api/v1/tenants/${tenantId}/management-profiles?limit=200&labelSelector=${encodeURIComponent(query)}`);
  const names = (body: { items: { id: string }[] }) =>
    body.items
      .map((item) => Object.entries(ids).find(([, v]) => v.profileId === item.id || v.gatewayId === item.id)?.[0])
      .filter(Boolean)
      .sort();

  beforeAll(async () => {
    t = await startTestApp();
    api = new Api(t);
    const partner = await api.partner();
    tenantId = await api.createClientTenant(partner.token, 'Labelled client');
    admin = await api.clientToken(partner.token, tenantId, ['admin']);
    fleet = new Fleet(api, tenantId, admin, t.url);
    const make = async (name: string, labels: Record<string, string>, heartbeat: boolean) => {
      const { gw, profileId } = await fleet.gateway({ profile: { labels }, heartbeat });
      ids[name] = { profileId, gatewayId: gw.gatewayId! };
    };
    await make('paris-prod', { site: 'paris', env: 'prod' }, true);
    await make('paris-lab', { site: 'paris', env: 'lab' }, true);
    await make('paris-offline', { site: 'paris' }, false); // REGISTERED, never CONNECTED
    await make('berlin', { site: 'berlin', 'example.com/tier': 'gold' }, true);
  });
  afterAll(() => t?.close());

  it('profiles carry labels; invalid keys or values are 400 naming the label', async () => {
    const shown = await api.get(admin, `/api/v1/tenants/${tenantId}/management-profiles/${ids['berlin']!.profileId}`);
    expect(shown.body.labels).toEqual({ site: 'berlin', 'example.com/tier': 'gold' });
    for (const labels of [{ '-bad': 'x' }, { site: 'two words' }, { site: 5 }, { ['x'.repeat(64)]: 'y' }, ['site']]) {
      const refused = await api.post(admin, `/api/v1/tenants/${tenantId}/management-profiles`, { name: `bad-${Math.random()}`, labels });
      expect(refused.status, JSON.stringify(labels)).toBe(400);
      expect(refused.body.code).toBe('INVALID_REQUEST');
      expect(refused.body.errors[0].field).toBe('labels');
    }
    const patched = await api.patch(admin, `/api/v1/tenants/${tenantId}/management-profiles/${ids['berlin']!.profileId}`, {
      labels: { site: 'berlin', env: 'prod', 'example.com/tier': 'gold' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.labels).toEqual({ site: 'berlin', env: 'prod', 'example.com/tier': 'gold' });
    expect((await api.auditActions(admin, tenantId))[0]).toBe('profile.updated');
  });

  it('REST lists of profiles and gateways filter by label selector', async () => {
    expect(names((await profiles(admin, 'site=paris,env!=lab')).body)).toEqual(['paris-offline', 'paris-prod']);
    expect(names((await profiles(admin, 'site in (paris,berlin),env')).body)).toEqual(['berlin', 'paris-lab', 'paris-prod']);
    expect(names((await profiles(admin, '!env')).body)).toEqual(['paris-offline']);
    expect(names((await profiles(admin, 'example.com/tier=gold')).body)).toEqual(['berlin']);
    const gateways = await api.get(
      admin,
      `/api/v1/tenants/${tenantId}/gateways?labelSelector=${encodeURIComponent('site=paris,env notin (lab)')}`,
    );
    expect(gateways.status).toBe(200);
    expect(names(gateways.body)).toEqual(['paris-offline', 'paris-prod']);
  });

  it('a malformed selector is 400 naming labelSelector', async () => {
    for (const bad of ['site=paris,,env=lab', 'site in (paris', 'a=b=c', '-x=y']) {
      const refused = await profiles(admin, bad);
      expect(refused.status, bad).toBe(400);
      expect(refused.body.errors[0].field).toBe('labelSelector');
    }
  });

  it('GraphQL filters profiles and gateways by label selector and shows labels', async () => {
    const response = await api.graphql(
      admin,
      `query($sel: String) { profiles(labelSelector: $sel, first: 50) { nodes { id labels } } gateways(labelSelector: $sel, first: 50) { nodes { id } } }`,
      { sel: 'site=paris,env!=lab' },
    );
    expect(response.body.errors).toBeUndefined();
    expect(names({ items: response.body.data.profiles.nodes })).toEqual(['paris-offline', 'paris-prod']);
    expect(names({ items: response.body.data.gateways.nodes })).toEqual(['paris-offline', 'paris-prod']);
    const prod = response.body.data.profiles.nodes.find((n: { id: string }) => n.id === ids['paris-prod']!.profileId);
    expect(prod.labels).toEqual({ site: 'paris', env: 'prod' });
  });

  it('a bulk command targets a selector evaluated when it starts; skipOffline leaves out gateways not CONNECTED, counted as SKIPPED', async () => {
    const created = await api.post(admin, `/api/v1/tenants/${tenantId}/bulk-commands`, {
      type: 'PING',
      targets: { selector: { labelSelector: 'site=paris' } },
      skipOffline: true,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.targets).toBe(3);
    const counts = Object.fromEntries(created.body.counts.map((c: { key: string; count: number }) => [c.key, c.count]));
    expect(counts).toMatchObject({ SKIPPED: 1 });
    expect((counts.QUEUED ?? 0) + (counts.PENDING ?? 0)).toBe(2);
    // A profile labelled paris later is not a target: the selector was read when the bulk started.
    await fleet.gateway({ profile: { labels: { site: 'paris' } } });
    const later = await api.get(admin, `/api/v1/tenants/${tenantId}/bulk-commands/${created.body.id}`);
    expect(later.body.targets).toBe(3);

    // Selector filters combine: health and type and status.
    const byStatus = await api.post(admin, `/api/v1/tenants/${tenantId}/bulk-commands`, {
      type: 'PING',
      targets: { selector: { labelSelector: 'site=paris', status: ['REGISTERED'], gatewayType: 'CLASSIC', health: ['HEALTHY'] } },
    });
    expect(byStatus.status, JSON.stringify(byStatus.body)).toBe(201);
    expect(byStatus.body.targets).toBe(1);

    const none = await api.post(admin, `/api/v1/tenants/${tenantId}/bulk-commands`, {
      type: 'PING',
      targets: { selector: { labelSelector: 'site=tokyo' } },
    });
    expect(none.status).toBe(400);
    expect(none.body.errors[0].field).toBe('targets');
    const bad = await api.post(admin, `/api/v1/tenants/${tenantId}/bulk-commands`, {
      type: 'PING',
      targets: { selector: { labelSelector: 'site in (' } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('targets.selector.labelSelector');
  });

  it('a bulk command whose targets are all offline and skipped completes at once', async () => {
    const created = await api.post(admin, `/api/v1/tenants/${tenantId}/bulk-commands`, {
      type: 'PING',
      targets: { gatewayIds: [ids['paris-offline']!.gatewayId] },
      skipOffline: true,
    });
    expect(created.status).toBe(201);
    const done = await waitFor(
      () => api.get(admin, `/api/v1/tenants/${tenantId}/bulk-commands/${created.body.id}`),
      (r) => r.body.state === 'COMPLETED',
    );
    expect(done.body.counts).toEqual([{ key: 'SKIPPED', count: 1 }]);
  });
});
