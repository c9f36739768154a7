import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COMMON_ERRORS, type ErrorCodes } from './domain-error.js';

/**
 * Every error code is defined once, with one HTTP status, in its part's `*.errors.ts` (or
 * domain-error.ts for the platform's), and every DomainError is made there.
 */
const SRC = join(import.meta.dirname, '../..');

function files(dir: string, suffix: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? files(path, suffix) : entry.name.endsWith(suffix) ? [path] : [];
  });
}

describe('error codes', async () => {
  /** Every code table (`*_ERRORS`, code → status) of every errors file, by where it is defined. */
  const tables: [string, ErrorCodes][] = [['platform/errors/domain-error.ts', COMMON_ERRORS]];
  for (const path of files(SRC, '.errors.ts').sort()) {
    const module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(module))
      if (name.endsWith('_ERRORS')) tables.push([`${relative(SRC, path)} ${name}`, value as ErrorCodes]);
  }

  it('every code is defined in one table only, with one status', () => {
    const where = new Map<string, string[]>();
    for (const [table, codes] of tables) for (const code of Object.keys(codes)) where.set(code, [...(where.get(code) ?? []), table]);
    expect([...where].filter(([, tablesOfCode]) => tablesOfCode.length > 1)).toEqual([]);
    expect(where.size).toBeGreaterThan(40);
  });

  it('keeps the gateway protocol contract: GATEWAY_DEREGISTERED is 401; the management API refuses a de-registered gateway with 409 GATEWAY_NOT_ACTIVE', () => {
    const statusOf = (code: string) => tables.find(([, codes]) => code in codes)?.[1][code];
    expect(statusOf('GATEWAY_DEREGISTERED')).toBe(401);
    expect(statusOf('GATEWAY_NOT_ACTIVE')).toBe(409);
    expect(statusOf('MIGRATION_IN_PROGRESS')).toBe(409);
    expect(statusOf('ACCESS_TOKEN_EXPIRED')).toBe(401);
  });

  it('every code is documented in docs/errors.md, with its status', () => {
    const doc = readFileSync(join(SRC, '../docs/errors.md'), 'utf8');
    const rows = doc.split('\n').filter((line) => line.startsWith('| `'));
    const undocumented = tables.flatMap(([, codes]) =>
      Object.entries(codes)
        .filter(([code, status]) => !rows.some((row) => row.includes(`\`${code}\``) && row.includes(String(status))))
        .map(([code, status]) => `${code} ${status}`),
    );
    expect(undocumented).toEqual([]);
  });

  it('no DomainError is made but through a code table (errorOf in domain-error.ts)', () => {
    const outside = files(SRC, '.ts')
      .filter((path) => !path.endsWith('.spec.ts') && !path.endsWith('platform/errors/domain-error.ts'))
      .filter((path) => /new DomainError\(/.test(readFileSync(path, 'utf8')))
      .map((path) => relative(SRC, path));
    expect(outside).toEqual([]);
  });
});
