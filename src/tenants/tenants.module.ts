import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PRINCIPAL_VERIFIER } from '../platform/auth/principal.js';
import { TENANT_ACCESS } from '../platform/auth/tenant-scope.js';
import { ApiClientPrincipals } from './api-client-principals.service.js';
import { ApiClientEntity } from './api-client.entity.js';
import { ApiClientsController } from './api-clients.controller.js';
import { ApiClientsResolver } from './api-clients.resolver.js';
import { ApiClientsService } from './api-clients.service.js';
import { BootstrapService } from './bootstrap.service.js';
import { ManagementJwtStrategy } from './management-jwt.strategy.js';
import { OAuthController } from './oauth.controller.js';
import { TenantAccessService } from './tenant-access.service.js';
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
    TenantsService,
    ApiClientsService,
    TenantAccessService,
    ApiClientPrincipals,
    ManagementJwtStrategy,
    BootstrapService,
    TenantsResolver,
    ApiClientsResolver,
    { provide: TENANT_ACCESS, useExisting: TenantAccessService },
    { provide: PRINCIPAL_VERIFIER, useExisting: ApiClientPrincipals },
  ],
  exports: [TENANT_ACCESS, PRINCIPAL_VERIFIER, TenantAccessService],
})
export class TenantsModule {}
