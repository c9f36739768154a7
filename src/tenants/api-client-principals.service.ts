import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { Audience, TOKEN_ISSUER, type PrincipalVerifier, type Role, type UserPrincipal } from '../platform/auth/principal.js';
import { CommonErrors } from '../platform/errors/domain-error.js';
import { isUuid } from '../platform/database/uuid.js';
import { TenantErrors } from './tenants.errors.js';
import { TenantsStore } from './tenants.store.js';

const unauthenticated = () => CommonErrors.unauthenticated();

/**
 * Turns a verified token subject into a principal, re-reading the API client and its tenant on
 * each request: a deleted client or a suspended tenant loses access at once, and role changes
 * apply at once, without waiting for tokens to expire.
 */
@Injectable()
export class ApiClientPrincipals implements PrincipalVerifier {
  constructor(
    @Inject(TenantsStore) private readonly store: TenantsStore,
    @Inject(JwtService) private readonly jwt: JwtService,
  ) {}

  async load(apiClientId: unknown): Promise<UserPrincipal> {
    if (!isUuid(apiClientId)) throw unauthenticated();
    const rows = (await this.store.apiClientPrincipal(apiClientId)) as { id: string; tenant_id: string; roles: Role[]; status: string }[];
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
