import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditEventEntity } from './audit-event.entity.js';
import { AuditEventsController } from './audit-events.controller.js';
import { AuditEventsResolver } from './audit-events.resolver.js';
import { AuditExportStore } from './audit-export.store.js';
import { AuditLogService } from './audit-log.service.js';
import { AuditStore } from './audit.store.js';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([AuditEventEntity])],
  controllers: [AuditEventsController],
  providers: [AuditLogService, AuditStore, AuditExportStore, AuditEventsResolver],
})
export class AuditModule {}
