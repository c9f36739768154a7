import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { Audience, TOKEN_ISSUER, type PrincipalVerifier, type Role, type UserPrincipal } from '../platform/auth/principal.js';
import { CommonErrors } from '../platform/errors/domain-error.js';
import { isUuid } from '../platform/database/uuid.js';
import { AccessCache } from './access-cache.js';
import { TenantErrors } from './tenants.errors.js';
import { TenantsStore } from './tenants.store.js';

const unauthenticated = () => CommonErrors.unauthenticated();

/**
 * Turns a verified token subject into a principal from the API client's row and its tenant's status,
 * read at most once per ACCESS_CACHE_MS (access-cache.ts): a deleted client or a suspended tenant
 * loses access within that bound (at once in the process that made the change), and role changes
 * apply as quickly, without waiting for tokens to expire.
 */
@Injectable()
export class ApiClientPrincipals implements PrincipalVerifier {
  constructor(
    @Inject(TenantsStore) private readonly store: TenantsStore,
    @Inject(JwtService) private readonly jwt: JwtService,
    @Inject(AccessCache) private readonly cache: AccessCache,
  ) {}

  async load(apiClientId: unknown): Promise<UserPrincipal> {
    if (!isUuid(apiClientId)) throw unauthenticated();
    const rows = (await this.cache.get(`api-client:${apiClientId}`, () => this.store.apiClientPrincipal(apiClientId))) as {
      id: string;
      tenant_id: string;
      roles: Role[];
      status: string;
    }[];
    const row = rows[0];
    if (!row) throw unauthenticated();
    if (row.status !== 'ACTIVE') throw TenantErrors.suspended();
    return { kind: 'api-client', apiClientId: row.id, tenantId: row.tenant_id, roles: row.roles };
  }

  /** For transports without passport (the GraphQL WebSocket handshake). */
  async verifyBearer(token: string): Promise<UserPrincipal> {
    let subject: unknown;
    try {
      subject = (
        await this.jwt.verifyAsync<{ sub: string }>(token, { audience: Audience.MANAGEMENT, issuer: TOKEN_ISSUER, algorithms: ['HS256'] })
      ).sub;
    } catch {
      throw unauthenticated();
    }
    return this.load(subject);
  }
}
