import { Inject, Injectable, Logger } from '@nestjs/common';
import { JobHandler } from '../../platform/queues/job-handler.decorator.js';
import type { JobPayloads } from '../../platform/queues/job-catalog.js';
import { loggableError } from '../../platform/errors/loggable-error.js';
import { BulkProgress } from '../bulk/bulk-progress.service.js';
import { next } from '../command-state.js';
import { CommandsStore } from '../commands.store.js';
import { CommandTimers, type DueDeadline } from '../lifecycle/command-timers.js';
import { CommandSystemEvents } from './command-system-events.service.js';

/** Late deadlines are only caught by the sweep if their delayed job is this much overdue. */
const SWEEP_GRACE = '5 seconds';
const SWEEP_BATCH = 500;
/** Deadlines taken from each set per round of `due`: small rounds, each done well within its lease. */
const DUE_BATCH = 100;
/** While a set stays full, `due` goes on with another round for up to this long (the next run goes on after). */
const DUE_RUN_MS = 5_000;
/** A claimed deadline not handled within this (its sweep died, Postgres was down) falls due again. */
const DUE_LEASE_MS = 30_000;
/** Timer events applied at once (each a short locked transaction). */
const APPLY_CONCURRENCY = 10;

/**
 * The commands queue: every second the deadlines that fell due (CommandTimers' sorted sets) are
 * applied if they still apply (the state machine ignores a deadline that was met), and a periodic
 * sweep applies deadlines lost with Redis or a process (from Postgres), raises lost 'commands
 * waiting' flags and advances bulk commands whose advance was lost.
 */
@Injectable()
export class CommandDeadlinesProcessor {
  private readonly logger = new Logger(CommandDeadlinesProcessor.name);
  /** The run of `due` in progress in this process: the job comes every second, and runs may not pile up on the pool. */
  private dueRun: Promise<number> | null = null;

  constructor(
    @Inject(CommandsStore) private readonly store: CommandsStore,
    @Inject(CommandSystemEvents) private readonly systemEvents: CommandSystemEvents,
    @Inject(CommandTimers) private readonly timers: CommandTimers,
    @Inject(BulkProgress) private readonly bulks: BulkProgress,
  ) {}

  /**
   * The deadlines due now: their commands' rows are read in one statement, and only those a
   * deadline still moves are locked and moved (most deadlines were met: the command went on or
   * ended). Answers how many moved.
   */
  @JobHandler('commands.deadlines')
  async due(): Promise<number> {
    // One run at a time per process (a mass expiry makes a run last more than the second between
    // jobs): at most APPLY_CONCURRENCY transactions of deadlines hold pool connections at once.
    if (this.dueRun) return 0;
    this.dueRun = this.dueRounds();
    try {
      return await this.dueRun;
    } finally {
      this.dueRun = null;
    }
  }

  private async dueRounds(): Promise<number> {
    let applied = 0;
    const startedAt = Date.now();
    while (Date.now() - startedAt < DUE_RUN_MS) {
      const sets = await this.timers.claimDue(Date.now(), DUE_BATCH, DUE_LEASE_MS);
      const due = sets.flatMap((set) => set.due);
      if (!due.length) break;
      const rows = await this.store.deadlineStates([...new Set(due.map((deadline) => deadline.commandId))]);
      const moving = due.filter((deadline) => {
        const row = rows.get(deadline.commandId);
        if (!row) return false;
        // Only the delivery the deadline was set for: a later hand-out has its own.
        if (deadline.event.type === 'REDELIVER_TIMEOUT' && row.deliveries !== deadline.event.deliveries) return false;
        return next(row.state, deadline.event).kind === 'MOVED';
      });
      const failed = new Set<string>();
      for (let from = 0; from < moving.length; from += APPLY_CONCURRENCY) {
        await Promise.all(
          moving.slice(from, from + APPLY_CONCURRENCY).map(async (deadline: DueDeadline) => {
            try {
              if (await this.systemEvents.applySystemEvent(deadline.commandId, deadline.event)) applied += 1;
            } catch (error) {
              failed.add(deadline.member);
              this.logger.warn(
                { err: loggableError(error), commandId: deadline.commandId, event: deadline.event.type },
                'a command deadline failed; it falls due again after its lease',
              );
            }
          }),
        );
      }
      await Promise.all(
        sets.map((set) =>
          this.timers.done(
            set.key,
            set.due.filter((deadline) => !failed.has(deadline.member)).map((deadline) => deadline.member),
          ),
        ),
      );
      if (!sets.some((set) => set.full)) break;
    }
    return applied;
  }

  // The three job types below are the delayed jobs of versions before the deadline sets: kept so
  // that jobs such a version enqueued still run after an upgrade. Nothing enqueues them now.

  @JobHandler('commands.deliver-by')
  async deliverByPassed({ commandId }: JobPayloads['commands.deliver-by']): Promise<boolean> {
    return this.systemEvents.applySystemEvent(commandId, { type: 'DELIVER_BY_PASSED' });
  }

  @JobHandler('commands.redelivery')
  async notAcknowledged({ commandId, delivery }: JobPayloads['commands.redelivery']): Promise<boolean> {
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
