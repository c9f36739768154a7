import { Inject, Injectable } from '@nestjs/common';
import { JobHandler } from '../../platform/queues/job-handler.decorator.js';
import type { JobPayloads } from '../../platform/queues/job-catalog.js';
import { BulkProgress } from '../bulk/bulk-progress.service.js';
import { CommandsStore } from '../commands.store.js';
import { CommandTimers } from '../lifecycle/command-timers.js';
import { CommandSystemEvents } from './command-system-events.service.js';

/** Late deadlines are only caught by the sweep if their delayed job is this much overdue. */
const SWEEP_GRACE = '5 seconds';
const SWEEP_BATCH = 500;

/**
 * The commands queue: each deadline's delayed job applies its event if it still applies (the
 * state machine ignores a deadline that was met), and a periodic sweep applies deadlines whose
 * job was lost, raises lost 'commands waiting' flags and advances bulk commands whose advance was lost.
 */
@Injectable()
export class CommandDeadlinesProcessor {
  constructor(
    @Inject(CommandsStore) private readonly store: CommandsStore,
    @Inject(CommandSystemEvents) private readonly systemEvents: CommandSystemEvents,
    @Inject(CommandTimers) private readonly timers: CommandTimers,
    @Inject(BulkProgress) private readonly bulks: BulkProgress,
  ) {}

  @JobHandler('commands.deliver-by')
  async deliverByPassed({ commandId }: JobPayloads['commands.deliver-by']): Promise<boolean> {
    return this.systemEvents.applySystemEvent(commandId, { type: 'DELIVER_BY_PASSED' });
  }

  @JobHandler('commands.redelivery')
  async notAcknowledged({ commandId, delivery }: JobPayloads['commands.redelivery']): Promise<boolean> {
    // Only the delivery this job was set for: a later hand-out has its own job.
    if ((await this.store.deliveriesOf(commandId)) !== delivery) return false;
    return this.systemEvents.applySystemEvent(commandId, { type: 'REDELIVER_TIMEOUT', deliveries: delivery });
  }

  @JobHandler('commands.time-limit')
  async timeLimitPassed({ commandId }: JobPayloads['commands.time-limit']): Promise<boolean> {
    return this.systemEvents.applySystemEvent(commandId, { type: 'TIME_LIMIT_PASSED' });
  }

  @JobHandler('commands.sweep')
  async sweep(): Promise<number> {
    const ackTimeout = `${this.timers.ackTimeoutMs} milliseconds`;
    const overdue = await this.store.overdue(SWEEP_GRACE, ackTimeout, SWEEP_BATCH);
    let applied = 0;
    for (const row of overdue) {
      const done =
        row.kind === 'deliver-by'
          ? await this.deliverByPassed({ commandId: row.id })
          : row.kind === 'ack'
            ? await this.notAcknowledged({ commandId: row.id, delivery: row.deliveries })
            : await this.timeLimitPassed({ commandId: row.id });
      if (done) applied += 1;
    }
    await this.systemEvents.reflagWaiting(SWEEP_GRACE, SWEEP_BATCH);
    await this.bulks.advanceStale(SWEEP_GRACE, SWEEP_BATCH);
    return applied;
  }
}
