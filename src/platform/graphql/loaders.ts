import DataLoader from 'dataloader';

const LOADERS = Symbol('loaders');

/**
 * A DataLoader that lives as long as one GraphQL request (it is kept on the request's context),
 * so a nested field batches its reads across parents and never caches across users.
 */
export function requestLoader<K, V>(
  context: object,
  name: string,
  batch: (keys: readonly K[]) => Promise<V[]>,
  cacheKey?: (key: K) => string,
): DataLoader<K, V, unknown> {
  const holder = context as { [LOADERS]?: Map<string, DataLoader<unknown, unknown, unknown>> };
  const loaders = (holder[LOADERS] ??= new Map());
  let loader = loaders.get(name) as DataLoader<K, V, unknown> | undefined;
  if (!loader) {
    loader = new DataLoader<K, V, unknown>(batch, cacheKey ? { cacheKeyFn: cacheKey } : {});
    loaders.set(name, loader);
  }
  return loader;
}

/**
 * Forgets the loaders of a context. A subscription answers each event with the same context, so
 * its `resolve` calls this first: each event's relation fields read the rows as they are then.
 */
export function resetRequestLoaders(context: object | undefined): void {
  if (context) (context as { [LOADERS]?: Map<string, unknown> })[LOADERS]?.clear();
}

/** A row of a tenant, as a relation field asks for it: the parent was visible, so its tenant is. */
export interface TenantKey {
  tenantId: string;
  id: string;
}

/**
 * A request loader of rows by id that reads each tenant's keys with one call of `fetch` (one SQL
 * statement in the stores), whatever the number of parents; a missing row is null.
 */
export function tenantRowLoader<V>(
  context: object,
  name: string,
  fetch: (tenantId: string, ids: string[]) => Promise<Map<string, V>>,
): DataLoader<TenantKey, V | null, unknown> {
  return requestLoader<TenantKey, V | null>(
    context,
    name,
    async (keys) => {
      const byTenant = new Map<string, string[]>();
      for (const key of keys) byTenant.set(key.tenantId, [...(byTenant.get(key.tenantId) ?? []), key.id]);
      const found = new Map<string, V>();
      for (const [tenantId, ids] of byTenant)
        for (const [id, row] of await fetch(tenantId, [...new Set(ids)])) found.set(`${tenantId}:${id}`, row);
      return keys.map((key) => found.get(`${key.tenantId}:${key.id}`) ?? null);
    },
    (key) => `${key.tenantId}:${key.id}`,
  );
}
