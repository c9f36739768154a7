import { FleetCountsStore } from './fleet-counts.store.js';
import { TenantCountsStore } from './tenant-counts.store.js';
import { FleetMetrics } from './fleet-metrics.js';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { jwtStrategyOptions } from '../platform/auth/jwt-options.js';
import { GATEWAY_AUTHENTICATOR, GATEWAY_TOKEN_AUTHENTICATOR, JwtAuthenticator } from '../platform/auth/passport-jwt.js';
import { Audience } from '../platform/auth/principal.js';
import { ProfilesModule } from '../profiles/profiles.module.js';
import { DeregistrationService } from './deregistration.service.js';
import { GatewayCredentials } from './gateway-credentials.service.js';
import { GatewayLiveState } from './gateway-live-state.js';
import { GatewayNodeEntity } from './gateway-node.entity.js';
import { GatewayStatusWriter } from './gateway-status-writer.service.js';
import { GatewayEntity } from './gateway.entity.js';
import { GatewayProfileResolver, GatewayStatusChangeRelationsResolver, ProfileGatewaysResolver } from './gateway-relations.resolver.js';
import { GatewayReadsStore } from './gateway-reads.store.js';
import { GatewaysQueryService } from './gateways-query.service.js';
import { GatewaysController } from './gateways.controller.js';
import { GatewaysResolver } from './gateways.resolver.js';
import { HeartbeatService } from './heartbeat.service.js';
import { LivenessProcessor } from './liveness.processor.js';
import { LivenessService } from './liveness.service.js';
import { NodeInventory } from './node-inventory.service.js';
import { NodeReportWriter } from './node-report-writer.service.js';
import { NodeRemovalService } from './node-removal.service.js';
import { RegistrationAttempts } from './registration-attempts.js';
import { RegistrationService } from './registration.service.js';
import { ReplacementService } from './replacement.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([GatewayEntity, GatewayNodeEntity]), ProfilesModule],
  controllers: [GatewaysController],
  providers: [
    FleetCountsStore,
    TenantCountsStore,
    FleetMetrics,
    GatewayLiveState,
    GatewayCredentials,
    GatewayStatusWriter,
    NodeInventory,
    NodeReportWriter,
    RegistrationAttempts,
    RegistrationService,
    HeartbeatService,
    DeregistrationService,
    NodeRemovalService,
    LivenessService,
    LivenessProcessor,
    GatewayReadsStore,
    GatewaysQueryService,
    ProfileGatewaysResolver,
    GatewayProfileResolver,
    GatewayStatusChangeRelationsResolver,
    GatewaysResolver,
    ReplacementService,
    {
      // passport-jwt for the gateway protocol: audience `gateway` only, so user tokens are refused.
      provide: GATEWAY_AUTHENTICATOR,
      inject: [APP_CONFIG, GatewayCredentials],
      useFactory: (config: AppConfig, credentials: GatewayCredentials) =>
        new JwtAuthenticator(jwtStrategyOptions(config, Audience.GATEWAY), (payload) => credentials.principalFor(payload)),
    },
    {
      provide: GATEWAY_TOKEN_AUTHENTICATOR,
      inject: [APP_CONFIG, GatewayCredentials],
      useFactory: (config: AppConfig, credentials: GatewayCredentials) =>
        // The principal is the token's claims only: remembered with the verified token.
        new JwtAuthenticator(jwtStrategyOptions(config, Audience.GATEWAY), async (payload) => credentials.principalOfToken(payload), {
          principalFromTokenOnly: true,
        }),
    },
  ],
  exports: [
    GATEWAY_AUTHENTICATOR,
    GATEWAY_TOKEN_AUTHENTICATOR,
    GatewayLiveState,
    GatewayCredentials,
    HeartbeatService,
    LivenessService,
    DeregistrationService,
    GatewaysQueryService,
    RegistrationService,
  ],
})
export class GatewaysModule {}
