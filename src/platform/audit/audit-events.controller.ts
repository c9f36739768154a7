import { Readable } from 'node:stream';
import { Controller, Get, Inject, Query, StreamableFile } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiProduces, ApiProperty, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { IsISO8601 } from 'class-validator';
import { TenantScope } from '../auth/auth.decorators.js';
import type { TenantScope as Scope } from '../auth/tenant-scope.js';
import { ManagementApi } from '../http/management-api.decorator.js';
import { mapPage } from '../pagination/cursor.js';
import { RestPage } from '../pagination/page.dto.js';
import { PageQueryDto } from '../pagination/page-query.dto.js';
import { AuditLogService } from './audit-log.service.js';
import { AuditEventView } from './audit-event.view.js';

class AuditEventPage extends RestPage(AuditEventView, 'AuditEventPage') {}

/** `?from=&to=` of the audit export: a half-open range of creation times. */
export class AuditExportQueryDto {
  @ApiProperty({ format: 'date-time', description: 'events created at or after this time', example: '2026-01-01T00:00:00Z' })
  @IsISO8601({ strict: true })
  from!: string;

  @ApiProperty({ format: 'date-time', description: 'events created before this time', example: '2026-02-01T00:00:00Z' })
  @IsISO8601({ strict: true })
  to!: string;
}

@ApiTags('audit')
@ApiExtraModels(AuditEventView)
@ManagementApi()
@Controller('api/v1/tenants/:tenantId/audit-events')
export class AuditEventsController {
  constructor(@Inject(AuditLogService) private readonly auditLog: AuditLogService) {}

  @Get()
  @ApiOperation({ summary: 'List audit events', description: 'The audit log of a tenant, newest first' })
  @ApiOkResponse({ type: AuditEventPage })
  async list(@TenantScope() scope: Scope, @Query() query: PageQueryDto): Promise<AuditEventPage> {
    return mapPage(await this.auditLog.list(scope, query), AuditEventView.of);
  }

  @Get('export')
  @ApiOperation({
    summary: 'Every audit event of a tenant in a time range, oldest first, streamed as NDJSON',
    description:
      'One AuditEvent JSON object per line (application/x-ndjson), read from the database in batches while the response is sent, so any range can be exported; keep your own copy before retention removes old months (docs/operations.md).',
  })
  @ApiProduces('application/x-ndjson')
  @ApiOkResponse({
    description: 'one AuditEvent per line',
    content: { 'application/x-ndjson': { schema: { $ref: getSchemaPath(AuditEventView) } } },
  })
  export(@TenantScope() scope: Scope, @Query() query: AuditExportQueryDto): StreamableFile {
    const lines = this.auditLog.export(scope, query);
    return new StreamableFile(Readable.from(lines, { objectMode: false }), {
      type: 'application/x-ndjson',
      disposition: `attachment; filename="audit-events-${scope.tenantId}.ndjson"`,
    });
  }
}
