import { Inject } from '@nestjs/common';
import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { GatewayView } from '../gateways/gateway.view.js';
import { requestLoader } from '../platform/graphql/loaders.js';
import { TenantView } from './tenant.view.js';
import { TenantsService } from './tenants.service.js';
import type { TenantEntity } from './tenant.entity.js';

/** Gateway.tenant: the tenants of every gateway of the answer in one query (a visible gateway's tenant is visible). */
@Resolver(() => GatewayView)
export class GatewayTenantResolver {
  constructor(@Inject(TenantsService) private readonly tenants: TenantsService) {}

  @ResolveField(() => TenantView, { description: 'the tenant it belongs to' })
  async tenant(@Parent() gateway: GatewayView, @Context() context: object): Promise<TenantView> {
    const loader = requestLoader<string, TenantEntity | null>(context, 'tenantById', async (ids) => {
      const found = await this.tenants.getMany(ids);
      return ids.map((id) => found.get(id) ?? null);
    });
    const tenant = await loader.load(gateway.tenantId);
    if (!tenant) throw new Error(`gateway ${gateway.id}: its tenant ${gateway.tenantId} is missing`);
    return TenantView.of(tenant);
  }
}

/** Tenant.clients: the clients of every partner of the answer in one query (a partner's clients are visible to whoever sees it). */
@Resolver(() => TenantView)
export class TenantClientsResolver {
  constructor(@Inject(TenantsService) private readonly tenants: TenantsService) {}

  @ResolveField(() => [TenantView], { description: "a partner's client tenants, newest first (none for a client)" })
  async clients(@Parent() tenant: TenantView, @Context() context: object): Promise<TenantView[]> {
    const loader = requestLoader<string, TenantEntity[]>(context, 'clientsOfTenant', async (ids) => {
      const found = await this.tenants.clientsOf(ids);
      return ids.map((id) => found.get(id) ?? []);
    });
    return (await loader.load(tenant.id)).map(TenantView.of);
  }
}
