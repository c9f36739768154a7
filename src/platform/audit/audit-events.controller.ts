import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TenantScope } from '../auth/auth.decorators.js';
import type { TenantScope as Scope } from '../auth/tenant-scope.js';
import { ManagementApi } from '../http/management-api.decorator.js';
import { mapPage } from '../pagination/cursor.js';
import { RestPage } from '../pagination/page.dto.js';
import { PageQueryDto } from '../pagination/page-query.dto.js';
import { AuditLogService } from './audit-log.service.js';
import { AuditEventView } from './audit-event.view.js';

class AuditEventPage extends RestPage(AuditEventView, 'AuditEventPage') {}

@ApiTags('audit')
@ManagementApi()
@Controller('api/v1/tenants/:tenantId/audit-events')
export class AuditEventsController {
  constructor(@Inject(AuditLogService) private readonly auditLog: AuditLogService) {}

  @Get()
  @ApiOperation({ summary: 'List audit events', description: 'The audit log of a tenant, newest first'})
  @ApiOkResponse({ type: AuditEventPage })
  async list(@TenantScope() scope: Scope, @Query() query: PageQueryDto): Promise<AuditEventPage> {
    return mapPage(await this.auditLog.list(scope, query), AuditEventView.of);
  }
}
