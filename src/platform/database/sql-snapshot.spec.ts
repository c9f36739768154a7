import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { preparedNameOf, type Statements } from './sql.js';

/**
 * sql/*.sql holds every named statement of the stores, one file per store, so that a reviewer sees
 * each query change in the diff. This test fails when the committed files differ from the code;
 * `npm run sql:write` writes them. Keyset pages (`paginate` over a query builder, in a store method
 * taking typed filters) are built per call, since their conditions depend on the cursor and the
 * filters, and are not named here.
 */
const ROOT = join(import.meta.dirname, '../../..');
const SQL_DIR = join(ROOT, 'sql');
const write = process.env.UPDATE_SQL_SNAPSHOT === '1';

/**
 * Stores whose statements are not named in a STATEMENTS table yet (built per call: partition DDL, say),
 * each for a reason. The list may only shrink: a listed store that exports STATEMENTS fails the test.
 */
const NOT_YET_NAMED: Record<string, string> = {
  'src/data-lifecycle/retention.store.ts': 'partition DDL built per table and month',
};

function storeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? storeFiles(path) : entry.name.endsWith('.store.ts') ? [path] : [];
  });
}

/** One statement as written to sql/: its name (and prepared-statement name), its text as the code sends it. */
function render(source: string, statements: Statements): string {
  const parts = Object.entries(statements).map(([name, statement]) => {
    const preparedName = preparedNameOf(statement);
    const text = String(statement)
      .split('\n')
      .map((line) => line.trimEnd())
      .join('\n');
    return `-- ${name}${preparedName ? ` (named prepared statement "${preparedName}")` : ''}\n${text};\n`;
  });
  return `-- The statements of ${source}, written by \`npm run sql:write\`: do not edit.\n\n${parts.join('\n')}`;
}

describe('committed SQL of the stores (sql/)', async () => {
  const stores = storeFiles(join(ROOT, 'src')).sort();
  const expected = new Map<string, string>();
  for (const path of stores) {
    const module = (await import(pathToFileURL(path).href)) as { STATEMENTS?: Statements };
    const file = `${basename(path, '.store.ts')}.sql`;
    const source = relative(ROOT, path);
    if (source in NOT_YET_NAMED) {
      it(`${source} is still on the list of stores without named statements (take it off once it exports STATEMENTS)`, () => {
        expect(module.STATEMENTS).toBeUndefined();
      });
      continue;
    }
    if (!module.STATEMENTS)
      throw new Error(`${source} exports no STATEMENTS: name its statements (or list it in NOT_YET_NAMED with a reason)`);
    if (expected.has(file)) throw new Error(`two stores would write sql/${file}`);
    expected.set(file, render(source, module.STATEMENTS));
  }

  if (write) {
    rmSync(SQL_DIR, { recursive: true, force: true });
    mkdirSync(SQL_DIR, { recursive: true });
    for (const [file, text] of expected) writeFileSync(join(SQL_DIR, file), text);
  }

  it('every store has its file, and no file is left of a store that is gone', () => {
    const committed = readdirSync(SQL_DIR, { withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => entry.name);
    expect(committed.sort()).toEqual([...expected.keys()].sort());
  });

  for (const [file, text] of expected) {
    it(`sql/${file} is what the code runs (run \`npm run sql:write\` after changing a statement)`, () => {
      expect(readFileSync(join(SQL_DIR, file), 'utf8')).toBe(text);
    });
  }
});
