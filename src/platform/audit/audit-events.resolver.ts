import { Inject } from '@nestjs/common';
import { StrictValidation } from '../validation/validation.js';
import { Args, Query, Resolver } from '@nestjs/graphql';
import { CurrentUser } from '../auth/auth.decorators.js';
import type { UserPrincipal } from '../auth/principal.js';
import { TENANT_ACCESS, type TenantAccess } from '../auth/tenant-scope.js';
import { Connection, TenantPageArgs, toConnection } from '../pagination/page.dto.js';
import { AuditEventView } from './audit-event.view.js';
import { AuditLogService } from './audit-log.service.js';

const AuditEventConnection = Connection(AuditEventView, 'AuditEvent');

@StrictValidation()
@Resolver(() => AuditEventView)
export class AuditEventsResolver {
  constructor(
    @Inject(AuditLogService) private readonly auditLog: AuditLogService,
    @Inject(TENANT_ACCESS) private readonly tenancy: TenantAccess,
  ) {}

  @Query(() => AuditEventConnection, { description: 'The audit log of a tenant (default: your own), newest first' })
  async auditEvents(@CurrentUser() user: UserPrincipal, @Args() page: TenantPageArgs) {
    const scope = await this.tenancy.scope(user, page.tenantId ?? user.tenantId);
    return toConnection(await this.auditLog.list(scope, { limit: page.first, cursor: page.after }), AuditEventView.of, page.after);
  }
}
