import { Inject, Injectable } from '@nestjs/common';
import { JobHandler } from '../platform/queues/job-handler.decorator.js';
import type { JobPayloads } from '../platform/queues/job-catalog.js';
import { ValidationsService } from './validations.service.js';

/** The validations queue: each look at a running validation's gateway, and the sweep that re-queues lost looks. */
@Injectable()
export class ValidationsProcessor {
  constructor(@Inject(ValidationsService) private readonly validations: ValidationsService) {}

  @JobHandler('validations.tick')
  async tick({ runId, tick }: JobPayloads['validations.tick']): Promise<void> {
    await this.validations.tick(runId, tick);
  }

  @JobHandler('validations.sweep')
  async sweep(): Promise<number> {
    return this.validations.sweep();
  }
}
