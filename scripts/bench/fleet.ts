import { call, type GatewaySession, type NodeReport, type ProtocolResponse } from '@gateway-control-plane/agent';
import { healthyNode, healthySession } from '../lib/nodes.js';
import type { LoadRequest } from './open-loop-load.js';

/**
 * The benchmark's fleet: cluster gateways registered through the real APIs, as a partner's
 * provisioning script and the gateway managers would, each then CONNECTED by one heartbeat (which
 * also persists its node report, so every later identical heartbeat takes the cheap path).
 */

export const NODES_PER_GATEWAY = 3;

export interface ApiClientCredentials {
  clientId: string;
  clientSecret: string;
}

export interface FleetSpec {
  gateways: number;
  concurrency: number;
  /** Called every `progressEvery` registered gateways. */
  onProgress: (registered: number) => void;
  progressEvery: number;
  /** The client tenant made for the fleet; default 'Heartbeat benchmark'. */
  tenantName?: string;
  /** Register into this tenant (with this admin token) instead of making one. */
  admin?: { tenantId: string; token: string };
}

function expectStatus<T>(response: ProtocolResponse<T>, expected: number, what: string): ProtocolResponse<T> {
  if (response.status !== expected) throw new Error(`${what}: HTTP ${response.status} ${JSON.stringify(response.body)}`);
  return response;
}

async function accessToken(baseUrl: string, credentials: ApiClientCredentials): Promise<string> {
  const response = await call(baseUrl, 'POST', '/api/v1/oauth/token', {
    grant_type: 'client_credentials',
    client_id: credentials.clientId,
    client_secret: credentials.clientSecret,
  });
  return expectStatus(response, 200, 'oauth token').body.access_token as string;
}

/** A client tenant with gateway clustering, and an admin token of its own (as in the e2e tests). */
export async function clientTenantAdmin(
  baseUrl: string,
  partner: ApiClientCredentials,
  name: string,
): Promise<{ tenantId: string; token: string }> {
  const partnerToken = await accessToken(baseUrl, partner);
  const auth = { authorization: `Bearer ${partnerToken}` };
  const tenant = await call(baseUrl, 'POST', '/api/v1/tenants', { name, features: { gatewayClustering: true } }, auth);
  const tenantId = expectStatus(tenant, 201, 'create tenant').body.id as string;
  const client = await call(
    baseUrl,
    'POST',
    `/api/v1/tenants/${tenantId}/api-clients`,
    { name: 'benchmark admin', roles: ['admin'] },
    auth,
  );
  const { clientId, clientSecret } = expectStatus(client, 201, 'create API client').body as { clientId: string; clientSecret: string };
  return { tenantId, token: await accessToken(baseUrl, { clientId, clientSecret }) };
}

/** Three healthy nodes with addresses no other gateway of the fleet uses (10.<hi>.<lo>.11-13). */
export function nodesOf(gatewayIndex: number): NodeReport[] {
  return Array.from({ length: NODES_PER_GATEWAY }, (_, node) =>
    healthyNode(node + 1, { ipAddress: `10.${(gatewayIndex >> 8) & 255}.${gatewayIndex & 255}.${11 + node}` }),
  );
}

export async function registerFleet(baseUrl: string, partner: ApiClientCredentials, spec: FleetSpec): Promise<GatewaySession[]> {
  const admin = spec.admin ?? (await clientTenantAdmin(baseUrl, partner, spec.tenantName ?? 'Heartbeat benchmark'));
  const auth = { authorization: `Bearer ${admin.token}` };
  const profiles = `/api/v1/tenants/${admin.tenantId}/management-profiles`;
  const fleet: GatewaySession[] = new Array(spec.gateways);
  let registered = 0;

  const registerOne = async (index: number) => {
    const name = `bench-gateway-${index}`;
    const profile = expectStatus(await call(baseUrl, 'POST', profiles, { name }, auth), 201, 'create profile');
    const minted = expectStatus(
      await call(baseUrl, 'POST', `${profiles}/${profile.body.id as string}/activation-tokens`, {}, auth),
      201,
      'mint token',
    );
    const gateway = healthySession(baseUrl, 'CLUSTER', nodesOf(index), { name });
    expectStatus(await gateway.register(minted.body.token as string), 201, 'register');
    expectStatus(await gateway.heartbeat(), 200, 'first heartbeat');
    fleet[index] = gateway;
    registered += 1;
    if (registered % spec.progressEvery === 0) spec.onProgress(registered);
  };

  await forEachConcurrently(spec.gateways, spec.concurrency, registerOne);
  return fleet;
}

