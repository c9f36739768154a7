import type { Command } from 'commander';
import type { Schemas } from '@gateway-control-plane/sdk';
import { collect, context, EXIT, jsonArgument, pairs, positiveInt } from '../context.js';
import { bulkTally, followBulk, followCommand } from '../follow.js';
import { printList, printObject, type Column } from '../output.js';

type CommandType = Schemas['QueueCommandRequest']['type'];
const TYPES = 'RESTART_APP, UPGRADE_FIRMWARE, RUN_DISCOVERY, APPLY_CONFIGURATION, COLLECT_LOGS, PING, APPLY_PING_MONITORS or STOP_NODE';

const COLUMNS: Column<Schemas['Command']>[] = [
  ['ID', (c) => c.id],
  ['TYPE', (c) => c.type],
  ['STATE', (c) => c.state],
  ['SEQ', (c) => c.sequence],
  ['PROGRESS', (c) => (c.progressPercent === null ? null : `${c.progressPercent}%`)],
  ['GATEWAY', (c) => c.gatewayId],
  ['UPDATED', (c) => c.updatedAt],
];
const DETAIL: Column<Schemas['Command']>[] = [
  ...COLUMNS,
  ['PARAMETERS', (c) => c.parameters],
  ['MESSAGE', (c) => c.message],
  ['ERROR', (c) => c.errorCode],
  ['RESULT', (c) => c.result],
];
const BULK_COLUMNS: Column<Schemas['BulkCommand']>[] = [
  ['ID', (b) => b.id],
  ['TYPE', (b) => b.type],
  ['STATE', (b) => b.state],
  ['TARGETS', (b) => b.targets],
  ['SUCCEEDED', (b) => bulkTally(b).succeeded],
  ['FAILED', (b) => bulkTally(b).failed],
  ['SKIPPED', (b) => bulkTally(b).skipped],
  ['STOP REASON', (b) => b.stopReason],
];

interface ParameterOptions {
  param?: string[];
  parameters?: string;
}
async function parametersOf(options: ParameterOptions): Promise<Record<string, unknown> | undefined> {
  const given = { ...(options.parameters ? await jsonArgument(options.parameters, '--parameters') : {}), ...pairs(options.param) };
  return Object.keys(given).length ? given : undefined;
}

const interval = (value: string) => positiveInt(value);

