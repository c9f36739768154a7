import 'reflect-metadata';
import { ConfigError, loadConfig } from '../src/config/app-config.js';
import { migrationDataSource, runMigrations } from '../src/platform/database/data-source.js';

/** `npm run migration:run`: applies pending migrations (the service also does at start). */
async function main(): Promise<void> {
  const dataSource = migrationDataSource(loadConfig({ JWT_SECRET: 'x'.repeat(32), ...process.env }));
  await dataSource.initialize();
  try {
    const applied = await runMigrations(dataSource);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'the schema is up to date');
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
