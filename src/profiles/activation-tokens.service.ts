import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type Repository } from 'typeorm';
import { ChangeRecorder } from '../platform/audit/change-recorder.js';
import type { Actor } from '../platform/auth/principal.js';
import type { TenantScope } from '../platform/auth/tenant-scope.js';
import { TenantErrors } from '../tenants/tenants.errors.js';
import { SecretHasher } from '../platform/crypto/secrets.js';
import { isUuid } from '../platform/database/uuid.js';
import type { Page, PageRequest } from '../platform/pagination/cursor.js';
import { ACTIVATION_TOKEN_PREFIX, tokenState, TOKEN_TTL } from './activation-token-state.js';
import { ActivationTokenEntity, type TokenPurpose } from './activation-token.entity.js';
import { ProfileErrors } from './profiles.errors.js';
import { ProfileLinksReader } from './profile-links.reader.js';
import { ProfilesStore } from './profiles.store.js';
import { ProfilesService } from './profiles.service.js';

export interface MintRequest {
  tenantId: string;
  profileId: string;
  ttlSeconds: number;
  purpose: TokenPurpose;
  actor: Actor;
  migrationId?: string;
  replacesGatewayId?: string;
}

export interface MintedToken {
  token: ActivationTokenEntity;
  plaintext: string;
}

/** What registration learns from a presented token. */
export interface ConsumedToken {
  token: ActivationTokenEntity;
  /** The same gateway instance presenting the token it already used: a retry, not a second use. */
  retry: boolean;
}

