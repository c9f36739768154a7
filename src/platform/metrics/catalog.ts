import { Counter, Gauge, Histogram } from 'prom-client';
import { DomainError } from '../errors/domain-error.js';
import { ScrapedGauge } from './scraped-gauge.js';

/**
 * Every metric of our own, in one place (process defaults come from prom-client). Labels are kept
 * few and bounded: statuses, types, states, queues, error codes, route templates; never a
 * gateway, command, tenant or other id. Dashboards (deploy/grafana) and alert rules
 * (deploy/prometheus) use these names; test/operability-metrics.e2e-spec.ts checks that each name
 * they use is exported.
 *
 * Gauges whose value lives in Postgres or Redis (the fleet, queue depths, the outbox) are read in
 * metrics-collectors.ts when Prometheus scrapes; the fleet's counts are maintained by triggers,
 * not counted then (see migrations/1796050000000-gateway-fleet-counts.ts).
 */

const latencyBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

export const Metrics = {
  heartbeats: new Counter({
    name: 'gcp_heartbeats_total',
    help: 'Heartbeats received, by outcome: ok, stale (old or repeated), rejected (4xx: bad body, unknown or de-registered gateway), error (5xx)',
    labelNames: ['outcome'] as const,
  }),
  statusTransitions: new Counter({
    name: 'gcp_gateway_status_transitions_total',
    help: 'Gateway status changes (from, to), counted by the outbox relay as it publishes them',
    labelNames: ['from', 'to'] as const,
  }),
  registrations: new Counter({
    name: 'gcp_gateway_registrations_total',
    help: 'Successful gateway registrations, by gateway type (retries of a registration that already succeeded included)',
    labelNames: ['type'] as const,
  }),
  registrationFailures: new Counter({
    name: 'gcp_gateway_registration_failures_total',
    help: 'Refused gateway registrations, by error code',
    labelNames: ['code'] as const,
  }),
  rateLimitRefusals: new Counter({
    name: 'gcp_rate_limit_refusals_total',
    help: 'Requests refused with 429, by route template',
    labelNames: ['route'] as const,
  }),
  commandsQueued: new Counter({
    name: 'gcp_commands_queued_total',
    help: 'Commands queued, by command type (counted by the outbox relay)',
    labelNames: ['type'] as const,
  }),
  commandsEnded: new Counter({
    name: 'gcp_commands_ended_total',
    help: 'Commands that reached a final state, by command type and state (counted by the outbox relay)',
    labelNames: ['type', 'state'] as const,
  }),
  commandQueueToDelivery: new Histogram({
    name: 'gcp_command_queue_to_delivery_seconds',
    help: 'From a command being queued to its (first) hand-out to the gateway',
    labelNames: ['type'] as const,
    buckets: latencyBuckets,
  }),
  commandDeliveryToEnd: new Histogram({
    name: 'gcp_command_delivery_to_end_seconds',
    help: "From a command's hand-out to its final state, by final state",
    labelNames: ['type', 'state'] as const,
    buckets: latencyBuckets,
  }),
  migrationSteps: new Histogram({
    name: 'gcp_migration_step_duration_seconds',
    help: 'Time a migration spent before reaching each state (the step that led to it)',
    labelNames: ['step'] as const,
    buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600, 86_400],
  }),
  migrationFailures: new Counter({
    name: 'gcp_migration_failures_total',
    help: 'Migrations that failed, by the state they failed in',
    labelNames: ['step'] as const,
  }),
  outboxRelayed: new Counter({
    name: 'gcp_outbox_events_relayed_total',
    help: 'Outgoing events published by the outbox relay, by topic',
    labelNames: ['topic'] as const,
  }),
  outboxRelayDelay: new Histogram({
    name: 'gcp_outbox_relay_delay_seconds',
    help: 'From an outgoing event being committed to its publication by the relay',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  }),
  subscriptionsOpen: new Gauge({
    name: 'gcp_graphql_subscriptions_open',
    help: 'GraphQL subscriptions open on this process, by topic',
    labelNames: ['topic'] as const,
  }),
  longPollsHeld: new Gauge({
    name: 'gcp_long_polls_held',
    help: 'Gateway long polls (GET /gateway/v1/commands with wait) being held open on this process',
  }),
  redisCommands: new Histogram({
    name: 'gcp_redis_command_duration_seconds',
    help: "Round trip of commands on the shared Redis connection (the hot path's), from send to reply",
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1],
  }),
  jobsProcessed: new Counter({
    name: 'gcp_jobs_processed_total',
    help: 'Background jobs run, by queue, job type and outcome',
    labelNames: ['queue', 'job', 'outcome'] as const,
  }),
  jobDuration: new Histogram({
    name: 'gcp_job_duration_seconds',
    help: 'How long background jobs ran on this process, by queue and job type (the sum per second is what a periodic job costs)',
    labelNames: ['queue', 'job'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  }),
};

/** Gauges read when scraped (see scraped-gauge.ts); the domain that owns the data provides each. */
export const ScrapedMetrics = {
  gateways: new ScrapedGauge({
    name: 'gcp_gateways',
    help: 'Gateways by status, health and type (every process reports the same deployment-wide counts: aggregate with max)',
    labelNames: ['status', 'health', 'type'] as const,
  }),
  bulkCommandsInProgress: new ScrapedGauge({
    name: 'gcp_bulk_commands_in_progress',
    help: 'Bulk commands still fanning out (RUNNING), deployment-wide',
  }),
  queueJobs: new ScrapedGauge({
    name: 'gcp_queue_jobs',
    help: 'BullMQ jobs by queue and state (waiting, active, delayed, failed), deployment-wide',
    labelNames: ['queue', 'state'] as const,
  }),
  outboxBacklog: new ScrapedGauge({
    name: 'gcp_outbox_backlog_events',
    help: 'Outgoing events committed but not yet published by the relay, deployment-wide',
  }),
  outboxLag: new ScrapedGauge({ name: 'gcp_outbox_lag_seconds', help: 'Age of the oldest unpublished outgoing event (0 when none waits)' }),
  dbPool: new ScrapedGauge({
    name: 'gcp_db_pool_connections',
    help: "This process's Postgres pool: total, idle, and waiting (callers queued for a connection)",
    labelNames: ['state'] as const,
  }),
  dependencyUp: new ScrapedGauge({
    name: 'gcp_dependency_up',
    help: 'Whether this process reaches a dependency (postgres, redis) right now: 1 or 0',
    labelNames: ['dependency'] as const,
  }),
};

/** The bounded code of an error, for a label: a DomainError's code, else INTERNAL. */
export const errorCodeOf = (error: unknown): string => (error instanceof DomainError ? error.code : 'INTERNAL');
