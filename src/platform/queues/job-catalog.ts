import type { JobsOptions } from 'bullmq';

/** One BullMQ queue per kind of work. */
export enum QueueName {
  Liveness = 'liveness',
  Commands = 'commands',
  Migrations = 'migrations',
  Events = 'events',
  Maintenance = 'maintenance',
  Validations = 'validations',
  Webhooks = 'webhooks',
}

/** How many jobs of a queue one worker process runs at once. */
export const QUEUE_CONCURRENCY: Record<QueueName, number> = {
  [QueueName.Liveness]: 1,
  [QueueName.Commands]: 20,
  [QueueName.Migrations]: 5,
  [QueueName.Events]: 5,
  [QueueName.Maintenance]: 1,
  [QueueName.Validations]: 5,
  // One job per endpoint at a time (a Redis lock), each attempt bounded by WEBHOOK_TIMEOUT_MS: a slow
  // endpoint holds one of these, never the others' deliveries.
  [QueueName.Webhooks]: 32,
};

/**
 * Every job type: its payload (ids, never rows), its queue, and its retry, back-off, retention
 * and repetition, all in this one table. Start-up fails when a job type here has no handler or
 * two (see QueueWorkers).
 */
export interface JobPayloads {
  /** Deletes delivered outbox rows and expired idempotency keys. */
  'events.prune': Record<string, never>;
  /** Turns silent gateways DISCONNECTED and confirms pending transitions in Postgres. */
  'liveness.sweep': Record<string, never>;
  /** Writes the last-seen times kept in Redis through to Postgres, in one statement. */
  'liveness.flush-last-seen': Record<string, never>;
  /** Folds the fleet's count changes (written by a trigger) into its counts, for the gcp_gateways gauge. */
  'gateways.fold-counts': Record<string, never>;
  /** Rebuilds Redis state of live gateways that Redis lost, so silence is still noticed. */
  'liveness.reconcile': Record<string, never>;
  /** Every second: the command deadlines that fell due (commands/lifecycle/command-timers.ts), applied if they still apply. */
  'commands.deadlines': Record<string, never>;
  /** A command's pick-up deadline passed: EXPIRED unless it was picked up (jobs of versions before the deadline sets). */
  'commands.deliver-by': { commandId: string };
  /** The n-th delivery of a command was not acknowledged in time: hand it out again, or fail it (as above, older versions' jobs). */
  'commands.redelivery': { commandId: string; delivery: number };
  /** A command's time limit passed: TIMED_OUT unless it ended (as above, older versions' jobs). */
  'commands.time-limit': { commandId: string };
  /** The safety net: deadlines whose delayed job was lost (a crash between commit and enqueue). */
  'commands.sweep': Record<string, never>;
  /** Takes a migration's next step, if it is still where the job expects it. */
  'migrations.advance': { migrationId: string };
  /** A migration's target did not register in time: FAILED. */
  'migrations.deadline': { migrationId: string };
  /** The safety net: re-queues migration steps whose job was lost. */
  'migrations.sweep': Record<string, never>;
  /** A validation's next look at its gateway, if the run is still at that look (`tick`). */
  'validations.tick': { runId: string; tick: number };
  /** The safety net: re-queues the look of watched runs whose job was lost. */
  'validations.sweep': Record<string, never>;
  /** Data lifecycle: month partitions made ahead, expired months dropped, expired rows deleted in small batches. */
  'maintenance.retention': Record<string, never>;
  /** Sends an endpoint's due webhook deliveries, oldest first, one at a time. */
  'webhooks.deliver': { endpointId: string };
  /** The safety net: endpoints with overdue deliveries whose job was lost. */
  'webhooks.sweep': Record<string, never>;
}

export type JobName = keyof JobPayloads;

export interface JobSpec {
  queue: QueueName;
  options: JobsOptions;
  /** Repeatable jobs: run every this many milliseconds, under a deterministic scheduler id. */
  everyMs?: number;
}

const keepBriefly = { removeOnComplete: { count: 100 }, removeOnFail: { count: 1000 } } satisfies JobsOptions;