/** Activation tokens: minted and shown once, stored as a keyed hash, consumed once. */
@Injectable()
export class ActivationTokensService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @InjectRepository(ActivationTokenEntity) private readonly tokens: Repository<ActivationTokenEntity>,
    @Inject(ProfilesService) private readonly profiles: ProfilesService,
    @Inject(SecretHasher) private readonly hasher: SecretHasher,
    @Inject(ChangeRecorder) private readonly changes: ChangeRecorder,
    @Inject(ProfileLinksReader) private readonly links: ProfileLinksReader,
    @Inject(ProfilesStore) private readonly store: ProfilesStore,
  ) {}

  /** Mints a token for a profile and revokes the profile's older active tokens, in one transaction. */
  async mint(scope: TenantScope, profileId: string, ttlSeconds: number = TOKEN_TTL.DEFAULT_SECONDS): Promise<MintedToken> {
    // A suspended tenant's gateways are refused; a token minted now would only be refused in turn.
    if (scope.suspended) throw TenantErrors.suspended();
    if (!isUuid(profileId)) throw ProfileErrors.notFound();
    return this.dataSource.transaction(async (manager) => {
      // A new token would revoke the running migration's, and only that one may register now.
      const link = (await this.links.forProfiles([profileId], manager)).get(profileId);
      if (link?.migrationRunning)
        throw ProfileErrors.migrationInProgress('a migration of this profile is running: its own token registers the target');
      return this.mintWithin(manager, { tenantId: scope.tenantId, profileId, ttlSeconds, purpose: 'REGISTRATION', actor: scope.actor });
    });
  }

  /**
   * The same, inside a caller's transaction: migrations and replacements mint their target's token
   * together with the rest of their first step.
   */
  async mintWithin(manager: EntityManager, request: MintRequest): Promise<MintedToken> {
    const { tenantId, profileId, ttlSeconds, purpose, actor } = request;
    const profile = await this.profiles.find({ tenantId }, profileId, manager, true);
    const superseded = (await this.store.supersedeOpenTokens(manager, profile.id)).map((id) => ({ id }));
    const secret = this.hasher.mint(ACTIVATION_TOKEN_PREFIX);
    const token = await manager.save(
      manager.create(ActivationTokenEntity, {
        tenantId,
        profileId: profile.id,
        tokenHash: secret.hash,
        prefix: secret.visiblePrefix,
        purpose,
        createdByType: actor.type,
        createdById: actor.id,
        expiresAt: new Date(Date.now() + ttlSeconds * 1000),
        migrationId: request.migrationId ?? null,
        replacesGatewayId: request.replacesGatewayId ?? null,
      }),
    );
    await this.changes.record(manager, {
      tenantId,
      actor,
      action: 'activation_token.minted',
      targetType: 'activationToken',
      targetId: token.id,
      after: {
        profileId: profile.id,
        prefix: token.prefix,
        purpose,
        expiresAt: token.expiresAt.toISOString(),
        supersededTokenIds: superseded.map((row) => row.id),
      },
    });
    return { token, plaintext: secret.plaintext };
  }

  async list(scope: TenantScope, profileId: string, page: PageRequest): Promise<Page<ActivationTokenEntity>> {
    const profile = await this.profiles.find(scope, profileId);
    return this.store.tokensOfProfile(scope.tenantId, profile.id, page);
  }

  /** The newest tokens of each of many profiles of one tenant (a GraphQL relation), in one statement. */
  latestOfProfiles(tenantId: string, profileIds: readonly string[], page: { first: number; after?: { at: string; id: string } }) {
    return this.store.tokensOfProfiles(tenantId, profileIds, page);
  }

  /** Revokes a token of the scope's tenant by its id alone (GraphQL), as `revoke` does. */
  async revokeById(scope: TenantScope, tokenId: string): Promise<ActivationTokenEntity> {
    const token = isUuid(tokenId)
      ? await this.tokens.findOne({ select: { id: true, profileId: true }, where: { id: tokenId, tenantId: scope.tenantId } })
      : null;
    if (!token) throw ProfileErrors.tokenNotFound();
    return this.revoke(scope, token.profileId, tokenId);
  }

  /** Revokes an active token. Revoking a revoked token changes nothing; a used or expired one is 409. */
  async revoke(scope: TenantScope, profileId: string, tokenId: string): Promise<ActivationTokenEntity> {
    return this.dataSource.transaction(async (manager) => {
      const profile = await this.profiles.find(scope, profileId, manager);
      const token = isUuid(tokenId)
        ? await manager.findOne(ActivationTokenEntity, {
            where: { id: tokenId, tenantId: scope.tenantId, profileId: profile.id },
            lock: { mode: 'pessimistic_write' },
          })
        : null;
      if (!token) throw ProfileErrors.tokenNotFound();
      const state = tokenState(token);
      if (state === 'REVOKED') return token;
      if (state !== 'ACTIVE') {
        throw ProfileErrors.tokenNotActive(state);
      }
      token.revokedAt = new Date();
      token.revokedReason = 'REVOKED_BY_USER';
      await manager.update(ActivationTokenEntity, { id: token.id }, { revokedAt: token.revokedAt, revokedReason: token.revokedReason });
      await this.changes.record(manager, {
        tenantId: scope.tenantId,
        actor: scope.actor,
        action: 'activation_token.revoked',
        targetType: 'activationToken',
        targetId: token.id,
        before: { state: 'ACTIVE', prefix: token.prefix },
        after: { state: 'REVOKED', prefix: token.prefix },
      });
      return token;
    });
  }

  /**
   * The check registration makes, inside its transaction: answers the token, or throws
   * ACTIVATION_TOKEN_INVALID / _EXPIRED / _REVOKED / _USED. The lookup is by keyed hash (a guess
   * teaches nothing about stored tokens) and the row lock makes the use atomic: of many concurrent
   * registrations with one token exactly one marks it USED; the others then see it used.
   */
  async consume(manager: EntityManager, plaintext: string, instanceId: string): Promise<ConsumedToken> {
    if (!plaintext.startsWith(ACTIVATION_TOKEN_PREFIX) || plaintext.length > 200) throw ProfileErrors.tokenInvalid();
    const hash = this.hasher.hash(plaintext);
    // The common case in one statement: an active token becomes used. Anything else (unknown,
    // used, a retry, revoked, expired) is read again under its lock to answer why.
    const used = await this.store.useActiveToken(manager, hash, instanceId);
    if (used && this.hasher.matches(plaintext, used.tokenHash)) return { token: used, retry: false };
    const token = await manager.findOne(ActivationTokenEntity, { where: { tokenHash: hash }, lock: { mode: 'pessimistic_write' } });
    if (!token || !this.hasher.matches(plaintext, token.tokenHash)) throw ProfileErrors.tokenInvalid();
    if (token.usedAt) {
      if (token.usedByInstanceId === instanceId) return { token, retry: true };
      throw ProfileErrors.tokenUsed();
    }
    const state = tokenState(token);
    if (state === 'REVOKED') throw ProfileErrors.tokenRevoked();
    if (state === 'EXPIRED') throw ProfileErrors.tokenExpired();
    token.usedAt = new Date();
    token.usedByInstanceId = instanceId;
    await manager.update(ActivationTokenEntity, { id: token.id }, { usedAt: token.usedAt, usedByInstanceId: instanceId });
    return { token, retry: false };
  }
}
