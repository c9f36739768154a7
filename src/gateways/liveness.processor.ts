import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { runsWorkers, type AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { JobHandler } from '../platform/queues/job-handler.decorator.js';
import { LivenessService } from './liveness.service.js';

/** The liveness queue's job face: the rules are in LivenessService. */
@Injectable()
export class LivenessProcessor implements OnApplicationBootstrap {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LivenessService) private readonly liveness: LivenessService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (runsWorkers(this.config)) await this.liveness.reconcile();
  }

  @JobHandler('liveness.sweep')
  sweep(): Promise<{ disconnected: number; confirmed: number }> {
    return this.liveness.sweep();
  }

  @JobHandler('liveness.flush-last-seen')
  flushLastSeen(): Promise<number> {
    return this.liveness.flushLastSeen();
  }

  @JobHandler('liveness.reconcile')
  reconcile(): Promise<number> {
    return this.liveness.reconcile();
  }
}