export function registerCommands(program: Command): void {
  const commands = program.command('commands').description('Commands to one gateway');

  commands
    .command('queue')
    .description("Queue a command at the end of a gateway's queue (a disconnected gateway's waits)")
    .argument('<gatewayId>')
    .argument('<type>', TYPES)
    .option('--param <key=value>', 'a parameter (repeatable; JSON values are parsed)', collect)
    .option('--parameters <json>', 'all parameters, inline JSON or @file.json')
    .option('--timeout <seconds>', 'how long it may run once started', positiveInt)
    .option('--deliver-by <time>', 'ISO time after which it expires undelivered')
    .option('--follow', 'then follow it until it ends')
    .option('--interval <ms>', 'how often --follow asks', interval, 1000)
    .action(
      async (
        gatewayId: string,
        type: string,
        options: ParameterOptions & { timeout?: number; deliverBy?: string; follow?: boolean; interval: number },
        command: Command,
      ) => {
        const ctx = await context(command);
        const parameters = await parametersOf(options);
        const queued = await ctx.client.ok(
          ctx.client.api.POST('/api/v1/tenants/{tenantId}/gateways/{gatewayId}/commands', {
            params: { path: { tenantId: ctx.tenantId, gatewayId } },
            body: {
              type: type.toUpperCase() as CommandType,
              ...(parameters ? { parameters } : {}),
              ...(options.timeout ? { timeoutSeconds: options.timeout } : {}),
              ...(options.deliverBy ? { deliverBy: options.deliverBy } : {}),
            },
          }),
        );
        if (!options.follow) return printObject(ctx.output, queued, DETAIL);
        process.stderr.write(`queued ${queued.id}\n`);
        const ended = await followCommand(ctx, queued.id, options.interval);
        printObject(ctx.output, ended, DETAIL);
        if (ended.state !== 'SUCCEEDED') process.exitCode = EXIT.UNSUCCESSFUL;
      },
    );

  commands
    .command('follow')
    .description("Show a command's progress until it ends (exit 0 when SUCCEEDED, 3 otherwise)")
    .argument('<commandId>')
    .option('--interval <ms>', 'how often to ask', interval, 1000)
    .action(async (commandId: string, options: { interval: number }, command: Command) => {
      const ctx = await context(command);
      const ended = await followCommand(ctx, commandId, options.interval);
      printObject(ctx.output, ended, DETAIL);
      if (ended.state !== 'SUCCEEDED') process.exitCode = EXIT.UNSUCCESSFUL;
    });

  commands
    .command('show')
    .description('One command with its result')
    .argument('<commandId>')
    .action(async (commandId: string, _options: object, command: Command) => {
      const ctx = await context(command);
      const found = await ctx.client.ok(
        ctx.client.api.GET('/api/v1/tenants/{tenantId}/commands/{commandId}', { params: { path: { tenantId: ctx.tenantId, commandId } } }),
      );
      printObject(ctx.output, found, DETAIL);
    });

  commands
    .command('list')
    .description("A gateway's commands, newest first")
    .argument('<gatewayId>')
    .option('--limit <n>', 'at most this many', positiveInt, 50)
    .action(async (gatewayId: string, options: { limit: number }, command: Command) => {
      const ctx = await context(command);
      const rows: Schemas['Command'][] = [];
      for await (const found of ctx.client.pages('/api/v1/tenants/{tenantId}/gateways/{gatewayId}/commands', {
        path: { tenantId: ctx.tenantId, gatewayId },
        query: {},
      })) {
        rows.push(found);
        if (rows.length >= options.limit) break;
      }
      printList(ctx.output, rows, COLUMNS);
    });

  commands
    .command('cancel')
    .description('Cancel a command that has not ended')
    .argument('<commandId>')
    .action(async (commandId: string, _options: object, command: Command) => {
      const ctx = await context(command);
      const cancelled = await ctx.client.ok(
        ctx.client.api.POST('/api/v1/tenants/{tenantId}/commands/{commandId}/cancel', {
          params: { path: { tenantId: ctx.tenantId, commandId } },
        }),
      );
      printObject(ctx.output, cancelled, DETAIL);
    });

  const bulk = program.command('bulk').description('One command to many gateways');

  bulk
    .command('create')
    .description('A bulk command to gateways, every active gateway of profiles, and/or those a selector matches when it starts')
    .argument('<type>', TYPES)
    .option('--gateway <id>', 'a target gateway (repeatable)', collect)
    .option('--profile <id>', "a profile's active gateway (repeatable)", collect)
    .option('-l, --selector <selector>', "every active gateway whose profile's labels match: site=paris,env!=lab")
    .option('--status <status>', 'with --selector: gateways in this status (repeatable: REGISTERED, CONNECTED, DISCONNECTED)', collect)
    .option('--health <health>', 'with --selector: gateways of this health (repeatable: HEALTHY, DEGRADED, DOWN)', collect)
    .option('--type <type>', 'with --selector: CLASSIC or CLUSTER gateways')
    .option('--skip-offline', 'leave out the targets that are not CONNECTED when it starts (counted as skipped)')
    .option('--param <key=value>', 'a parameter (repeatable)', collect)
    .option('--parameters <json>', 'all parameters, inline JSON or @file.json')
    .option('--max-concurrency <n>', 'at most this many running at once', positiveInt)
    .option('--max-errors <n|%>', 'stop after this many failures (a number or a percentage)')
    .option('--timeout <seconds>', "each command's run time", positiveInt)
    .option('--follow', 'then follow it until it ends')
    .option('--interval <ms>', 'how often --follow asks', interval, 1000)
    .action(
      async (
        type: string,
        options: ParameterOptions & {
          gateway?: string[];
          profile?: string[];
          selector?: string;
          status?: string[];
          health?: string[];
          type?: string;
          skipOffline?: boolean;
          maxConcurrency?: number;
          maxErrors?: string;
          timeout?: number;
          follow?: boolean;
          interval: number;
        },
        command: Command,
      ) => {
        const ctx = await context(command);
        const parameters = await parametersOf(options);
        const selector: Schemas['BulkSelector'] = {
          ...(options.selector ? { labelSelector: options.selector } : {}),
          ...(options.status ? { status: options.status.map((s) => s.toUpperCase()) as Schemas['BulkSelector']['status'] } : {}),
          ...(options.health ? { health: options.health.map((h) => h.toUpperCase()) as Schemas['BulkSelector']['health'] } : {}),
          ...(options.type ? { gatewayType: options.type.toUpperCase() as Schemas['BulkSelector']['gatewayType'] } : {}),
        };
        const created = await ctx.client.ok(
          ctx.client.api.POST('/api/v1/tenants/{tenantId}/bulk-commands', {
            params: { path: { tenantId: ctx.tenantId } },
            body: {
              type: type.toUpperCase() as CommandType,
              targets: {
                ...(options.gateway ? { gatewayIds: options.gateway } : {}),
                ...(options.profile ? { profileIds: options.profile } : {}),
                ...(Object.keys(selector).length ? { selector } : {}),
              },
              ...(options.skipOffline ? { skipOffline: true } : {}),
              ...(parameters ? { parameters } : {}),
              ...(options.maxConcurrency ? { maxConcurrency: options.maxConcurrency } : {}),
              ...(options.maxErrors ? { maxErrors: options.maxErrors } : {}),
              ...(options.timeout ? { timeoutSeconds: options.timeout } : {}),
            },
          }),
        );
        if (!options.follow) return printObject(ctx.output, created, BULK_COLUMNS);
        process.stderr.write(`created ${created.id}\n`);
        await finishBulk(ctx, created.id, options.interval);
      },
    );

  bulk
    .command('follow')
    .description('A progress bar until the bulk command ends (exit 0 when every target succeeded, 3 otherwise)')
    .argument('<bulkId>')
    .option('--interval <ms>', 'how often to ask', interval, 1000)
    .action(async (bulkId: string, options: { interval: number }, command: Command) =>
      finishBulk(await context(command), bulkId, options.interval),
    );

  bulk
    .command('show')
    .description('One bulk command, its targets counted by state')
    .argument('<bulkId>')
    .action(async (bulkId: string, _options: object, command: Command) => {
      const ctx = await context(command);
      const found = await ctx.client.ok(
        ctx.client.api.GET('/api/v1/tenants/{tenantId}/bulk-commands/{bulkId}', { params: { path: { tenantId: ctx.tenantId, bulkId } } }),
      );
      printObject(ctx.output, found, [...BULK_COLUMNS, ['COUNTS', (b) => b.counts.map((c) => `${c.key}=${c.count}`).join(' ')]]);
    });
}

async function finishBulk(ctx: Awaited<ReturnType<typeof context>>, bulkId: string, intervalMs: number): Promise<void> {
  const ended = await followBulk(ctx, bulkId, intervalMs);
  printObject(ctx.output, ended, BULK_COLUMNS);
  const tally = bulkTally(ended);
  if (ended.state !== 'COMPLETED' || tally.failed > 0) process.exitCode = EXIT.UNSUCCESSFUL;
}
