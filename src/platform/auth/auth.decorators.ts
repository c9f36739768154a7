import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { GatewayPrincipal, Role, UserPrincipal } from './principal.js';
import type { TenantScope as TenantScopeValue } from './tenant-scope.js';

export const IS_PUBLIC = 'auth:public';
export const GATEWAY_AUTH = 'auth:gateway';
export const ROLES_KEY = 'auth:roles';

/** A route anyone may call (token endpoint, gateway registration, health). Everything else needs a token. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

export interface GatewayAuthOptions {
  /**
   * The handler itself refuses a de-registered or unknown gateway (the heartbeat's Redis script
   * answers that in the round trip it makes anyway), so the guard checks only the token.
   */
  statusCheckedByHandler?: boolean;
}

/** A gateway-protocol route: gateway access tokens only; user tokens are refused. */
export const GatewayAuth = (options: GatewayAuthOptions = {}) => SetMetadata(GATEWAY_AUTH, options);

/**
 * Roles allowed to call a route or resolver. Without it, reads are open to every role and writes
 * (any non-GET route, any mutation) to admins only: deny by default.
 */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** Holds what the guard established about a request (REST request or GraphQL context). */
export interface AuthenticatedRequest {
  user?: UserPrincipal | GatewayPrincipal;
  tenantScope?: TenantScopeValue;
}

export function authHolder(context: ExecutionContext): AuthenticatedRequest {
  if (context.getType<string>() === 'graphql') {
    const gql = GqlExecutionContext.create(context).getContext<{ req?: AuthenticatedRequest } & AuthenticatedRequest>();
    // Over WebSocket the connection's context carries the user (see graphql.module.ts); over HTTP, the request does.
    return gql.user ? gql : (gql.req ?? gql);
  }
  return context.switchToHttp().getRequest<AuthenticatedRequest>();
}

export const CurrentUser = createParamDecorator((_: unknown, context: ExecutionContext): UserPrincipal => {
  const user = authHolder(context).user;
  if (user?.kind !== 'api-client') throw new Error('CurrentUser used on a route without user auth');
  return user;
});

export const CurrentGateway = createParamDecorator((_: unknown, context: ExecutionContext): GatewayPrincipal => {
  const user = authHolder(context).user;
  if (user?.kind !== 'gateway') throw new Error('CurrentGateway used on a route without gateway auth');
  return user;
});

/** The checked tenant of a REST route with a `:tenantId` path parameter. */
export const TenantScope = createParamDecorator((_: unknown, context: ExecutionContext): TenantScopeValue => {
  const scope = authHolder(context).tenantScope;
  if (!scope) throw new Error('TenantScope used on a route without a :tenantId parameter');
  return scope;
});
