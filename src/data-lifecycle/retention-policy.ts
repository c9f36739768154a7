import type { RetentionConfig } from '../config/app-config.js';

/** The kinds of data the retention job deletes row by row, in the order it visits them. */
export const ROW_KINDS = ['commands', 'bulkCommands', 'migrations', 'gateways', 'activationTokens'] as const;
export type RowKind = (typeof ROW_KINDS)[number];

/** The tables kept as month partitions: retention drops a whole month once all of it is older than the cutoff. */
export const PARTITIONED = [
  { table: 'audit_events', column: 'created_at' },
  { table: 'command_history', column: 'at' },
] as const;
export type PartitionedTable = (typeof PARTITIONED)[number]['table'];

/** Months of partitions kept ready ahead of now, so a write never lands in the default partition. */
export const PARTITIONS_AHEAD_MONTHS = 3;

const DAY_MS = 86_400_000;

/**
 * How long each kind of data is kept, as the cutoff before which it may go. Audit events go by
 * whole months, so they stay until the longest retention any tenant has (its own setting, within
 * the deployment's maximum) has passed for the whole month.
 */
export function cutoffs(
  config: RetentionConfig,
  now: Date,
  longestTenantAuditDays: number | null,
): Record<RowKind | PartitionedTable, Date> {
  const before = (days: number) => new Date(now.getTime() - days * DAY_MS);
  const auditDays = Math.max(config.auditDays, Math.min(longestTenantAuditDays ?? 0, config.auditMaxDays));
  return {
    commands: before(config.commandsDays),
    // a bulk command is kept as long as the commands it made
    bulkCommands: before(config.commandsDays),
    migrations: before(config.migrationsDays),
    gateways: before(config.deregisteredGatewaysDays),
    activationTokens: before(config.activationTokensDays),
    audit_events: before(auditDays),
    command_history: before(config.commandsDays),
  };
}

/** `audit_events_p202611` → the end of November 2026 (UTC): the partition may go once this is before the cutoff. */
export function partitionEnd(name: string): Date | null {
  const match = /_p(\d{4})(\d{2})$/.exec(name);
  if (!match) return null;
  return new Date(Date.UTC(Number(match[1]), Number(match[2]), 1));
}

/** The month partitions of a table that lie wholly before the cutoff (never the default partition). */
export function droppable(partitions: string[], cutoff: Date): string[] {
  return partitions.filter((name) => {
    const end = partitionEnd(name);
    return end !== null && end.getTime() <= cutoff.getTime();
  });
}
