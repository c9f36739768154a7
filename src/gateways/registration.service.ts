import { randomUUID } from 'node:crypto';
import { TenantQuotas } from '../tenants/tenant-quotas.js';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ChangeRecorder } from '../platform/audit/change-recorder.js';
import { transactionWithEffects, type AfterCommit } from '../platform/database/after-commit.js';
import { uniqueViolation } from '../platform/database/postgres-errors.js';
import { DomainError, invalidRequest } from '../platform/errors/domain-error.js';
import { errorCodeOf, Metrics } from '../platform/metrics/catalog.js';
import { EventTopic } from '../platform/events/topics.js';
import { Reactions } from '../platform/reactions/reactions.js';
import { ActivationTokensService } from '../profiles/activation-tokens.service.js';
import type { ManagementProfileEntity } from '../profiles/management-profile.entity.js';
import { ProfileConfigurationCache } from '../profiles/profile-configuration-cache.js';
import type { GatewayType } from '../profiles/profile-status.js';
import { ProfileErrorCode, ProfileErrors } from '../profiles/profiles.errors.js';
import { ProfilesService } from '../profiles/profiles.service.js';
import { TenantErrors } from '../tenants/tenants.errors.js';
import { DeregistrationService } from './deregistration.service.js';
import { GatewayCredentials } from './gateway-credentials.service.js';
import { GatewayLiveState } from './gateway-live-state.js';
import type { GatewayStatusChangedEvent } from './gateway-status-writer.service.js';
import { GatewayEntity, type ClusterSettings } from './gateway.entity.js';
import { GatewayErrors } from './gateways.errors.js';
import { GatewaysStore } from './gateways.store.js';
import { NodeInventory } from './node-inventory.service.js';
import { reportHash, type NodeReport } from './node-report.js';
import { RegistrationAttempts } from './registration-attempts.js';

export interface RegistrationRequest {
  activationToken: string;
  gatewayType: GatewayType;
  instanceId: string;
  name: string;
  softwareVersion: string;
  nodes: NodeReport[];
  cluster?: ClusterSettings;
  /** Where the request came from, for the failed-attempt limit. */
  sourceAddress: string;
}

export interface Registration {
  gateway: GatewayEntity;
  profile: ManagementProfileEntity;
  gatewaySecret: string;
  accessToken: string;
  accessTokenExpiresIn: number;
  /** A safe retry (the same token from the same instance): 200 instead of 201. */
  retry: boolean;
}

const TOKEN_FAILURES = new Set<string>([
  ProfileErrorCode.ACTIVATION_TOKEN_INVALID,
  ProfileErrorCode.ACTIVATION_TOKEN_EXPIRED,
  ProfileErrorCode.ACTIVATION_TOKEN_REVOKED,
  ProfileErrorCode.ACTIVATION_TOKEN_USED,
]);

/**
 * Section 1 of the protocol: a gateway manager presents an activation token and its node report,
 * and becomes the profile's active gateway with a credential of its own.
 */
