import { Global, Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { connectWithRetry } from './connect-retry.js';
import { dataSourceOptions, runMigrations } from './data-source.js';

/**
 * Postgres through TypeORM. The schema comes only from the migrations in migrations/, which
 * every process applies at start under an advisory lock (so many processes can start at once).
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      // Retries are ours (connectWithRetry, with back-off and a deadline), not the module's.
      useFactory: (config: AppConfig) => ({
        ...dataSourceOptions(config),
        autoLoadEntities: true,
        toRetry: () => false,
        startupConnectTimeoutSeconds: config.startupConnectTimeoutSeconds,
      }),
      dataSourceFactory: async (options) => {
        const { startupConnectTimeoutSeconds, ...dataSourceOptions } = options as typeof options & { startupConnectTimeoutSeconds: number };
        const dataSource = await connectWithRetry('Postgres', startupConnectTimeoutSeconds, () =>
          new DataSource(dataSourceOptions).initialize(),
        );
        const applied = await runMigrations(dataSource);
        if (applied.length) new Logger('Database').log(`applied migrations: ${applied.join(', ')}`);
        return dataSource;
      },
    }),
  ],
})
export class DatabaseModule {}
