import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { JobQueue } from '../../platform/queues/job-queue.service.js';

/**
 * A command's deadlines as BullMQ delayed jobs with deterministic ids (a restart or a retry never
 * doubles one). Each handler checks the command's state before acting, so a deadline that was met
 * meanwhile does nothing.
 */
@Injectable()
export class CommandTimers {
  constructor(
    @Inject(JobQueue) private readonly jobs: JobQueue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get ackTimeoutMs(): number {
    return this.config.commands.ackTimeoutSeconds * 1000;
  }

  async deliverBy(commands: { id: string; deliverBy: Date }[]): Promise<void> {
    await this.jobs.addMany(
      'commands.deliver-by',
      commands.map((command) => ({
        payload: { commandId: command.id },
        options: { jobId: `cmd-${command.id}-deliver-by`, delayMs: Math.max(0, command.deliverBy.getTime() - Date.now()) },
      })),
    );
  }

  /** `delayMs`: the time left of the acknowledgement window (a rebuild after Redis lost the job); a full window by default. */
  async redelivery(commands: { id: string; deliveries: number; delayMs?: number }[]): Promise<void> {
    await this.jobs.addMany(
      'commands.redelivery',
      commands.map((command) => ({
        payload: { commandId: command.id, delivery: command.deliveries },
        options: { jobId: `cmd-${command.id}-ack-${command.deliveries}`, delayMs: command.delayMs ?? this.ackTimeoutMs },
      })),
    );
  }

  async timeLimit(command: { id: string; acknowledgedAt: Date; timeoutSeconds: number }): Promise<void> {
    await this.jobs.add(
      'commands.time-limit',
      { commandId: command.id },
      {
        jobId: `cmd-${command.id}-time-limit`,
        delayMs: Math.max(0, command.acknowledgedAt.getTime() + command.timeoutSeconds * 1000 - Date.now()),
      },
    );
  }
}
