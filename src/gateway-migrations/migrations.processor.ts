import { Inject, Injectable } from '@nestjs/common';
import { JobHandler } from '../platform/queues/job-handler.decorator.js';
import type { JobPayloads } from '../platform/queues/job-catalog.js';
import { MigrationWorkflow } from './migration-workflow.service.js';

/** The migrations queue: each step of each migration is a job; the workflow holds the rules. */
@Injectable()
export class MigrationsProcessor {
  constructor(@Inject(MigrationWorkflow) private readonly workflow: MigrationWorkflow) {}

  @JobHandler('migrations.advance')
  async advance({ migrationId }: JobPayloads['migrations.advance']): Promise<void> {
    await this.workflow.advance(migrationId);
  }

  @JobHandler('migrations.deadline')
  async deadline({ migrationId }: JobPayloads['migrations.deadline']): Promise<boolean> {
    return this.workflow.deadlinePassed(migrationId);
  }

  @JobHandler('migrations.sweep')
  async sweep(): Promise<number> {
    return this.workflow.sweep();
  }
}
