import { createParamDecorator, type ExecutionContext, type Type } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { UserPrincipal } from '../auth/principal.js';
import type { TenantAccess, TenantScope } from '../auth/tenant-scope.js';
import { isUuid } from '../database/uuid.js';

/**
 * How to find which of `tenantIds` owns an object of one kind (null: none of them): a method of
 * the domain's store (one indexed statement), named where the store is (`GATEWAY_OWNER`, …).
 */
export interface TenantOwnerLookup<S = unknown> {
  store: Type<S>;
  tenantOf(store: S, id: string, tenantIds: readonly string[]): Promise<string | null>;
}

export const tenantOwnerLookup = <S>(store: Type<S>, tenantOf: TenantOwnerLookup<S>['tenantOf']): TenantOwnerLookup =>
  ({ store, tenantOf }) as TenantOwnerLookup;

export interface GqlTenantScopeOptions {
  /** The argument that names the tenant (a path like `id` or `input.id`); default `tenantId`, then `input.tenantId`. */
  tenant?: string;
  /**
   * Without a tenant argument, the scope follows the object this argument names (`id`,
   * `input.gatewayId`, …): its tenant, found by `owner` among the tenants the caller may reach.
   */
  follow?: { arg: string; owner: TenantOwnerLookup };
}

export const GQL_TENANT_SCOPE = 'graphql:tenant-scope';

/** The scope the guard resolved for one resolver call, keyed by that call's GraphQLResolveInfo. */
const resolved = new WeakMap<object, TenantScope>();
/** The tenants a caller may reach, asked once per GraphQL request (keyed by its context). */
const reachable = new WeakMap<object, Promise<string[]>>();

const at = (args: Record<string, unknown>, path: string): unknown =>
  path
    .split('.')
    .reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), args);

/**
 * The checked tenant of a GraphQL query or mutation, resolved once by the access guard before the
 * resolver runs (as REST's `@TenantScope()` is for `:tenantId`): the tenant the arguments name,
 * else the tenant of the object they name (`follow`: a partner reads its client's gateway by id
 * alone), else the caller's own. A tenant the caller may not reach is TENANT_NOT_FOUND; an object
 * it may not reach leaves the scope on the caller's own tenant, where the object's own
 * "not found" answers.
 */
export function GqlTenantScope(options: GqlTenantScopeOptions = {}): ParameterDecorator {
  return (target, key, index) => {
    if (key === undefined) throw new Error('GqlTenantScope goes on a resolver method parameter');
    Reflect.defineMetadata(GQL_TENANT_SCOPE, options, (target as Record<string | symbol, object>)[key]!);
    scopeParam()(target, key, index);
  };
}

const scopeParam = createParamDecorator((_: unknown, context: ExecutionContext): TenantScope => {
  const scope = resolved.get(GqlExecutionContext.create(context).getInfo<object>());
  if (!scope) throw new Error('GqlTenantScope: the access guard resolved no scope for this call');
  return scope;
});

/** Called by the access guard for a GraphQL resolver that asks for `@GqlTenantScope()`. */
export async function resolveGqlTenantScope(
  options: GqlTenantScopeOptions,
  context: GqlExecutionContext,
  user: UserPrincipal,
  tenancy: TenantAccess,
  stores: <S>(type: Type<S>) => S,
): Promise<void> {
  const args = context.getArgs<Record<string, unknown>>();
  const named = options.tenant ? at(args, options.tenant) : (at(args, 'tenantId') ?? at(args, 'input.tenantId'));
  let tenantId = typeof named === 'string' ? named : undefined;
  if (tenantId === undefined && options.follow) {
    const id = at(args, options.follow.arg);
    if (isUuid(id)) {
      const request = context.getContext<object>();
      let tenants = reachable.get(request);
      if (!tenants) reachable.set(request, (tenants = tenancy.reachableTenantIds(user)));
      const { owner } = options.follow;
      tenantId = (await owner.tenantOf(stores(owner.store), id, await tenants)) ?? undefined;
    }
  }
  resolved.set(context.getInfo<object>(), await tenancy.scope(user, tenantId ?? user.tenantId));
}