export const JOB_CATALOG: { [N in JobName]: JobSpec } = {
  'events.prune': {
    queue: QueueName.Events,
    options: { ...keepBriefly, attempts: 3, backoff: { type: 'exponential', delay: 5_000 } },
    everyMs: 60 * 60_000,
  },
  // Every half second: a silent gateway turns DISCONNECTED well within 2 s of its deadline.
  'liveness.sweep': { queue: QueueName.Liveness, options: { removeOnComplete: true, removeOnFail: { count: 100 } }, everyMs: 500 },
  'liveness.flush-last-seen': {
    queue: QueueName.Liveness,
    options: { removeOnComplete: true, removeOnFail: { count: 100 } },
    everyMs: 5_000,
  },
  'gateways.fold-counts': { queue: QueueName.Liveness, options: { removeOnComplete: true, removeOnFail: { count: 100 } }, everyMs: 10_000 },
  'liveness.reconcile': {
    queue: QueueName.Liveness,
    options: { removeOnComplete: true, removeOnFail: { count: 100 } },
    everyMs: 5 * 60_000,
  },
  // Every second: a deadline is applied within about a second of falling due.
  'commands.deadlines': { queue: QueueName.Commands, options: { removeOnComplete: true, removeOnFail: { count: 100 } }, everyMs: 1_000 },
  // Deadlines retry a few times (a database hiccup must not lose one); the sweep catches the rest.
  'commands.deliver-by': {
    queue: QueueName.Commands,
    options: { ...keepBriefly, attempts: 5, backoff: { type: 'exponential', delay: 1_000 } },
  },
  'commands.redelivery': {
    queue: QueueName.Commands,
    options: { ...keepBriefly, attempts: 5, backoff: { type: 'exponential', delay: 1_000 } },
  },
  'commands.time-limit': {
    queue: QueueName.Commands,
    options: { ...keepBriefly, attempts: 5, backoff: { type: 'exponential', delay: 1_000 } },
  },
  'commands.sweep': { queue: QueueName.Commands, options: { removeOnComplete: true, removeOnFail: { count: 100 } }, everyMs: 15_000 },
  // removeOnComplete: a step's deterministic job id must be free again once the step ran.
  'migrations.advance': {
    queue: QueueName.Migrations,
    options: { removeOnComplete: true, removeOnFail: { count: 1000 }, attempts: 10, backoff: { type: 'exponential', delay: 1_000 } },
  },
  'migrations.deadline': {
    queue: QueueName.Migrations,
    options: { ...keepBriefly, attempts: 10, backoff: { type: 'exponential', delay: 1_000 } },
  },
  'migrations.sweep': { queue: QueueName.Migrations, options: { removeOnComplete: true, removeOnFail: { count: 100 } }, everyMs: 10_000 },
  // removeOnComplete: the sweep may re-add a look's deterministic id once it ran without moving the run.
  'validations.tick': {
    queue: QueueName.Validations,
    options: { removeOnComplete: true, removeOnFail: { count: 1000 }, attempts: 5, backoff: { type: 'exponential', delay: 1_000 } },
  },
  'validations.sweep': { queue: QueueName.Validations, options: { removeOnComplete: true, removeOnFail: { count: 100 } }, everyMs: 15_000 },
  // Hourly: each run deletes at most a bounded number of small batches, the next one goes on.
  'maintenance.retention': {
    queue: QueueName.Maintenance,
    options: { removeOnComplete: { count: 24 }, removeOnFail: { count: 100 } },
    everyMs: 60 * 60_000,
  },
  // The job's own retries are for our failures (Postgres, Redis); an endpoint's failures are the deliveries' (docs/webhooks.md).
  'webhooks.deliver': {
    queue: QueueName.Webhooks,
    options: { removeOnComplete: true, removeOnFail: { count: 1000 }, attempts: 3, backoff: { type: 'exponential', delay: 1_000 } },
  },
  'webhooks.sweep': { queue: QueueName.Webhooks, options: { removeOnComplete: true, removeOnFail: { count: 100 } }, everyMs: 5_000 },
};
