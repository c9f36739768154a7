import type { Command } from 'commander';
import type { Schemas } from '@gateway-control-plane/sdk';
import { context, jsonArgument, positiveInt } from '../context.js';
import { printList, printObject, type Column } from '../output.js';

const COLUMNS: Column<Schemas['ManagementProfile']>[] = [
  ['ID', (p) => p.id],
  ['NAME', (p) => p.name],
  ['STATUS', (p) => p.status],
  ['TYPE', (p) => p.gatewayType],
  ['GATEWAY', (p) => p.activeGatewayId],
];

const TOKEN_COLUMNS: Column<Schemas['ActivationToken']>[] = [
  ['ID', (t) => t.id],
  ['PREFIX', (t) => t.prefix],
  ['STATE', (t) => t.state],
  ['PURPOSE', (t) => t.purpose],
  ['EXPIRES', (t) => t.expiresAt],
];

export function registerProfiles(program: Command): void {
  const profiles = program.command('profiles').description('Management profiles: one per site, the gateway registers against it');

  profiles
    .command('list')
    .description("The tenant's profiles")
    .option('--status <status>', 'NOT_REGISTERED, CONNECTED, DISCONNECTED or MIGRATING')
    .option('--search <text>', 'names containing this')
    .option('--limit <n>', 'at most this many', positiveInt)
    .action(async (options: { status?: Schemas['ManagementProfile']['status']; search?: string; limit?: number }, command: Command) => {
      const ctx = await context(command);
      const rows: Schemas['ManagementProfile'][] = [];
      const query = { ...(options.status ? { status: options.status } : {}), ...(options.search ? { search: options.search } : {}) };
      for await (const profile of ctx.client.pages('/api/v1/tenants/{tenantId}/management-profiles', {
        path: { tenantId: ctx.tenantId },
        query,
      })) {
        rows.push(profile);
        if (options.limit && rows.length >= options.limit) break;
      }
      printList(ctx.output, rows, COLUMNS);
    });

  profiles
    .command('create')
    .description('A new profile')
    .argument('<name>')
    .option('--description <text>')
    .option('--configuration <json>', 'its configuration, inline JSON or @file.json')
    .action(async (name: string, options: { description?: string; configuration?: string }, command: Command) => {
      const ctx = await context(command);
      const body: Schemas['CreateProfileRequest'] = { name };
      if (options.description) body.description = options.description;
      if (options.configuration) body.configuration = await jsonArgument(options.configuration, '--configuration');
      const profile = await ctx.client.ok(
        ctx.client.api.POST('/api/v1/tenants/{tenantId}/management-profiles', { params: { path: { tenantId: ctx.tenantId } }, body }),
      );
      printObject(ctx.output, profile, COLUMNS);
    });

  profiles
    .command('show')
    .description('One profile with its configuration')
    .argument('<profileId>')
    .action(async (profileId: string, _options: object, command: Command) => {
      const ctx = await context(command);
      const profile = await ctx.client.ok(
        ctx.client.api.GET('/api/v1/tenants/{tenantId}/management-profiles/{profileId}', {
          params: { path: { tenantId: ctx.tenantId, profileId } },
        }),
      );
      printObject(ctx.output, profile, [
        ...COLUMNS,
        ['DESCRIPTION', (p) => p.description],
        ['VERSION', (p) => p.version],
        ['CONFIGURATION', (p) => p.configuration],
      ]);
    });

  const tokens = program.command('tokens').description("Activation tokens: a gateway's one-time key to register against a profile");

  tokens
    .command('mint')
    .description('A new activation token for a profile (the token is shown once)')
    .argument('<profileId>')
    .option('--ttl <seconds>', 'how long it stays valid', positiveInt)
    .action(async (profileId: string, options: { ttl?: number }, command: Command) => {
      const ctx = await context(command);
      const minted = await ctx.client.ok(
        ctx.client.api.POST('/api/v1/tenants/{tenantId}/management-profiles/{profileId}/activation-tokens', {
          params: { path: { tenantId: ctx.tenantId, profileId } },
          body: options.ttl ? { ttlSeconds: options.ttl } : {},
        }),
      );
      printObject(ctx.output, minted, [['TOKEN', (t) => t.token], ...TOKEN_COLUMNS]);
    });

  tokens
    .command('list')
    .description("A profile's activation tokens (never their secrets)")
    .argument('<profileId>')
    .action(async (profileId: string, _options: object, command: Command) => {
      const ctx = await context(command);
      const rows = await ctx.client.all('/api/v1/tenants/{tenantId}/management-profiles/{profileId}/activation-tokens', {
        path: { tenantId: ctx.tenantId, profileId },
      });
      printList(ctx.output, rows, TOKEN_COLUMNS);
    });
}
