import type { EntityManager } from 'typeorm';

/**
 * Runs an UPDATE or DELETE … RETURNING and answers its rows. (TypeORM's postgres driver answers
 * such statements as `[rows, affectedCount]`, unlike SELECT and INSERT; this hides the difference.)
 */
export async function queryReturning<T>(manager: Pick<EntityManager, 'query'>, sql: string, parameters: unknown[]): Promise<T[]> {
  const result: unknown = await manager.query(sql, parameters);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}

/**
 * A statement Postgres parses and plans once per connection (a named prepared statement) rather
 * than on every call. For the statements of the hot paths: planning a CTE over unnest() cost
 * Postgres about as much CPU as running it. `name` must be unique per text, and the text should
 * name its columns (a cached `SELECT *` fails once a migration adds a column).
 */
export function prepared(name: string, text: string): string {
  // TypeORM passes its query argument to pg unchanged, and pg takes a query config as well as a
  // string (and copies it, so each call gets its own); toString keeps TypeORM's error messages readable.
  return { name, text, toString: () => text } as unknown as string;
}