/** Runs `work` for indexes 0..count-1, at most `concurrency` at a time; the first failure stops it. */
export async function forEachConcurrently(count: number, concurrency: number, work: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const failures: Error[] = [];
  const worker = async () => {
    while (failures.length === 0 && next < count) {
      const index = next++;
      try {
        await work(index);
      } catch (error) {
        failures.push(error instanceof Error ? error : new Error(String(error)));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  if (failures.length > 0) throw failures[0];
}

/**
 * Heartbeats for the load generator, round-robin over the fleet: each the next sequence of its
 * gateway's boot with a fresh sentAt, and otherwise exactly what GatewaySession.heartbeat (the agent's wire layer)
 * sends (so the report hash is unchanged and the service takes its cheap path). The body is
 * spliced from text prepared once per gateway, to keep the generator's own CPU cost low.
 */
export function heartbeatRequests(fleet: GatewaySession[]): () => LoadRequest {
  const templates = fleet.map((gateway) => {
    const fixed = JSON.stringify({
      softwareVersion: gateway.softwareVersion,
      configurationVersion: gateway.configurationVersion,
      nodes: gateway.nodes,
    });
    return {
      gateway,
      authorization: `Bearer ${gateway.accessToken}`,
      head: `{"bootId":${JSON.stringify(gateway.bootId)},"sequence":`,
      tail: `,${fixed.slice(1)}`,
    };
  });
  let cursor = 0;
  return () => {
    const template = templates[cursor];
    cursor = (cursor + 1) % templates.length;
    template.gateway.sequence += 1;
    return {
      authorization: template.authorization,
      body: `${template.head}${template.gateway.sequence},"sentAt":"${new Date().toISOString()}"${template.tail}`,
    };
  };
}

export interface OnboardingTimes {
  /** Profiles and activation tokens made (the partner's provisioning). */
  provisioningSeconds: number;
  /** POST /gateway/v1/register of every gateway: the registration rate. */
  registrationSeconds: number;
  /** The first heartbeat of each (writes its node report). */
  firstHeartbeatSeconds: number;
}

/**
 * As registerFleet, but phase by phase (all profiles and tokens, then all registrations, then all
 * first heartbeats), so that the registration rate is measured on its own.
 */
export async function onboardFleet(
  baseUrl: string,
  admin: { tenantId: string; token: string },
  spec: { gateways: number; concurrency: number; log: (message: string) => void; namePrefix?: string },
): Promise<{ fleet: GatewaySession[]; times: OnboardingTimes }> {
  const auth = { authorization: `Bearer ${admin.token}` };
  const profiles = `/api/v1/tenants/${admin.tenantId}/management-profiles`;
  const tokens: string[] = new Array(spec.gateways);
  const fleet: GatewaySession[] = new Array(spec.gateways);
  const prefix = spec.namePrefix ?? 'bench-gateway-';
  const timed = async (what: string, work: (index: number) => Promise<void>): Promise<number> => {
    const startedAt = performance.now();
    await forEachConcurrently(spec.gateways, spec.concurrency, work);
    const seconds = (performance.now() - startedAt) / 1000;
    spec.log(`  ${what}: ${spec.gateways} in ${Math.round(seconds * 10) / 10} s (${Math.round(spec.gateways / seconds)}/s)`);
    return seconds;
  };
  const provisioningSeconds = await timed('profiles and tokens', async (index) => {
    const profile = expectStatus(await call(baseUrl, 'POST', profiles, { name: `${prefix}${index}` }, auth), 201, 'create profile');
    const minted = expectStatus(
      await call(baseUrl, 'POST', `${profiles}/${profile.body.id as string}/activation-tokens`, {}, auth),
      201,
      'mint token',
    );
    tokens[index] = minted.body.token as string;
  });
  const registrationSeconds = await timed('registrations', async (index) => {
    const gateway = healthySession(baseUrl, 'CLUSTER', nodesOf(index), { name: `${prefix}${index}` });
    expectStatus(await gateway.register(tokens[index]), 201, 'register');
    fleet[index] = gateway;
  });
  const firstHeartbeatSeconds = await timed('first heartbeats', async (index) => {
    expectStatus(await fleet[index].heartbeat(), 200, 'first heartbeat');
  });
  return { fleet, times: { provisioningSeconds, registrationSeconds, firstHeartbeatSeconds } };
}
