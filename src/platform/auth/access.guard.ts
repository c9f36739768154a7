import { Inject, Injectable, Optional, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { FastifyRequest } from 'fastify';
import { CommonErrorCode, CommonErrors, type DomainError, forbidden } from '../errors/domain-error.js';
import { authHolder, GATEWAY_AUTH, IS_PUBLIC, ROLES_KEY, type GatewayAuthOptions } from './auth.decorators.js';
import { GATEWAY_AUTHENTICATOR, GATEWAY_TOKEN_AUTHENTICATOR, MANAGEMENT_AUTHENTICATOR, type JwtAuthenticator } from './passport-jwt.js';
import type { GatewayPrincipal, Role, UserPrincipal } from './principal.js';
import { TENANT_ACCESS, type TenantAccess } from './tenant-scope.js';
import { GQL_TENANT_SCOPE, resolveGqlTenantScope, type GqlTenantScopeOptions } from '../graphql/tenant-scope.decorator.js';

export const AuthErrorCode = {
  ACCESS_TOKEN_EXPIRED: CommonErrorCode.ACCESS_TOKEN_EXPIRED,
  UNAUTHENTICATED: CommonErrorCode.UNAUTHENTICATED,
} as const;

/** passport-jwt reports why a token failed in `info`; an expired one gets its own code so clients refresh. */
function authenticationError(info: unknown): DomainError {
  const name = (info as { name?: string } | undefined)?.name;
  if (name === 'TokenExpiredError') return CommonErrors.accessTokenExpired();
  return CommonErrors.unauthenticated();
}

/**
 * The one global guard, deny by default: every route and resolver needs a management token
 * unless marked @Public or @GatewayAuth. Then, for REST routes with `:tenantId` and GraphQL
 * resolvers with `@GqlTenantScope()`, the tenancy rules (a foreign tenant is 404), then the roles (a write is admin-only unless @Roles says more).
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(TENANT_ACCESS) private readonly tenantAccess: TenantAccess,
    @Inject(ModuleRef) private readonly moduleRef: ModuleRef,
    @Inject(MANAGEMENT_AUTHENTICATOR) private readonly managementJwt: JwtAuthenticator<UserPrincipal>,
    // Absent only in a build without the gateway protocol.
    @Optional() @Inject(GATEWAY_AUTHENTICATOR) private readonly gatewayJwt?: JwtAuthenticator<GatewayPrincipal>,
    @Optional() @Inject(GATEWAY_TOKEN_AUTHENTICATOR) private readonly gatewayTokenJwt?: JwtAuthenticator<GatewayPrincipal>,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const holder = authHolder(context);

    const gatewayAuth = this.reflector.getAllAndOverride<GatewayAuthOptions | undefined>(GATEWAY_AUTH, targets);
    if (gatewayAuth) {
      const authenticator = gatewayAuth.statusCheckedByHandler ? this.gatewayTokenJwt : this.gatewayJwt;
      if (!authenticator) throw authenticationError(undefined);
      holder.user = await this.authenticate(authenticator, holder);
      return true;
    }

    // GraphQL subscriptions arrive authenticated by the WebSocket handshake.
    if (holder.user?.kind !== 'api-client') holder.user = await this.authenticate(this.managementJwt, holder);
    const user = holder.user;
    if (user?.kind !== 'api-client') throw authenticationError(undefined);

    if (context.getType() === 'http') {
      const tenantId = context.switchToHttp().getRequest<FastifyRequest<{ Params: { tenantId?: string } }>>().params?.tenantId;
      if (tenantId !== undefined) holder.tenantScope = await this.tenantAccess.scope(user, tenantId);
    } else if (context.getType<string>() === 'graphql') {
      const scoped = this.reflector.get<GqlTenantScopeOptions | undefined>(GQL_TENANT_SCOPE, context.getHandler());
      if (scoped) {
        await resolveGqlTenantScope(scoped, GqlExecutionContext.create(context), user, this.tenantAccess, (type) =>
          this.moduleRef.get(type, { strict: false }),
        );
      }
    }

    const required = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    const allowed = required ?? (this.isWrite(context) ? ['admin'] : undefined);
    if (allowed && !user.roles.some((role) => allowed.includes(role))) {
      throw forbidden(`this needs one of the roles ${allowed.join(', ')}`);
    }
    return true;
  }

  private async authenticate<T>(authenticator: JwtAuthenticator<T>, request: unknown): Promise<T> {
    const outcome = await authenticator.authenticate(request);
    if ('info' in outcome) throw authenticationError(outcome.info);
    return outcome.user;
  }

  private isWrite(context: ExecutionContext): boolean {
    if (context.getType<string>() === 'graphql') {
      return GqlExecutionContext.create(context).getInfo<{ operation: { operation: string } }>().operation.operation === 'mutation';
    }
    const method = context.switchToHttp().getRequest<FastifyRequest>().method;
    return method !== 'GET' && method !== 'HEAD';
  }
}
