import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DataSource } from 'typeorm';
import { Audience, TOKEN_ISSUER, type PrincipalVerifier, type Role, type UserPrincipal } from '../platform/auth/principal.js';
import { CommonErrors } from '../platform/errors/domain-error.js';
import { isUuid } from '../platform/database/uuid.js';
import { TenantErrors } from './tenants.errors.js';

const unauthenticated = () => CommonErrors.unauthenticated();

/**
 * Turns a verified token subject into a principal, re-reading the API client and its tenant on
 * each request: a deleted client or a suspended tenant loses access at once, and role changes
 * apply at once, without waiting for tokens to expire.
 */
@Injectable()
export class ApiClientPrincipals implements PrincipalVerifier {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(JwtService) private readonly jwt: JwtService,
  ) {}

  async load(apiClientId: unknown): Promise<UserPrincipal> {
    if (!isUuid(apiClientId)) throw unauthenticated();
    const rows: { id: string; tenant_id: string; roles: Role[]; status: string }[] = await this.dataSource.query(
      `SELECT c.id, c.tenant_id, c.roles, t.status FROM api_clients c JOIN tenants t ON t.id = c.tenant_id
       WHERE c.id = $1 AND c.revoked_at IS NULL`,
      [apiClientId],
    );
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
