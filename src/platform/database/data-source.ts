import { DataSource, type DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../../migrations/index.js';
import type { AppConfig } from '../../config/app-config.js';
import { TypeOrmLogger } from './typeorm-logger.js';

export function dataSourceOptions(config: AppConfig): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.database.url,
    // `synchronize` is off everywhere, tests included: the schema is what the migrations say.
    synchronize: false,
    migrationsRun: false,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    extra: { max: config.database.poolSize, application_name: `gateway-control-plane:${config.role}` },
    logger: new TypeOrmLogger(),
  };
}

/** Arbitrary but fixed: the advisory lock every process takes while it migrates. */
const MIGRATION_LOCK_KEY = 4_127_001;

/** Applies pending migrations once, however many processes start together. Returns their names. */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await runner.release();
  }
}

/** A data source with no entities, for the migration command and tests of the migrations. */
export function migrationDataSource(config: AppConfig): DataSource {
  return new DataSource({ ...dataSourceOptions(config), entities: [] });
}
