import type { Command } from 'commander';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { Schemas } from '@gateway-control-plane/sdk';
import { CliError, context, EXIT, positiveInt, type Context } from '../context.js';
import { GATEWAY_WATCH, type GatewayStatusChange } from '../graphql.js';
import { printList, printObject, table, type Column } from '../output.js';

type Gateway = Schemas['Gateway'];
const COLUMNS: Column<Gateway>[] = [
  ['ID', (g) => g.id],
  ['NAME', (g) => g.name],
  ['TYPE', (g) => g.type],
  ['STATUS', (g) => g.status],
  ['HEALTH', (g) => g.health],
  ['VERSION', (g) => g.softwareVersion],
  ['LAST HEARTBEAT', (g) => g.lastHeartbeatAt],
];

const getGateway = (ctx: Context, gatewayId: string) =>
  ctx.client.ok(
    ctx.client.api.GET('/api/v1/tenants/{tenantId}/gateways/{gatewayId}', { params: { path: { tenantId: ctx.tenantId, gatewayId } } }),
  );

export function registerGateways(program: Command): void {
  const gateways = program.command('gateways').description("The tenant's gateways");

  gateways
    .command('list')
    .description('Gateways, newest first')
    .option('--status <status>', 'REGISTERED, CONNECTED, DISCONNECTED or DEREGISTERED')
    .option('--health <health>', 'HEALTHY, DEGRADED or DOWN')
    .option('--profile <profileId>', "one profile's")
    .option('-l, --selector <selector>', "a label selector on the gateways' profiles: site=paris,env!=lab")
    .option('--limit <n>', 'at most this many', positiveInt)
    .action(
      async (
        options: { status?: Gateway['status']; health?: Gateway['health']; profile?: string; selector?: string; limit?: number },
        command: Command,
      ) => {
        const ctx = await context(command);
        const query = {
          ...(options.selector ? { labelSelector: options.selector } : {}),
          ...(options.status ? { status: options.status } : {}),
          ...(options.health ? { health: options.health } : {}),
          ...(options.profile ? { profileId: options.profile } : {}),
        };
        const rows: Gateway[] = [];
        for await (const gateway of ctx.client.pages('/api/v1/tenants/{tenantId}/gateways', { path: { tenantId: ctx.tenantId }, query })) {
          rows.push(gateway);
          if (options.limit && rows.length >= options.limit) break;
        }
        printList(ctx.output, rows, COLUMNS);
      },
    );

  gateways
    .command('show')
    .description('One gateway with its nodes')
    .argument('<gatewayId>')
    .action(async (gatewayId: string, _options: object, command: Command) => {
      const ctx = await context(command);
      const gateway = await getGateway(ctx, gatewayId);
      printObject(ctx.output, gateway, [
        ...COLUMNS,
        ['PROFILE', (g) => g.profileId],
        ['REGISTERED', (g) => g.registeredAt],
        ['NODES', (g) => g.nodes.map((n) => `${n.hostname} ${n.ipAddress}${n.ready ? '' : ' (not ready)'}`).join(', ')],
      ]);
    });

  gateways
    .command('watch')
    .description('A live table of the gateways, fed by the GraphQL subscription gatewayStatusChanged (Ctrl-C ends it)')
    .option('--events <n>', 'end after this many changes', positiveInt)
    .addHelpText('after', '\nOn a terminal the table is redrawn; otherwise (or with --output json) one line per change is printed.')
    .action(async (options: { events?: number }, command: Command) => watch(await context(command), options.events));

  program
    .command('replace')
    .description(
      'Replace a broken gateway: a replacement activation token for the new hardware (the old gateway is de-registered now or when the new one registers)',
    )
    .argument('<gatewayId>')
    .option('--deregister-now', 'de-register the old gateway at once')
    .option('--ttl <seconds>', "the token's validity", positiveInt)
    .action(async (gatewayId: string, options: { deregisterNow?: boolean; ttl?: number }, command: Command) => {
      const ctx = await context(command);
      const replacement = await ctx.client.ok(
        ctx.client.api.POST('/api/v1/tenants/{tenantId}/gateways/{gatewayId}/replace', {
          params: { path: { tenantId: ctx.tenantId, gatewayId } },
          body: { ...(options.deregisterNow ? { deregisterNow: true } : {}), ...(options.ttl ? { ttlSeconds: options.ttl } : {}) },
        }),
      );
      printObject(ctx.output, replacement, [
        ['TOKEN', (r) => r.activationToken.token],
        ['EXPIRES', (r) => r.activationToken.expiresAt],
        ['PROFILE', (r) => r.profileId],
        ['OLD GATEWAY', (r) => r.gatewayId],
        ['DEREGISTERED NOW', (r) => r.deregisteredNow],
      ]);
    });
}