@Injectable()
export class RegistrationService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(ActivationTokensService) private readonly tokens: ActivationTokensService,
    @Inject(ProfilesService) private readonly profiles: ProfilesService,
    @Inject(ProfileConfigurationCache) private readonly configurationCache: ProfileConfigurationCache,
    @Inject(GatewayCredentials) private readonly credentials: GatewayCredentials,
    @Inject(GatewayLiveState) private readonly live: GatewayLiveState,
    @Inject(NodeInventory) private readonly nodes: NodeInventory,
    @Inject(RegistrationAttempts) private readonly attempts: RegistrationAttempts,
    @Inject(ChangeRecorder) private readonly changes: ChangeRecorder,
    @Inject(Reactions) private readonly reactions: Reactions,
    @Inject(DeregistrationService) private readonly deregistration: DeregistrationService,
    @Inject(GatewaysStore) private readonly gateways: GatewaysStore,
    @Inject(TenantQuotas) private readonly quotas: TenantQuotas,
  ) {}

  /** A registration, counted (gcp_gateway_registrations_total, or …_failures_total by error code). */
  async register(request: RegistrationRequest): Promise<Registration> {
    try {
      const registration = await this.registerCounted(request);
      Metrics.registrations.inc({ type: registration.gateway.type });
      return registration;
    } catch (error) {
      Metrics.registrationFailures.inc({ code: errorCodeOf(error) });
      throw error;
    }
  }

  private async registerCounted(request: RegistrationRequest): Promise<Registration> {
    this.checkShape(request);
    await this.attempts.charge(request.sourceAddress);
    const secret = this.credentials.mintSecret();
    let outcome: { gateway: GatewayEntity; profile: ManagementProfileEntity; retry: boolean };
    try {
      outcome = await transactionWithEffects(this.dataSource, (manager, after) => this.registerWithin(manager, request, secret, after));
    } catch (error) {
      // A failed token keeps its charge; anything else was not a guess at a token.
      if (!(error instanceof DomainError && TOKEN_FAILURES.has(error.code))) await this.attempts.refund(request.sourceAddress);
      // Two registrations raced past the check: the database's one-active-gateway index decided.
      if (uniqueViolation(error) === 'gateways_one_active_per_profile') throw GatewayErrors.profileHasActiveGateway();
      // The commit passed the tenant's gateways quota (checked at commit: see TenantQuotas.forRegistration).
      throw TenantQuotas.refusalOf(error) ?? error;
    }
    const { gateway, profile, retry } = outcome;
    // Independent of each other: one wait for the three Redis writes instead of three in a row.
    const [, , , token] = await Promise.all([
      this.attempts.refund(request.sourceAddress),
      this.live.reset(gateway),
      this.configurationCache.set(profile.id, profile.configurationVersion, profile.configuration),
      this.credentials.accessTokenFor(gateway),
    ]);
    return {
      gateway,
      profile,
      gatewaySecret: secret.plaintext,
      accessToken: token.accessToken,
      accessTokenExpiresIn: token.expiresIn,
      retry,
    };
  }

  private checkShape(request: RegistrationRequest): void {
    if (request.gatewayType !== 'CLASSIC') return;
    const errors = [
      ...(request.nodes.length !== 1 ? [{ field: 'nodes', message: 'a classic gateway reports exactly one node' }] : []),
      ...(request.cluster ? [{ field: 'cluster', message: 'a classic gateway has no cluster settings' }] : []),
    ];
    if (errors.length) throw invalidRequest(errors.map((e) => e.message).join('; '), errors);
  }

  private async registerWithin(
    manager: EntityManager,
    request: RegistrationRequest,
    secret: { hash: string; visiblePrefix: string },
    after: AfterCommit,
  ): Promise<{ gateway: GatewayEntity; profile: ManagementProfileEntity; retry: boolean }> {
    const { token, retry } = await this.tokens.consume(manager, request.activationToken, request.instanceId);
    const profile = await this.profiles.find({ tenantId: token.tenantId }, token.profileId, manager, true);
    // Also arms the gateways quota, checked at commit: no tenant row lock serialises a tenant's registrations.
    const tenant = await this.quotas.forRegistration(manager, token.tenantId);
    if (!tenant) throw TenantErrors.notFound();
    if (tenant.status !== 'ACTIVE') throw TenantErrors.suspended();

    if (retry) {
      // The answer to the first attempt was lost: same gateway, fresh secret (the old one stops working).
      const gateway = await manager.findOneBy(GatewayEntity, { registrationTokenId: token.id });
      if (!gateway || gateway.status === 'DEREGISTERED') throw ProfileErrors.tokenUsed('the activation token was already used');
      // A new generation: access tokens issued for the old secret stop working at once.
      gateway.credentialGeneration += 1;
      await manager.update(
        GatewayEntity,
        { id: gateway.id },
        { secretHash: secret.hash, secretPrefix: secret.visiblePrefix, credentialGeneration: gateway.credentialGeneration },
      );
      await this.changes.record(manager, {
        tenantId: gateway.tenantId,
        actor: { type: 'gateway', id: gateway.id },
        action: 'gateway.credential_rotated',
        targetType: 'gateway',
        targetId: gateway.id,
        after: { reason: 'registration retried by the same instance', instanceId: request.instanceId },
      });
      return { gateway, profile, retry: true };
    }

    if (request.gatewayType === 'CLUSTER' && !tenant.features.gatewayClustering) throw GatewayErrors.clusteringNotEnabled();
    // A running migration may refuse this registration, or first de-register its source.
    await this.reactions.run('gateway.registering', {
      manager,
      after,
      token,
      profileId: profile.id,
      tenantId: token.tenantId,
      gatewayType: request.gatewayType,
    });
    // The profile's active gateway matters to a replacement (it takes over from it) and to a
    // migration's token (its reaction may have just de-registered the source). For a plain token
    // the insert below is the check: the unique index on active gateways answers
    // PROFILE_HAS_ACTIVE_GATEWAY (see registerCounted), one statement fewer on the common path.
    let active =
      token.purpose === 'REPLACEMENT' || token.migrationId ? await this.gateways.activeEntityOfProfile(manager, profile.id) : null;
    if (token.purpose === 'REPLACEMENT') {
      const replacedType = (await manager.findOneByOrFail(GatewayEntity, { id: token.replacesGatewayId! })).type;
      if (replacedType !== request.gatewayType) throw GatewayErrors.typeMismatch(replacedType, request.gatewayType);
    }
    if (token.purpose === 'REPLACEMENT' && active && active.id === token.replacesGatewayId) {
      // A VM swap: the new gateway takes over the profile from the one it replaces, in this transaction.
      const replaced = active;
      await this.deregistration.deregisterWithin(manager, token.tenantId, replaced.id, { type: 'system', id: null }, 'REPLACEMENT');
      after.add(() => this.live.markDeregistered(replaced.id));
      active = null;
    }
    if (active) throw GatewayErrors.profileHasActiveGateway();
    // The new gateway counts against the tenant's quota at commit (forRegistration armed it; a
    // replacement's predecessor, de-registered above, no longer counts by then).

    const now = new Date();
    // Nothing is stored for a new gateway yet: its assessment comes from the report alone and is
    // written with its row (no nodes read, no second update).
    const assessment = this.nodes.assessNew({ type: request.gatewayType, cluster: request.cluster ?? null }, request.nodes, true);
    const gateway = Object.assign(new GatewayEntity(), {
      id: randomUUID(),
      tenantId: token.tenantId,
      profileId: profile.id,
      type: request.gatewayType,
      name: request.name,
      instanceId: request.instanceId,
      registrationTokenId: token.id,
      status: 'REGISTERED',
      statusSeq: '1',
      health: assessment.health,
      assessment,
      secretHash: secret.hash,
      secretPrefix: secret.visiblePrefix,
      credentialGeneration: 1,
      softwareVersion: request.softwareVersion,
      configurationVersion: null,
      cluster: request.cluster ? { ...request.cluster } : null,
      registeredAt: now,
      bootId: null,
      reportSequence: null,
      lastHeartbeatAt: null,
      clockSkewSeconds: null,
      deregisteredAt: null,
      deregisteredBy: null,
      deregistrationReason: null,
      reportHash: reportHash({ softwareVersion: request.softwareVersion, configurationVersion: null, nodes: request.nodes }),
    } satisfies Omit<GatewayEntity, 'createdAt' | 'updatedAt'>);
    const event: GatewayStatusChangedEvent = {
      gatewayId: gateway.id,
      profileId: profile.id,
      tenantId: gateway.tenantId,
      previousStatus: null,
      status: 'REGISTERED',
      lastHeartbeatAt: null,
      changedAt: now.toISOString(),
      activationTokenId: token.id,
    };
    // The gateway, its nodes, its audit row and its event in one statement (one round trip, not three).
    await this.gateways.registerGateway(manager, gateway, this.nodes.newNodes(request.nodes), {
      tenantId: gateway.tenantId,
      actor: { type: 'gateway', id: gateway.id },
      action: 'gateway.registered',
      targetType: 'gateway',
      targetId: gateway.id,
      after: {
        profileId: profile.id,
        type: gateway.type,
        name: gateway.name,
        instanceId: gateway.instanceId,
        softwareVersion: gateway.softwareVersion,
        activationTokenId: token.id,
        nodes: request.nodes.length,
        health: assessment.health,
      },
      event: { topic: EventTopic.GatewayStatusChanged, payload: event },
    });
    this.changes.eventWritten(manager);
    await this.reactions.run('gateway.registered', { manager, after, gateway, token });
    return { gateway, profile, retry: false };
  }
}
