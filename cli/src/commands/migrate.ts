import type { Command } from 'commander';
import type { Schemas } from '@gateway-control-plane/sdk';
import { CliError, context, EXIT, positiveInt, type Context } from '../context.js';
import { followMigration } from '../follow.js';
import { printList, printObject, type Column } from '../output.js';

const COLUMNS: Column<Schemas['Migration']>[] = [
  ['ID', (m) => m.id],
  ['PROFILE', (m) => m.profileId],
  ['DIRECTION', (m) => m.direction],
  ['STATE', (m) => m.state],
  ['DEADLINE', (m) => m.deadline],
];
const DETAIL: Column<Schemas['Migration']>[] = [
  ...COLUMNS,
  ['SOURCE', (m) => m.sourceGatewayId],
  ['TARGET', (m) => m.targetGatewayId],
  ['TOKEN', (m) => m.activationToken?.token],
  ['FAILURE', (m) => m.failureReason],
  ['STEPS', (m) => m.steps.map((s) => `${s.step}@${s.at}`).join(', ')],
];

async function finish(ctx: Context, migration: Schemas['Migration'], follow: boolean | undefined, intervalMs: number): Promise<void> {
  if (!follow) return printObject(ctx.output, migration, DETAIL);
  process.stderr.write(`migration ${migration.id}\n`);
  // The token is in the answer to the start (or rollback) only: the new gateway needs it.
  if (migration.activationToken) {
    process.stderr.write(
      `the new gateway registers with activation token ${migration.activationToken.token} (until ${migration.activationToken.expiresAt})\n`,
    );
  }
  const ended = await followMigration(ctx, migration.id, intervalMs, migration.activationToken !== null);
  printObject(ctx.output, ended, DETAIL);
  if (ended.state !== 'COMPLETED') process.exitCode = EXIT.UNSUCCESSFUL;
}

export function registerMigrate(program: Command): void {
  const migrate = program.command('migrate').description("Move a profile's gateway between CLASSIC and CLUSTER");

  migrate
    .command('start')
    .description('Start a migration: the old gateway is de-registered, the new one registers with the migration token')
    .argument('<profileId>')
    .requiredOption('--to <type>', 'CLASSIC or CLUSTER')
    .option('--deadline <seconds>', 'fail it if the new gateway has not registered by then', positiveInt)
    .option('--follow', 'then follow it until it ends')
    .option('--interval <ms>', 'how often --follow asks', positiveInt, 1000)
    .action(async (profileId: string, options: { to: string; deadline?: number; follow?: boolean; interval: number }, command: Command) => {
      const to = options.to.toUpperCase();
      if (to !== 'CLASSIC' && to !== 'CLUSTER') throw new CliError('INVALID_OPTION', `--to must be CLASSIC or CLUSTER, not ${options.to}`);
      const ctx = await context(command);
      const migration = await ctx.client.ok(
        ctx.client.api.POST('/api/v1/tenants/{tenantId}/migrations', {
          params: { path: { tenantId: ctx.tenantId } },
          body: { profileId, targetGatewayType: to, ...(options.deadline ? { deadlineSeconds: options.deadline } : {}) },
        }),
      );
      await finish(ctx, migration, options.follow, options.interval);
    });

  migrate
    .command('follow')
    .description('Follow a migration until it ends (exit 0 when COMPLETED, 3 otherwise)')
    .argument('<migrationId>')
    .option('--interval <ms>', 'how often to ask', positiveInt, 1000)
    .action(async (migrationId: string, options: { interval: number }, command: Command) => {
      const ctx = await context(command);
      const migration = await ctx.client.ok(
        ctx.client.api.GET('/api/v1/tenants/{tenantId}/migrations/{migrationId}', {
          params: { path: { tenantId: ctx.tenantId, migrationId } },
        }),
      );
      await finish(ctx, migration, true, options.interval);
    });

  migrate
    .command('rollback')
    .description('Roll a migration back: a migration the other way, to the original gateway type')
    .argument('<migrationId>')
    .option('--deadline <seconds>', 'for the rollback', positiveInt)
    .option('--follow', 'then follow it until it ends')
    .option('--interval <ms>', 'how often --follow asks', positiveInt, 1000)
    .action(async (migrationId: string, options: { deadline?: number; follow?: boolean; interval: number }, command: Command) => {
      const ctx = await context(command);
      const rollback = await ctx.client.ok(
        ctx.client.api.POST('/api/v1/tenants/{tenantId}/migrations/{migrationId}/rollback', {
          params: { path: { tenantId: ctx.tenantId, migrationId } },
          body: options.deadline ? { deadlineSeconds: options.deadline } : {},
        }),
      );
      await finish(ctx, rollback, options.follow, options.interval);
    });

  migrate
    .command('list')
    .description("The tenant's migrations")
    .option('--profile <profileId>', "one profile's")
    .action(async (options: { profile?: string }, command: Command) => {
      const ctx = await context(command);
      const rows = await ctx.client.all('/api/v1/tenants/{tenantId}/migrations', {
        path: { tenantId: ctx.tenantId },
        query: options.profile ? { profileId: options.profile } : {},
      });
      printList(ctx.output, rows, COLUMNS);
    });
}
