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

/**
 * A list of constants for SQL, from the TypeScript constants that own them (state machines):
 * `= 'A'` for one value, `IN ('A', 'B')` for more, so a statement never copies a list by hand.
 * Only for fixed, quote-free identifiers like states: user input always goes in parameters.
 */
export function sqlIn(values: readonly string[]): string {
  if (!values.length || values.some((value) => !/^[A-Z_]+$/.test(value)))
    throw new Error(`sqlIn takes constants like states: ${values.join(', ')}`);
  return values.length === 1 ? `= '${values[0]}'` : `IN (${values.map((value) => `'${value}'`).join(', ')})`;
}

/**
 * A store's statements by name: a plain text, or a named prepared statement (`prepared`). Each
 * `*.store.ts` exports its own as `STATEMENTS`; `npm run sql:write` writes them to `sql/`, and a
 * test fails when that snapshot differs from the code.
 */
export type Statements = Readonly<Record<string, string>>;

/** The prepared-statement name of a statement made by `prepared`, or null for a plain text. */
export function preparedNameOf(statement: string): string | null {
  return typeof statement === 'object' && statement !== null ? ((statement as { name?: string }).name ?? null) : null;
}
