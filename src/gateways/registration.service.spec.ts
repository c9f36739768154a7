import type { TenantQuotas } from '../tenants/tenant-quotas.js';
import { describe, expect, it } from 'vitest';
import type { DataSource, EntityManager } from 'typeorm';
import type { ChangeRecorder, RecordedChange } from '../platform/audit/change-recorder.js';
import { DomainError } from '../platform/errors/domain-error.js';
import type { Reactions } from '../platform/reactions/reactions.js';
import type { ReactionName } from '../platform/reactions/reaction-catalog.js';
import type { ActivationTokensService } from '../profiles/activation-tokens.service.js';
import type { ProfileConfigurationCache } from '../profiles/profile-configuration-cache.js';
import { ProfileErrors } from '../profiles/profiles.errors.js';
import type { ProfilesService } from '../profiles/profiles.service.js';
import type { DeregistrationService } from './deregistration.service.js';
import type { GatewayCredentials } from './gateway-credentials.service.js';
import type { GatewayLiveState } from './gateway-live-state.js';
import { GatewayEntity } from './gateway.entity.js';
import type { GatewaysStore } from './gateways.store.js';
import type { NodeInventory } from './node-inventory.service.js';
import type { RegistrationAttempts } from './registration-attempts.js';
import { RegistrationService, type RegistrationRequest } from './registration.service.js';

const NODE = { hostname: 'n1', ipAddress: '10.0.0.1', cpuCores: 8, memoryMb: 16_384, diskGb: 200, ready: true };
const request = (extra: Partial<RegistrationRequest> = {}): RegistrationRequest => ({
  activationToken: 'gat_x',
  gatewayType: 'CLASSIC',
  instanceId: 'vm-1',
  name: 'edge',
  softwareVersion: '1.0.0',
  nodes: [NODE],
  sourceAddress: '192.0.2.1',
  ...extra,
});

interface World {
  purpose?: 'REGISTRATION' | 'REPLACEMENT';
  retry?: boolean;
  clustering?: boolean;
  active?: GatewayEntity | null;
  retriedGateway?: GatewayEntity | null;
  consumeFails?: DomainError;
}

/** Registration over fakes: the token, profile, tenant and gateways in memory, every effect recorded. */
function setUp(world: World = {}) {
  const failures: string[] = [];
  const reactions: ReactionName[] = [];
  const audit: RecordedChange[] = [];
  const deregistered: string[] = [];
  const saved: GatewayEntity[] = [];
  let active = world.active ?? null;
  const token = {
    id: 'token-1',
    tenantId: 't',
    profileId: 'p',
    purpose: world.purpose ?? 'REGISTRATION',
    replacesGatewayId: world.active?.id ?? null,
    migrationId: null,
  };
  const manager = {
    findOneBy: async () => world.retriedGateway ?? null,
    findOneByOrFail: async (entity: unknown) => (entity === GatewayEntity ? world.active : null),
    update: async () => undefined,
    create: (_entity: unknown, values: object) => Object.assign(new GatewayEntity(), values),
  } as unknown as EntityManager;
  const service = new RegistrationService(
    { transaction: (work: (m: EntityManager) => Promise<unknown>) => work(manager) } as unknown as DataSource,
    {
      consume: async () => {
        if (world.consumeFails) throw world.consumeFails;
        return { token, retry: world.retry ?? false };
      },
    } as unknown as ActivationTokensService,
    { find: async () => ({ id: 'p', configurationVersion: 3, configuration: {} }) } as unknown as ProfilesService,
    { set: async () => undefined } as unknown as ProfileConfigurationCache,
    {
      mintSecret: () => ({ plaintext: 'gws_x', hash: 'h', visiblePrefix: 'gws_' }),
      accessTokenFor: async () => ({ accessToken: 'jwt', expiresIn: 3600 }),
    } as unknown as GatewayCredentials,
    { reset: async () => undefined, markDeregistered: async () => undefined } as unknown as GatewayLiveState,
    { assessNew: () => ({ health: 'HEALTHY', checks: [] }), newNodes: (nodes: unknown[]) => nodes } as unknown as NodeInventory,
    {
      // An attempt is charged first and refunded unless it failed on its token: what stays charged counts against the address.
      charge: async (address: string) => void failures.push(address),
      refund: async (address: string) => void failures.splice(failures.indexOf(address), 1),
    } as unknown as RegistrationAttempts,
    {
      record: async (_m: EntityManager, change: RecordedChange) => void audit.push(change),
      eventWritten: () => undefined,
    } as unknown as ChangeRecorder,
    { run: async (name: ReactionName) => void reactions.push(name) } as unknown as Reactions,
    {
      deregisterWithin: async (_m: EntityManager, _t: string, id: string) => {
        deregistered.push(id);
        active = null;
      },
    } as unknown as DeregistrationService,
    {
      activeEntityOfProfile: async () => active,
      // The gateway with its nodes and its audit row, in one statement.
      registerGateway: async (_m: EntityManager, gateway: GatewayEntity, _nodes: unknown[], change: RecordedChange) => {
        // As the database's unique index on active gateways answers a second one.
        if (active) throw Object.assign(new Error('duplicate key'), { code: '23505', constraint: 'gateways_one_active_per_profile' });
        saved.push(gateway);
        audit.push(change);
      },
    } as unknown as GatewaysStore,
    {
      forRegistration: async () => ({ status: 'ACTIVE', features: { gatewayClustering: world.clustering ?? false }, gatewayQuota: 100 }),
    } as unknown as TenantQuotas,
  );
  return { service, failures, reactions, audit, deregistered, saved };
}

