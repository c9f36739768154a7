import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { APP_GUARD } from '@nestjs/core';
import { runsApi, type AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { AccessGuard } from './platform/auth/access.guard.js';
import { AuditModule } from './platform/audit/audit.module.js';
import { AuthModule } from './platform/auth/auth.module.js';
import { CryptoModule } from './platform/crypto/crypto.module.js';
import { DatabaseModule } from './platform/database/database.module.js';
import { EventsModule } from './platform/events/events.module.js';
import { GraphQLModule } from './platform/graphql/graphql.module.js';
import { HealthModule } from './platform/health/health.module.js';
import { HttpShutdownModule } from './platform/http/http-shutdown.js';
import { LoggingModule } from './platform/logging/logging.module.js';
import { MetricsModule } from './platform/metrics/metrics.module.js';
import { QueuesModule } from './platform/queues/queues.module.js';
import { ReactionsModule } from './platform/reactions/reactions.js';
import { RedisModule } from './platform/redis/redis.module.js';
import { CommandsModule } from './commands/commands.module.js';
import { DataLifecycleModule } from './data-lifecycle/data-lifecycle.module.js';
import { GatewayMigrationsModule } from './gateway-migrations/gateway-migrations.module.js';
import { GatewayProtocolModule } from './gateway-protocol/gateway-protocol.module.js';
import { GatewaysModule } from './gateways/gateways.module.js';
import { ProfilesModule } from './profiles/profiles.module.js';
import { StoresModule } from './stores.module.js';
import { NodeModule } from './node.resolver.js';
import { TenantsModule } from './tenants/tenants.module.js';
import { ValidationsModule } from './validations/validations.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';

/** Wires the platform and the feature modules; nothing else lives here. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, options: { logger: Logger }): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(options.logger),
        DatabaseModule,
        RedisModule,
        HttpShutdownModule,
        QueuesModule,
        ReactionsModule,
        CryptoModule,
        AuthModule,
        EventsModule,
        AuditModule,
        HealthModule,
        MetricsModule,
        StoresModule,
        TenantsModule,
        ProfilesModule,
        GatewaysModule,
        // Right after GatewaysModule: the protocol routes keep their place in the API description.
        GatewayProtocolModule,
        CommandsModule,
        GatewayMigrationsModule,
        DataLifecycleModule,
        ValidationsModule,
        WebhooksModule,
        // A worker-only process serves no HTTP, so it builds no GraphQL server.
        ...(runsApi(config) ? [GraphQLModule, NodeModule] : []),
      ],
      providers: [{ provide: APP_GUARD, useClass: AccessGuard }],
    };
  }
}