async function watch(ctx: Context, maxEvents: number | undefined): Promise<void> {
  const rows = new Map<string, Gateway>();
  for await (const gateway of ctx.client.pages('/api/v1/tenants/{tenantId}/gateways', { path: { tenantId: ctx.tenantId }, query: {} })) {
    rows.set(gateway.id, gateway);
  }
  const live = ctx.output === 'table' && process.stdout.isTTY === true;
  const draw = (note: string) => {
    const sorted = [...rows.values()].sort((a, b) => a.name.localeCompare(b.name));
    process.stdout.write(`\x1b[H\x1b[2J${sorted.length ? table(sorted, COLUMNS) : '(no gateways)'}\n\n${note}\n`);
  };
  if (live) draw('watching (Ctrl-C ends)');

  const client = createClient({
    url: `${ctx.client.baseUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    // Asked again on each reconnection: a long watch gets a fresh token.
    connectionParams: async () => ({ authorization: `Bearer ${await ctx.client.accessToken()}` }),
    shouldRetry: () => true,
    retryAttempts: 10,
    on: { connected: () => process.stderr.write(`watching the gateways of tenant ${ctx.tenantId}\n`) },
  });
  let seen = 0;
  // Changes are handled one after another, in the order they came (a new gateway is read first).
  let queue = Promise.resolve();
  const stop = () => void client.dispose();
  process.once('SIGINT', stop);
  try {
    await new Promise<void>((resolve, reject) => {
      client.subscribe<{ gatewayStatusChanged: GatewayStatusChange }>(
        { query: GATEWAY_WATCH, variables: { tenantId: ctx.tenantId } },
        {
          next: (message) => {
            if (message.errors?.length)
              return reject(new CliError('SUBSCRIPTION_ERROR', message.errors.map((e) => e.message).join('; '), undefined, EXIT.FAILED));
            const change = message.data?.gatewayStatusChanged;
            if (!change) return;
            queue = queue.then(async () => {
              const known = rows.get(change.gatewayId) ?? (await getGateway(ctx, change.gatewayId).catch(() => undefined));
              if (known)
                rows.set(change.gatewayId, {
                  ...known,
                  status: change.status as Gateway['status'],
                  lastHeartbeatAt: change.lastHeartbeatAt,
                });
              const name = known?.name ?? change.gatewayId;
              if (ctx.output === 'json') process.stdout.write(JSON.stringify({ ...change, name }) + '\n');
              else if (live) draw(`${change.changedAt}  ${name}: ${change.previousStatus ?? '-'} → ${change.status}`);
              else
                process.stdout.write(
                  `${change.changedAt}  ${change.gatewayId}  ${name}  ${change.previousStatus ?? '-'} -> ${change.status}\n`,
                );
              seen += 1;
              if (maxEvents && seen >= maxEvents) resolve();
            });
            queue.catch(reject);
          },
          error: (error) =>
            reject(
              new CliError(
                'SUBSCRIPTION_ERROR',
                describe(error),
                'check the login (`gcpctl whoami`) and that the service is reachable',
                EXIT.FAILED,
              ),
            ),
          complete: () => resolve(),
        },
      );
    });
  } finally {
    process.off('SIGINT', stop);
    await client.dispose();
  }
}

/** graphql-ws reports GraphQL errors, an Error, or the socket's close event (code and reason). */
function describe(error: unknown): string {
  if (Array.isArray(error)) return error.map((e: { message?: string }) => e.message ?? JSON.stringify(e)).join('; ');
  if (error instanceof Error) return error.message;
  if (error && typeof error === 'object' && 'code' in error) {
    const close = error as { code: number; reason?: string };
    return `the connection closed (${close.code}${close.reason ? `: ${close.reason}` : ''})`;
  }
  return 'the subscription failed';
}
