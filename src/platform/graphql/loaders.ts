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
