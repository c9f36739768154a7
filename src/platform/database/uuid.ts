const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids in paths are checked before they reach Postgres, whose cast error would otherwise be a 500. */
export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);
