import { loadConfig } from '../../src/config/app-config.js';
import { migrationDataSource, runMigrations } from '../../src/platform/database/data-source.js';
import { createDatabase, databaseUrl, dropDatabase, onServer, TEMPLATE_DATABASE } from './databases.js';
import { TEST_ENV } from './test-env.js';

/**
 * Once per run: a template database with every migration applied. Each e2e file then gets its
 * own copy (CREATE DATABASE … TEMPLATE, a few milliseconds), so files never see each other's rows.
 */
export default async function setup(): Promise<() => Promise<void>> {
  if (!process.env.DATABASE_URL && !process.env.TEST_DATABASE_URL) return async () => undefined;
  // Databases left over by a run that was killed.
  const stale = await onServer(async (client) => (await client.query(`SELECT datname FROM pg_database WHERE datname LIKE 'gcp_t_%'`)).rows);
  for (const { datname } of stale) await dropDatabase(datname);
  await dropDatabase(TEMPLATE_DATABASE);
  await createDatabase(TEMPLATE_DATABASE);
  const dataSource = migrationDataSource(loadConfig({ ...TEST_ENV, DATABASE_URL: databaseUrl(TEMPLATE_DATABASE) }));
  await dataSource.initialize();
  await runMigrations(dataSource);
  await dataSource.destroy();
  return async () => {
    await dropDatabase(TEMPLATE_DATABASE);
  };
}
