import createClient, { type Client } from 'openapi-fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { components, paths } from '@gateway-control-plane/sdk';
import { startTestApp, type TestApp } from './support/test-app.js';
import { TEST_ENV } from './support/test-env.js';
import { waitFor } from './support/wait.js';

type Schemas = components['schemas'];

/** The data of a successful call, or a failure that names the status and the error body. */
function ok<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data === undefined) throw new Error(`${result.response.status}: ${JSON.stringify(result.error)}`);
  return result.data;
}

/**
 * A partner's script and a gateway written against openapi/openapi.yaml alone: every call goes
 * through a plain openapi-fetch client typed by what openapi-typescript makes of the committed
 * document (the SDK's generated types, sdk/src/generated/openapi.ts, checked against the document
 * by test/sdk.e2e-spec.ts), with no casts, so the document is what a partner's generator sees, and
 * this file fails to compile when the document stops describing the flow.
 */
describe('a client generated from openapi/openapi.yaml runs the whole partner flow', () => {
  let t: TestApp;
  const bearer = (token: string): Client<paths> => createClient<paths>({ baseUrl: t.url, headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  it('token → client tenant → profile → activation token → a gateway registers → a command → SUCCEEDED → fleet status', async () => {
    const anonymous = createClient<paths>({ baseUrl: t.url });
    const issued = ok(
      await anonymous.POST('/api/v1/oauth/token', {
        body: {
          grant_type: 'client_credentials',
          client_id: TEST_ENV.BOOTSTRAP_CLIENT_ID,
          client_secret: TEST_ENV.BOOTSTRAP_CLIENT_SECRET,
        },
      }),
    );
    expect(issued.token_type).toBe('Bearer');
    const partner = bearer(issued.access_token);

    const tenant: Schemas['Tenant'] = ok(
      await partner.POST('/api/v1/tenants', { body: { name: 'Typed client', features: { gatewayClustering: false } } }),
    );
    expect(tenant.kind).toBe('CLIENT');

    const profile = ok(
      await partner.POST('/api/v1/tenants/{tenantId}/management-profiles', {
        params: { path: { tenantId: tenant.id } },
        body: { name: 'typed-dc1', configuration: { proxy: { url: 'http://proxy.example:3128' } } },
      }),
    );
    const minted = ok(
      await partner.POST('/api/v1/tenants/{tenantId}/management-profiles/{profileId}/activation-tokens', {
        params: { path: { tenantId: tenant.id, profileId: profile.id } },
        body: { ttlSeconds: 3600 },
      }),
    );

    const registerRequest: Schemas['RegisterRequest'] = {
      activationToken: minted.token,
      gatewayType: 'CLASSIC',
      instanceId: 'typed-instance-1',
      name: 'typed-gateway',
      softwareVersion: '0.9.6',
      nodes: [
        {
          hostname: 'gw-1',
          ipAddress: '10.0.0.5',
          cpuCores: 4,
          memoryMb: 8192,
          diskGb: 40,
          ready: true,
          apps: [{ name: 'vprobe', status: 'RUNNING', restarts: 0 }],
        },
      ],
    };
    const registered = await anonymous.POST('/gateway/v1/register', { body: registerRequest });
    expect(registered.response.status).toBe(201);
    const gatewayAuth = ok(registered);
    expect(gatewayAuth.configuration.settings).toEqual({ proxy: { url: 'http://proxy.example:3128' } });
    const gateway = bearer(gatewayAuth.accessToken);
    const heartbeat: Schemas['HeartbeatResponse'] = ok(
      await gateway.POST('/gateway/v1/heartbeat', {
        body: {
          bootId: 'boot-1',
          sequence: 1,
          sentAt: new Date().toISOString(),
          softwareVersion: '0.9.6',
          configurationVersion: gatewayAuth.configuration.version,
          nodes: registerRequest.nodes,
        },
      }),
    );
    expect(heartbeat.configuration).toBeNull();

    const queued: Schemas['Command'] = ok(
      await partner.POST('/api/v1/tenants/{tenantId}/gateways/{gatewayId}/commands', {
        params: { path: { tenantId: tenant.id, gatewayId: gatewayAuth.gatewayId } },
        body: { type: 'RESTART_APP', parameters: { app: 'vprobe' } },
      }),
    );
    expect(queued.state).toBe('QUEUED');

    const polled = ok(await gateway.GET('/gateway/v1/commands', { params: { query: { waitSeconds: 5 } } }));
    const handedOut = polled.commands.find((command) => command.commandId === queued.id);
    expect(handedOut?.parameters).toEqual({ app: 'vprobe' });
    for (const body of [
      { state: 'ACKNOWLEDGED' },
      { state: 'RUNNING', progressPercent: 50 },
      { state: 'SUCCEEDED', result: { restarted: true } },
    ] as const) {
      const update = ok(
        await gateway.POST('/gateway/v1/commands/{commandId}/updates', { params: { path: { commandId: queued.id } }, body }),
      );
      expect(update.applied).toBe(true);
    }

    const followed = await waitFor(
      async () =>
        ok(
          await partner.GET('/api/v1/tenants/{tenantId}/commands/{commandId}', {
            params: { path: { tenantId: tenant.id, commandId: queued.id } },
          }),
        ),
      (command) => command.state === 'SUCCEEDED',
    );
    expect(followed.result).toEqual({ restarted: true });
    expect(followed.history?.map((entry) => entry.state)).toEqual(['QUEUED', 'DELIVERED', 'ACKNOWLEDGED', 'RUNNING', 'SUCCEEDED']);

    const fleet: Schemas['FleetStatus'] = ok(
      await partner.GET('/api/v1/tenants/{tenantId}/status', { params: { path: { tenantId: tenant.id } } }),
    );
    expect(fleet.gateways).toBe(1);
    expect(fleet.profilesNotRegistered).toBe(0);
    expect(fleet.gatewaysByStatus.find((count) => count.key === 'CONNECTED')?.count).toBe(1);
    expect(fleet.commandsByState.find((count) => count.key === 'SUCCEEDED')?.count).toBe(1);

    // An error is typed too: the problem document of the contract.
    const missing = await partner.GET('/api/v1/tenants/{tenantId}/commands/{commandId}', {
      params: { path: { tenantId: tenant.id, commandId: '00000000-0000-4000-8000-000000000000' } },
    });
    expect(missing.response.status).toBe(404);
    expect(missing.error?.code).toBe('COMMAND_NOT_FOUND');
  });
});
