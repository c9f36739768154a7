import type { Command } from 'commander';
import type { Schemas } from '@gateway-control-plane/sdk';
import { collect, context, positiveInt, type Context } from '../context.js';
import { printList, printObject, type Column } from '../output.js';

type Webhook = Schemas['Webhook'];
type EventType = Schemas['CreateWebhookRequest']['events'][number];
const EVENTS =
  'gateway.registered, gateway.status_changed, gateway.health_changed, gateway.deregistered, command.ended, bulk_command.ended, migration.updated, activation_token.used, webhook.disabled';

const COLUMNS: Column<Webhook>[] = [
  ['ID', (w) => w.id],
  ['URL', (w) => w.url],
  ['EVENTS', (w) => w.events.join(',')],
  ['STATUS', (w) => w.status],
];
const DETAIL: Column<Webhook>[] = [
  ...COLUMNS,
  ['DESCRIPTION', (w) => w.description],
  ['SECRET PREFIX', (w) => w.secretPrefix],
  ['DISABLED', (w) => (w.disabledAt ? `${w.disabledAt}: ${w.disabledReason}` : null)],
];
const DELIVERY_COLUMNS: Column<Schemas['WebhookDelivery']>[] = [
  ['ID', (d) => d.id],
  ['EVENT', (d) => d.eventType],
  ['STATUS', (d) => d.status],
  ['ATTEMPTS', (d) => d.attempts],
  ['LAST CODE', (d) => d.lastStatusCode],
  ['LAST MS', (d) => d.lastDurationMs],
  ['NEXT RETRY', (d) => d.nextAttemptAt],
  ['ERROR', (d) => d.lastError],
];

const path = (ctx: Context, webhookId: string) => ({ params: { path: { tenantId: ctx.tenantId, webhookId } } });

export function registerWebhooks(program: Command): void {
  const webhooks = program
    .command('webhooks')
    .description('Webhook endpoints: signed HTTP POSTs when something happens (Standard Webhooks; admin only)')
    .addHelpText(
      'after',
      `\nEvents: ${EVENTS}\nVerify deliveries with the SDK's verifyWebhook(secret, rawBody, headers) or the standardwebhooks library.`,
    );

  webhooks
    .command('create')
    .description('A new endpoint; its signing secret (whsec_…) is printed this once')
    .argument('<url>', 'https://… where the events are POSTed')
    .requiredOption('--event <type>', `an event to send (repeatable): ${EVENTS}`, collect)
    .option('--description <text>')
    .action(async (url: string, options: { event: string[]; description?: string }, command: Command) => {
      const ctx = await context(command);
      const created = await ctx.client.ok(
        ctx.client.api.POST('/api/v1/tenants/{tenantId}/webhooks', {
          params: { path: { tenantId: ctx.tenantId } },
          body: { url, events: options.event as EventType[], ...(options.description ? { description: options.description } : {}) },
        }),
      );
      printObject(ctx.output, created, [['SECRET', (w) => w.secret], ...DETAIL]);
      if (ctx.output === 'table') process.stderr.write('Keep the secret now: it is not shown again.\n');
    });

  webhooks
    .command('list')
    .description("The tenant's endpoints")
    .action(async (_options: object, command: Command) => {
      const ctx = await context(command);
      const rows = await ctx.client.all('/api/v1/tenants/{tenantId}/webhooks', { path: { tenantId: ctx.tenantId } });
      printList(ctx.output, rows, COLUMNS);
    });

  webhooks
    .command('show')
    .description('One endpoint')
    .argument('<webhookId>')
    .action(async (webhookId: string, _options: object, command: Command) => {
      const ctx = await context(command);
      printObject(
        ctx.output,
        await ctx.client.ok(ctx.client.api.GET('/api/v1/tenants/{tenantId}/webhooks/{webhookId}', path(ctx, webhookId))),
        DETAIL,
      );
    });

  webhooks
    .command('update')
    .description("Change an endpoint's URL, events or description, or disable / re-enable it")
    .argument('<webhookId>')
    .option('--url <url>')
    .option('--event <type>', 'the new list of events (repeatable)', collect)
    .option('--description <text>')
    .option('--enable', 're-enable it (after it was disabled)')
    .option('--disable', 'stop sending to it')
    .action(
      async (
        webhookId: string,
        options: { url?: string; event?: string[]; description?: string; enable?: boolean; disable?: boolean },
        command: Command,
      ) => {
        const ctx = await context(command);
        const body: Schemas['UpdateWebhookRequest'] = {
          ...(options.url ? { url: options.url } : {}),
          ...(options.event ? { events: options.event as EventType[] } : {}),
          ...(options.description !== undefined ? { description: options.description } : {}),
          ...(options.enable ? { enabled: true } : options.disable ? { enabled: false } : {}),
        };
        const updated = await ctx.client.ok(
          ctx.client.api.PATCH('/api/v1/tenants/{tenantId}/webhooks/{webhookId}', { ...path(ctx, webhookId), body }),
        );
        printObject(ctx.output, updated, DETAIL);
      },
    );

  webhooks
    .command('delete')
    .description('Delete an endpoint: nothing more is sent to it')
    .argument('<webhookId>')
    .action(async (webhookId: string, _options: object, command: Command) => {
      const ctx = await context(command);
      await ctx.client.ok(ctx.client.api.DELETE('/api/v1/tenants/{tenantId}/webhooks/{webhookId}', path(ctx, webhookId)));
      if (ctx.output === 'json') process.stdout.write(JSON.stringify({ id: webhookId, deleted: true }) + '\n');
      else process.stdout.write(`Deleted ${webhookId}\n`);
    });

  webhooks
    .command('test')
    .description('Send a signed webhook.test event to the endpoint; prints its delivery')
    .argument('<webhookId>')
    .action(async (webhookId: string, _options: object, command: Command) => {
      const ctx = await context(command);
      const delivery = await ctx.client.ok(
        ctx.client.api.POST('/api/v1/tenants/{tenantId}/webhooks/{webhookId}/test', path(ctx, webhookId)),
      );
      printObject(ctx.output, delivery, DELIVERY_COLUMNS);
    });

  webhooks
    .command('deliveries')
    .description("An endpoint's deliveries, newest first: status, attempts, last status code and duration, next retry")
    .argument('<webhookId>')
    .option('--limit <n>', 'at most this many', positiveInt, 50)
    .action(async (webhookId: string, options: { limit: number }, command: Command) => {
      const ctx = await context(command);
      const rows: Schemas['WebhookDelivery'][] = [];
      for await (const delivery of ctx.client.pages('/api/v1/tenants/{tenantId}/webhooks/{webhookId}/deliveries', {
        path: { tenantId: ctx.tenantId, webhookId },
        query: { limit: Math.min(options.limit, 200) },
      })) {
        rows.push(delivery);
        if (rows.length >= options.limit) break;
      }
      printList(ctx.output, rows, DELIVERY_COLUMNS);
    });
}
