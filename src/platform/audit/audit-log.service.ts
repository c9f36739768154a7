import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { TenantScope } from '../auth/tenant-scope.js';
import { paginate, type Page, type PageRequest } from '../pagination/cursor.js';
import { AuditEventEntity } from './audit-event.entity.js';

/** Reads the audit log (writing is ChangeRecorder's, inside each change's transaction). */
@Injectable()
export class AuditLogService {
  constructor(@InjectRepository(AuditEventEntity) private readonly events: Repository<AuditEventEntity>) {}

  async list(scope: TenantScope, page: PageRequest): Promise<Page<AuditEventEntity>> {
    const query = this.events.createQueryBuilder('event').where('event.tenant_id = :tenantId', { tenantId: scope.tenantId });
    return paginate(query, page, { alias: 'event', column: 'created_at', property: 'createdAt' });
  }
}
