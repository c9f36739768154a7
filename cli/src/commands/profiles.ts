import type { Command } from 'commander';
import type { Schemas } from '@gateway-control-plane/sdk';
import { CliError, collect, context, jsonArgument, positiveInt, type Context } from '../context.js';
import { printList, printObject, type Column } from '../output.js';

const COLUMNS: Column<Schemas['ManagementProfile']>[] = [
  ['ID', (p) => p.id],
  ['NAME', (p) => p.name],
  ['STATUS', (p) => p.status],
  ['TYPE', (p) => p.gatewayType],
  ['GATEWAY', (p) => p.activeGatewayId],
  ['LABELS', (p) => formatLabels(p.labels)],
];

/** `site=paris,env=prod` */
export const formatLabels = (labels: Record<string, string> | null | undefined): string =>
  Object.entries(labels ?? {})
    .map(([key, value]) => `${key}=${value}`)
    .join(',');

/** `--label key=value` (repeatable) into labels: values stay strings. */
function labelsOf(values: string[] | undefined): Record<string, string> | undefined {
  if (!values?.length) return undefined;
  const labels: Record<string, string> = {};
  for (const pair of values) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new CliError('INVALID_OPTION', `--label takes key=value, not ${pair}`);
    labels[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return labels;
}

/**
 * `key=value` sets a label, `key-` removes one (kubectl's syntax); the profile is read and written
 * back with If-Match, so a concurrent edit is not lost (412: read again, at most three times).
 */
async function relabel(ctx: Context, profileId: string, changes: string[]): Promise<Schemas['ManagementProfile']> {
  const set: Record<string, string> = {};
  const remove: string[] = [];
  for (const change of changes) {
    if (change.endsWith('-') && !change.includes('=')) remove.push(change.slice(0, -1));
    else if (change.indexOf('=') > 0) set[change.slice(0, change.indexOf('='))] = change.slice(change.indexOf('=') + 1);
    else throw new CliError('INVALID_OPTION', `${change}: give key=value to set a label or key- to remove one`);
  }
  const where = { params: { path: { tenantId: ctx.tenantId, profileId } } };
  for (let attempt = 1; ; attempt++) {
    const read = await ctx.client.api.GET('/api/v1/tenants/{tenantId}/management-profiles/{profileId}', where);
    const current = await ctx.client.ok(Promise.resolve(read));
    const labels = { ...(current.labels ?? {}), ...set };
    for (const key of remove) delete labels[key];
    const etag = read.response.headers.get('etag');
    const written = await ctx.client.api.PATCH('/api/v1/tenants/{tenantId}/management-profiles/{profileId}', {
      params: { path: { tenantId: ctx.tenantId, profileId }, header: etag ? { 'If-Match': etag } : {} },
      body: { labels },
    });
    if (written.response.status === 412 && attempt < 3) continue;
    return ctx.client.ok(Promise.resolve(written));
  }
}

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
    .option('-l, --selector <selector>', 'a label selector: site=paris,env!=lab (also in, notin, key, !key)')
    .option('--limit <n>', 'at most this many', positiveInt)
    .action(
      async (
        options: { status?: Schemas['ManagementProfile']['status']; search?: string; selector?: string; limit?: number },
        command: Command,
      ) => {
        const ctx = await context(command);
        const rows: Schemas['ManagementProfile'][] = [];
        const query = {
          ...(options.status ? { status: options.status } : {}),
          ...(options.search ? { search: options.search } : {}),
          ...(options.selector ? { labelSelector: options.selector } : {}),
        };
        for await (const profile of ctx.client.pages('/api/v1/tenants/{tenantId}/management-profiles', {
          path: { tenantId: ctx.tenantId },
          query,
        })) {
          rows.push(profile);
          if (options.limit && rows.length >= options.limit) break;
        }
        printList(ctx.output, rows, COLUMNS);
      },
    );

  profiles
    .command('create')
    .description('A new profile')
    .argument('<name>')
    .option('--description <text>')
    .option('--configuration <json>', 'its configuration, inline JSON or @file.json')
    .option('--label <key=value>', 'a label (repeatable)', collect)
    .action(async (name: string, options: { description?: string; configuration?: string; label?: string[] }, command: Command) => {
      const ctx = await context(command);
      const body: Schemas['CreateProfileRequest'] = { name };
      const labels = labelsOf(options.label);
      if (labels) body.labels = labels;
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

  profiles
    .command('label')
    .description('Set labels (key=value) and remove them (key-) on a profile')
    .argument('<profileId>')
    .argument('<changes...>', 'key=value to set, key- to remove')
    .addHelpText('after', '\nExample:\n  gcpctl profiles label <id> site=paris env=prod tier-')
    .action(async (profileId: string, changes: string[], _options: object, command: Command) => {
      const ctx = await context(command);
      printObject(ctx.output, await relabel(ctx, profileId, changes), COLUMNS);
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
