import { Inject } from '@nestjs/common';
import { StrictValidation } from '../validation/validation.js';
import { Args, Query, Resolver } from '@nestjs/graphql';
import type { TenantScope } from '../auth/tenant-scope.js';
import { GqlTenantScope } from '../graphql/tenant-scope.decorator.js';
import { Connection, TenantPageArgs, toConnection } from '../pagination/page.dto.js';
import { AuditEventView } from './audit-event.view.js';
import { AuditLogService } from './audit-log.service.js';

const AuditEventConnection = Connection(AuditEventView, 'AuditEvent');

@StrictValidation()
@Resolver(() => AuditEventView)
export class AuditEventsResolver {
  constructor(@Inject(AuditLogService) private readonly auditLog: AuditLogService) {}

  @Query(() => AuditEventConnection, { description: 'The audit log of a tenant (default: your own), newest first' })
  async auditEvents(@GqlTenantScope() scope: TenantScope, @Args() page: TenantPageArgs) {
    return toConnection(await this.auditLog.list(scope, { limit: page.first, cursor: page.after }), AuditEventView.of, page.after);
  }
}
