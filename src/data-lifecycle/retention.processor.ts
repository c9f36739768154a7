import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { runsWorkers, type AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { JobHandler } from '../platform/queues/job-handler.decorator.js';
import { RetentionService, type RetentionRun } from './retention.service.js';

/** The maintenance queue's retention job; worker processes also make the months ahead at start. */
@Injectable()
export class RetentionProcessor implements OnApplicationBootstrap {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(RetentionService) private readonly retention: RetentionService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (runsWorkers(this.config)) await this.retention.ensurePartitionsAhead();
  }

  /** Its summary is kept with the finished job (the last 24); each batch's time goes to the histogram, not there. */
  @JobHandler('maintenance.retention')
  async run(): Promise<Omit<RetentionRun, 'batchMs'>> {
    const { batchMs: _times, ...summary } = await this.retention.run();
    return summary;
  }
}
