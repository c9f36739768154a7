import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/app-config.js';
import { migrationDataSource, runMigrations } from '../src/platform/database/data-source.js';
import { MIGRATIONS } from '../migrations/index.js';
import { createDatabase, databaseUrl, dropDatabase } from './support/databases.js';
import { TEST_ENV } from './support/test-env.js';

async function schemaOf(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns
       WHERE table_schema = 'public' ORDER BY table_name, column_name`,
    );
    const indexes = await client.query(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname`);
    return JSON.stringify({ columns: rows, indexes: indexes.rows });
  } finally {
    await client.end();
  }
}

describe('schema migrations', () => {
  const name = `gcp_t_mig_${randomBytes(4).toString('hex')}`;
  afterAll(() => dropDatabase(name));

  it('apply to an empty database, and a second run changes nothing', async () => {
    await createDatabase(name);
    const url = databaseUrl(name);
    const dataSource = migrationDataSource(loadConfig({ ...TEST_ENV, DATABASE_URL: url }));
    await dataSource.initialize();
    try {
      const first = await runMigrations(dataSource);
      expect(first).toEqual(MIGRATIONS.map((migration) => migration.name));
      const schema = await schemaOf(url);
      expect(schema).toContain('audit_events');
      const second = await runMigrations(dataSource);
      expect(second).toEqual([]);
      expect(await schemaOf(url)).toBe(schema);
    } finally {
      await dataSource.destroy();
    }
  });

  it('every migration can be reverted, back to an empty schema', async () => {
    const url = databaseUrl(name);
    const dataSource = migrationDataSource(loadConfig({ ...TEST_ENV, DATABASE_URL: url }));
    await dataSource.initialize();
    try {
      for (let i = 0; i < MIGRATIONS.length; i++) await dataSource.undoLastMigration({ transaction: 'each' });
      const remaining = await dataSource.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'schema_migrations'`,
      );
      expect(remaining).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });
});
