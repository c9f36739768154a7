import { GatewayTenantResolver, TenantClientsResolver } from './tenant-relations.resolver.js';
import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { jwtStrategyOptions } from '../platform/auth/jwt-options.js';
import { JwtAuthenticator, MANAGEMENT_AUTHENTICATOR } from '../platform/auth/passport-jwt.js';
import { Audience, PRINCIPAL_VERIFIER } from '../platform/auth/principal.js';
import { TENANT_ACCESS } from '../platform/auth/tenant-scope.js';
import { AccessCache } from './access-cache.js';
import { ApiClientPrincipals } from './api-client-principals.service.js';
import { ApiClientEntity } from './api-client.entity.js';
import { ApiClientsController } from './api-clients.controller.js';
import { ApiClientsResolver } from './api-clients.resolver.js';
import { ApiClientsService } from './api-clients.service.js';
import { BootstrapService } from './bootstrap.service.js';
import { OAuthController } from './oauth.controller.js';
import { TenantAccessService } from './tenant-access.service.js';
import { TenantQuotas } from './tenant-quotas.js';
import { TenantQuotasStore } from './tenant-quotas.store.js';
import { TenantSuspensions } from './tenant-suspensions.js';
import { TenantEntity } from './tenant.entity.js';
import { TenantsController } from './tenants.controller.js';
import { TenantsResolver } from './tenants.resolver.js';
import { TenantsService } from './tenants.service.js';

/** Global because tenancy is: every feature checks a principal's access to a tenant through it. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([TenantEntity, ApiClientEntity])],
  controllers: [OAuthController, TenantsController, ApiClientsController],
  providers: [
    GatewayTenantResolver,
    TenantClientsResolver,
    TenantsService,
    ApiClientsService,
    TenantAccessService,
    TenantSuspensions,
    TenantQuotas,
    TenantQuotasStore,
    AccessCache,
    ApiClientPrincipals,
    {
      // passport-jwt for the management APIs: audience `management` only, so gateway tokens are refused.
      provide: MANAGEMENT_AUTHENTICATOR,
      inject: [APP_CONFIG, ApiClientPrincipals],
      useFactory: (config: AppConfig, principals: ApiClientPrincipals) =>
        new JwtAuthenticator(jwtStrategyOptions(config, Audience.MANAGEMENT), (payload) => principals.load(payload.sub)),
    },
    BootstrapService,
    TenantsResolver,
    ApiClientsResolver,
    { provide: TENANT_ACCESS, useExisting: TenantAccessService },
    { provide: PRINCIPAL_VERIFIER, useExisting: ApiClientPrincipals },
  ],
  exports: [TENANT_ACCESS, PRINCIPAL_VERIFIER, MANAGEMENT_AUTHENTICATOR, TenantAccessService, TenantSuspensions, TenantQuotas],
})
export class TenantsModule {}
