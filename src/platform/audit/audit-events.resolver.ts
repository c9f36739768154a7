import { Inject } from '@nestjs/common';
import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import { CurrentUser } from '../auth/auth.decorators.js';
import type { UserPrincipal } from '../auth/principal.js';
import { TENANT_ACCESS, type TenantAccess } from '../auth/tenant-scope.js';
import { Connection, PageArgs, toConnection } from '../pagination/page.dto.js';
import { AuditEventView } from './audit-event.view.js';
import { AuditLogService } from './audit-log.service.js';

const AuditEventConnection = Connection(AuditEventView, 'AuditEvent');

@Resolver(() => AuditEventView)
export class AuditEventsResolver {
  constructor(
    @Inject(AuditLogService) private readonly auditLog: AuditLogService,
    @Inject(TENANT_ACCESS) private readonly tenancy: TenantAccess,
  ) {}

  @Query(() => AuditEventConnection, { description: 'The audit log of a tenant (default: your own), newest first' })
  async auditEvents(
    @CurrentUser() user: UserPrincipal,
    @Args() page: PageArgs,
    @Args('tenantId', { type: () => ID, nullable: true }) tenantId?: string,
  ) {
    const scope = await this.tenancy.scope(user, tenantId ?? user.tenantId);
    return toConnection(await this.auditLog.list(scope, { limit: page.first, cursor: page.after }), AuditEventView.of);
  }
}
