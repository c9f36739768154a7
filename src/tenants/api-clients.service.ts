import { TenantQuotas } from './tenant-quotas.js';
import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { ChangeRecorder } from '../platform/audit/change-recorder.js';
import { AccessTokens, type IssuedToken } from '../platform/auth/access-tokens.service.js';
import type { TenantScope } from '../platform/auth/tenant-scope.js';
import { SecretHasher } from '../platform/crypto/secrets.js';
import { isUuid } from '../platform/database/uuid.js';
import type { Page, PageRequest } from '../platform/pagination/cursor.js';
import { AccessCache } from './access-cache.js';
import { ApiClientEntity } from './api-client.entity.js';
import type { CreateApiClientDto } from './dto/api-client.dto.js';
import { TenantErrors } from './tenants.errors.js';
import { TenantsStore } from './tenants.store.js';

export const API_CLIENT_SECRET_PREFIX = 'gcs_';

const auditShape = (client: ApiClientEntity) => ({ clientId: client.clientId, name: client.name, roles: client.roles });

/** API clients of a tenant: client credentials with roles, and the OAuth2 token endpoint. */
@Injectable()
export class ApiClientsService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(SecretHasher) private readonly hasher: SecretHasher,
    @Inject(AccessTokens) private readonly accessTokens: AccessTokens,
    @Inject(ChangeRecorder) private readonly changes: ChangeRecorder,
    @Inject(TenantQuotas) private readonly quotas: TenantQuotas,
    @Inject(TenantsStore) private readonly store: TenantsStore,
    @Inject(AccessCache) private readonly access: AccessCache,
  ) {}

  /** Creates a client; the plaintext secret is returned here and never again. */
  async create(scope: TenantScope, input: CreateApiClientDto): Promise<{ client: ApiClientEntity; clientSecret: string }> {
    const secret = this.hasher.mint(API_CLIENT_SECRET_PREFIX);
    const client = await this.dataSource.transaction(async (manager) => {
      await this.quotas.claim(manager, scope.tenantId, 'apiClients', () => this.quotas.countApiClients(manager, scope.tenantId));
      const created = await manager.save(
        manager.create(ApiClientEntity, {
          tenantId: scope.tenantId,
          clientId: `gcp_ci_${randomBytes(9).toString('base64url')}`,
          name: input.name,
          roles: input.roles,
          secretHash: secret.hash,
          secretPrefix: secret.visiblePrefix,
        }),
      );
      await this.changes.record(manager, {
        tenantId: scope.tenantId,
        actor: scope.actor,
        action: 'api_client.created',
        targetType: 'apiClient',
        targetId: created.id,
        after: auditShape(created),
      });
      return created;
    });
    return { client, clientSecret: secret.plaintext };
  }

  async list(scope: TenantScope, page: PageRequest): Promise<Page<ApiClientEntity>> {
    return this.store.listApiClients(scope.tenantId, page);
  }

  /** Deletes (revokes) a client: its tokens stop working on their next request. */
  async delete(scope: TenantScope, apiClientId: string): Promise<void> {
    if (apiClientId === scope.principal.apiClientId) throw TenantErrors.cannotDeleteSelf();
    await this.dataSource.transaction(async (manager) => {
      const client = isUuid(apiClientId)
        ? await manager.findOne(ApiClientEntity, {
            where: { id: apiClientId, tenantId: scope.tenantId, revokedAt: IsNull() },
            lock: { mode: 'pessimistic_write' },
          })
        : null;
      if (!client) throw TenantErrors.apiClientNotFound();
      await manager.update(ApiClientEntity, { id: client.id }, { revokedAt: new Date() });
      await this.changes.record(manager, {
        tenantId: scope.tenantId,
        actor: scope.actor,
        action: 'api_client.deleted',
        targetType: 'apiClient',
        targetId: client.id,
        before: auditShape(client),
      });
    });
    // After the commit: this process stops honouring the client's tokens at once (others within ACCESS_CACHE_MS).
    this.access.clear();
  }

  /** OAuth2 client credentials: a token for a live client of an active tenant. */
  async issueToken(clientId: string, clientSecret: string): Promise<IssuedToken> {
    const client = await this.store.apiClientForToken(clientId);
    // Hash even for an unknown client, so timing does not tell which client ids exist.
    const matches = this.hasher.matches(clientSecret, client?.secretHash ?? '0'.repeat(64));
    if (!client || !matches) throw TenantErrors.invalidClient();
    if (client.status !== 'ACTIVE') throw TenantErrors.suspended();
    return this.accessTokens.forApiClient(client.id, client.tenantId, client.roles);
  }
}