const codeOf = async (promise: Promise<unknown>) => {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DomainError);
  return [(error as DomainError).code, (error as DomainError).status];
};

const existing = (status: GatewayEntity['status'] = 'CONNECTED', type: GatewayEntity['type'] = 'CLASSIC') =>
  Object.assign(new GatewayEntity(), { id: 'old-gw', status, type });

describe('registration (RegistrationService over fakes)', () => {
  it('registers a new gateway: REGISTERED, audited, with the migration reactions before and after', async () => {
    const t = setUp();
    const result = await t.service.register(request());
    expect([result.retry, result.gateway.status, result.gatewaySecret, result.accessToken]).toEqual([false, 'REGISTERED', 'gws_x', 'jwt']);
    expect(t.reactions).toEqual(['gateway.registering', 'gateway.registered']);
    expect(t.audit.map((c) => c.action)).toEqual(['gateway.registered']);
  });

  it('a classic gateway reports exactly one node and has no cluster settings (400, before the token is looked at)', async () => {
    const t = setUp();
    expect(await codeOf(t.service.register(request({ nodes: [NODE, { ...NODE, hostname: 'n2' }] })))).toEqual(['INVALID_REQUEST', 400]);
    expect(t.failures).toEqual([]);
  });

  it('a cluster on a tenant without gateway clustering is 403 FEATURE_NOT_ENABLED, not counted as a failed token', async () => {
    const t = setUp({ clustering: false });
    expect(await codeOf(t.service.register(request({ gatewayType: 'CLUSTER', nodes: [NODE, NODE, NODE] })))).toEqual([
      'FEATURE_NOT_ENABLED',
      403,
    ]);
    expect(t.failures).toEqual([]);
  });

  it('a bad token counts against the address', async () => {
    const t = setUp({ consumeFails: ProfileErrors.tokenExpired() });
    expect(await codeOf(t.service.register(request()))).toEqual(['ACTIVATION_TOKEN_EXPIRED', 401]);
    expect(t.failures).toEqual(['192.0.2.1']);
  });

  it('a profile with an active gateway is 409 PROFILE_HAS_ACTIVE_GATEWAY', async () => {
    const t = setUp({ active: existing() });
    expect(await codeOf(t.service.register(request()))).toEqual(['PROFILE_HAS_ACTIVE_GATEWAY', 409]);
    expect(t.saved).toEqual([]);
  });

  it('a replacement takes over from the gateway it replaces, de-registering it in the same transaction', async () => {
    const t = setUp({ purpose: 'REPLACEMENT', active: existing() });
    await t.service.register(request());
    expect(t.deregistered).toEqual(['old-gw']);
    expect(t.saved.map((g) => g.status)).toEqual(['REGISTERED']);
  });

  it('a replacement of another type is 409 GATEWAY_TYPE_MISMATCH', async () => {
    const t = setUp({ purpose: 'REPLACEMENT', active: existing('CONNECTED', 'CLUSTER'), clustering: true });
    expect(await codeOf(t.service.register(request()))).toEqual(['GATEWAY_TYPE_MISMATCH', 409]);
    expect(t.deregistered).toEqual([]);
  });

  it('a retry by the same instance gets the same gateway; once that gateway left, it is ACTIVATION_TOKEN_USED', async () => {
    const same = setUp({ retry: true, retriedGateway: existing('CONNECTED') });
    const again = await same.service.register(request());
    expect([again.retry, again.gateway.id]).toEqual([true, 'old-gw']);
    expect(same.audit.map((c) => c.action)).toEqual(['gateway.credential_rotated']);
    const gone = setUp({ retry: true, retriedGateway: existing('DEREGISTERED') });
    expect(await codeOf(gone.service.register(request()))).toEqual(['ACTIVATION_TOKEN_USED', 401]);
    expect(gone.failures).toEqual(['192.0.2.1']);
  });
});
