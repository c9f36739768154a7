import type { Schemas } from '@gateway-control-plane/sdk';
import type { Context } from './context.js';
import { bar, Progress } from './output.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const COMMAND_ENDS = new Set(['SUCCEEDED', 'FAILED', 'EXPIRED', 'TIMED_OUT', 'CANCELLED', 'ABORTED']);
export const MIGRATION_ENDS = new Set(['COMPLETED', 'FAILED', 'ROLLED_BACK']);

/** Polls a command until it ends, its state and progress on stderr. */
export async function followCommand(ctx: Context, commandId: string, intervalMs: number): Promise<Schemas['Command']> {
  const progress = new Progress();
  for (;;) {
    const command = await ctx.client.ok(
      ctx.client.api.GET('/api/v1/tenants/{tenantId}/commands/{commandId}', { params: { path: { tenantId: ctx.tenantId, commandId } } }),
    );
    const percent = command.progressPercent ?? (command.state === 'SUCCEEDED' ? 100 : 0);
    progress.update(
      `${command.type} ${command.state.padEnd(12)} ${bar(percent, 100, 20)}%${command.message ? `  ${command.message}` : ''}`,
    );
    if (COMMAND_ENDS.has(command.state)) {
      progress.end();
      return command;
    }
    await sleep(intervalMs);
  }
}

/** A bulk command's targets by outcome. */
export function bulkTally(bulk: Schemas['BulkCommand']) {
  const count = (...keys: string[]) => bulk.counts.filter((c) => keys.includes(c.key)).reduce((sum, c) => sum + c.count, 0);
  const succeeded = count('SUCCEEDED');
  const failed = count('FAILED', 'EXPIRED', 'TIMED_OUT', 'ABORTED');
  // Targets that never ran: left out by the selector's skipOffline, or not started when it stopped.
  const skipped = count('SKIPPED', 'CANCELLED');
  return { succeeded, failed, skipped, done: succeeded + failed + skipped, total: bulk.targets };
}

/** Polls a bulk command until it is no longer RUNNING: a bar with succeeded / failed / skipped. */
export async function followBulk(ctx: Context, bulkId: string, intervalMs: number): Promise<Schemas['BulkCommand']> {
  const progress = new Progress();
  for (;;) {
    const bulk = await ctx.client.ok(
      ctx.client.api.GET('/api/v1/tenants/{tenantId}/bulk-commands/{bulkId}', { params: { path: { tenantId: ctx.tenantId, bulkId } } }),
    );
    const t = bulkTally(bulk);
    progress.update(`${bar(t.done, t.total)}  succeeded ${t.succeeded}  failed ${t.failed}  skipped ${t.skipped}  ${bulk.state}`);
    if (bulk.state !== 'RUNNING') {
      progress.end();
      return bulk;
    }
    await sleep(intervalMs);
  }
}

/** Polls a migration until it ends: its state and steps. */
export async function followMigration(
  ctx: Context,
  migrationId: string,
  intervalMs: number,
  tokenShown = false,
): Promise<Schemas['Migration']> {
  const progress = new Progress();
  for (;;) {
    const migration = await ctx.client.ok(
      ctx.client.api.GET('/api/v1/tenants/{tenantId}/migrations/{migrationId}', {
        params: { path: { tenantId: ctx.tenantId, migrationId } },
      }),
    );
    if (migration.activationToken && !tokenShown) {
      tokenShown = true;
      progress.update(
        `the new gateway registers with activation token ${migration.activationToken.token} (until ${migration.activationToken.expiresAt})`,
      );
    }
    progress.update(`${migration.direction} ${migration.state}${migration.failureReason ? `: ${migration.failureReason}` : ''}`);
    if (MIGRATION_ENDS.has(migration.state)) {
      progress.end();
      return migration;
    }
    await sleep(intervalMs);
  }
}
