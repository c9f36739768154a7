import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * "No SQL outside stores, migrations and tests": every SQL statement of the service is in a
 * `*.store.ts`, which owns its part's tables (see sql/ for what they run). This test reads src/
 * and fails on a statement literal, a raw `.query(` call or a query builder anywhere else.
 */
const SRC = join(import.meta.dirname, '../..');

/** A string or template literal that starts with an SQL statement (upper case, as this codebase writes SQL). */
const STATEMENT_LITERAL =
  /[`'"]\s*(SELECT\s|INSERT\s+INTO\s|UPDATE\s+\w+(\s+\w+)?\s+SET\s|DELETE\s+FROM\s|WITH\s+\w+\s+AS\s*\(|LOCK\s+TABLE\s|TRUNCATE\s|LISTEN\s|UNLISTEN\s|NOTIFY\s|\w+\s+AS\s+\(\s*(SELECT|INSERT|UPDATE|DELETE)\s)/;
/** Running SQL text, or building it with TypeORM's query builder. */
const RAW_QUERY = /\.query\s*(<[^>]*>)?\(|createQueryBuilder\s*\(|queryReturning\s*(<[^>]*>)?\(/;

/**
 * Files that still hold SQL, each for a reason written here. The list may only shrink: a listed
 * file that no longer holds SQL fails the test too, so that it is taken off.
 */
const NOT_YET_STORES: Record<string, string> = {
  'platform/database/sql.ts': 'the helpers stores run their statements with (queryReturning, prepared)',
  'platform/database/data-source.ts': 'the connection set-up (statement timeout per session)',
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') && !entry.name.endsWith('.store.ts') ? [path] : [];
  });
}

/** The lines of a file that hold SQL outside a comment. */
function sqlLines(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => !/^\s*(\/\/|\*|\/\*)/.test(line))
    .filter((line) => STATEMENT_LITERAL.test(line) || RAW_QUERY.test(line));
}

describe('SQL ownership', () => {
  const holding = new Map(
    sourceFiles(SRC)
      .map((path) => [relative(SRC, path), sqlLines(path)] as const)
      .filter(([, lines]) => lines.length),
  );

  it('no SQL outside the stores (*.store.ts), migrations and tests', () => {
    const outside = [...holding].filter(([file]) => !(file in NOT_YET_STORES)).map(([file, lines]) => `${file}: ${lines[0]!.trim()}`);
    expect(outside).toEqual([]);
  });

  it('the files not yet moved to a store still hold SQL (take a file off the list once it holds none)', () => {
    expect(Object.keys(NOT_YET_STORES).filter((file) => !holding.has(file))).toEqual([]);
  });

  it('catches a statement literal and a raw query call', () => {
    expect(STATEMENT_LITERAL.test('const q = `SELECT id FROM gateways`;')).toBe(true);
    expect(STATEMENT_LITERAL.test("await m.query('UPDATE commands c SET state = $1')")).toBe(true);
    expect(STATEMENT_LITERAL.test('`delivered_change AS (\n SELECT id')).toBe(true);
    expect(RAW_QUERY.test('await this.dataSource.query(text, [])')).toBe(true);
    expect(STATEMENT_LITERAL.test("'Select a gateway'")).toBe(false);
  });
});
