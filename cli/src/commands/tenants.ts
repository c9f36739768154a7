import type { Command } from 'commander';
import type { Schemas } from '@gateway-control-plane/sdk';
import { context, positiveInt } from '../context.js';
import { printList, printObject, type Column } from '../output.js';

const COLUMNS: Column<Schemas['Tenant']>[] = [
  ['ID', (t) => t.id],
  ['NAME', (t) => t.name],
  ['KIND', (t) => t.kind],
  ['STATUS', (t) => t.status],
  ['CLUSTERING', (t) => t.features.gatewayClustering],
];

export function registerTenants(program: Command): void {
  const tenants = program.command('tenants').description('Your tenant and, for a partner, its client tenants');

  tenants
    .command('list')
    .description('Tenants you can see')
    .option('--limit <n>', 'at most this many', positiveInt)
    .action(async (options: { limit?: number }, command: Command) => {
      const ctx = await context(command);
      const rows: Schemas['Tenant'][] = [];
      for await (const tenant of ctx.client.pages('/api/v1/tenants', { query: {} })) {
        rows.push(tenant);
        if (options.limit && rows.length >= options.limit) break;
      }
      printList(ctx.output, rows, COLUMNS);
    });

  tenants
    .command('show')
    .description('One tenant')
    .argument('[tenantId]', 'default: --tenant or your own')
    .action(async (tenantId: string | undefined, _options: object, command: Command) => {
      const ctx = await context(command);
      const tenant = await ctx.client.ok(
        ctx.client.api.GET('/api/v1/tenants/{tenantId}', { params: { path: { tenantId: tenantId ?? ctx.tenantId } } }),
      );
      printObject(ctx.output, tenant, [...COLUMNS, ['PARENT', (t) => t.parentId], ['CREATED', (t) => t.createdAt]]);
    });

  tenants
    .command('create')
    .description('A client tenant of your partner tenant (partner admins)')
    .argument('<name>')
    .option('--clustering', 'enable gateway clustering for it')
    .action(async (name: string, options: { clustering?: boolean }, command: Command) => {
      const ctx = await context(command);
      const tenant = await ctx.client.ok(
        ctx.client.api.POST('/api/v1/tenants', {
          body: { name, ...(options.clustering ? { features: { gatewayClustering: true } } : {}) },
        }),
      );
      printObject(ctx.output, tenant, COLUMNS);
    });
}
