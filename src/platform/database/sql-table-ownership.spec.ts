import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Statements } from './sql.js';

/**
 * Each table has one owning domain, whose stores alone run statements on it; a domain that needs
 * another's rows asks that domain's service or reader (the import shows the dependency). This test
 * reads the named statements of every store (the same STATEMENTS as sql/) and fails when one names
 * another domain's table after FROM, JOIN, INTO, UPDATE or DELETE FROM, except for the entries of
 * CROSS_DOMAIN, each kept for a reason written there.
 */
const SRC = join(import.meta.dirname, '../..');

/** The owning domain of each table: the folder of src/ (platform/<part> for the platform) whose stores run its SQL. */
const TABLE_OWNER: Record<string, string> = {
  gateways: 'gateways',
  gateway_nodes: 'gateways',
  gateway_counts: 'gateways',
  gateway_count_changes: 'gateways',
  tenant_counts: 'gateways',
  tenant_count_changes: 'gateways',
  commands: 'commands',
  command_history: 'commands',
  bulk_commands: 'commands',
  bulk_command_targets: 'commands',
  tenants: 'tenants',
  api_clients: 'tenants',
  management_profiles: 'profiles',
  activation_tokens: 'profiles',
  gateway_migrations: 'gateway-migrations',
  validation_runs: 'validations',
  webhook_endpoints: 'webhooks',
  webhook_deliveries: 'webhooks',
  outbox_events: 'platform/events',
  audit_events: 'platform/audit',
  idempotency_keys: 'platform/idempotency',
};

/**
 * Statements that read another domain's table on purpose, keyed `<store>#<statement>:<table>`, each
 * with its reason (a join one statement needs for its correctness or speed). The list may only
 * shrink: an entry no statement uses any more fails the test, so that it is taken off.
 */
/** Why a hot write inserts its audit row and outbox event in its own statement (CTEs). */
const CHANGE_WITH_RECORDS =
  'the change, its audit row and its outbox event in one statement: one round trip on a hot path, and no change without its records';

/** Why the tenant's usage report reads other domains' tables. */
const TENANT_USAGE =
  "the tenant's usage in one statement; the tenants domain cannot ask the counted domains, which depend on it for quotas";

/** Why a page of profiles reads its active gateways and running migrations in its own statement. */
const PROFILE_WITH_LINK =
  "a profile's status and gateway type derive from its active gateway and running migration: asked of their domains apart, a page of profiles was three statements (two more round trips) where the naive page is one";

const CROSS_DOMAIN: Record<string, string> = {
  'commands/commands.store.ts#lockPendingTargets:gateways':
    "the pending targets are locked and their gateway's registration read in one statement: a separate read would be a round trip per batch and could see a gateway deregistered after the lock",
  // A page of profiles (and one profile) with each one's derived status, in one statement, through
  // the gateways' and migrations' own fragments (activeGatewayOfProfileSql, runningMigrationOfProfileSql).
  'profiles/profiles.store.ts#firstPage:gateways': PROFILE_WITH_LINK,
  'profiles/profiles.store.ts#firstPage:gateway_migrations': PROFILE_WITH_LINK,
  'profiles/profiles.store.ts#pageAfter:gateways': PROFILE_WITH_LINK,
  'profiles/profiles.store.ts#pageAfter:gateway_migrations': PROFILE_WITH_LINK,
  'profiles/profiles.store.ts#liveRowsOfTenant:gateways': PROFILE_WITH_LINK,
  'profiles/profiles.store.ts#liveRowsOfTenant:gateway_migrations': PROFILE_WITH_LINK,
  'profiles/profiles.store.ts#fleetCounts:gateways':
    "a profile's NOT_REGISTERED count is an anti-join on its active gateway (activeGatewayOfProfileSql): counting apart would read every gateway of the tenant",
  'commands/commands.store.ts#claimWaitingCommandsOfGateways:audit_events': CHANGE_WITH_RECORDS,
  'commands/commands.store.ts#claimWaitingCommandsOfGateways:outbox_events': CHANGE_WITH_RECORDS,
  'commands/commands.store.ts#saveCommandVersions:audit_events': CHANGE_WITH_RECORDS,
  'commands/commands.store.ts#saveCommandVersions:outbox_events': CHANGE_WITH_RECORDS,
  'platform/audit/audit.store.ts#recordChanges:outbox_events': CHANGE_WITH_RECORDS,
  'gateways/gateways.store.ts#registerGateway:audit_events': CHANGE_WITH_RECORDS,
  'gateways/gateways.store.ts#registerGateway:outbox_events': CHANGE_WITH_RECORDS,
  // The tenant's usage report (GET quotas) counts in one statement: the tenants domain cannot ask the
  // counted domains' services, which depend on it for their quota claims. Each claim counts in its own domain's store.
  'tenants/tenant-quotas.store.ts#usage:management_profiles': TENANT_USAGE,
  'tenants/tenant-quotas.store.ts#usage:gateways': TENANT_USAGE,
  'tenants/tenant-quotas.store.ts#usage:webhook_endpoints': TENANT_USAGE,
};

/** The domain of a store file: its first folder under src/, or platform/<part>. */
export function domainOf(storePath: string): string {
  const parts = storePath.split('/');
  return parts[0] === 'platform' ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

/** The known tables a statement names after FROM / JOIN / INTO / UPDATE / DELETE FROM (not its CTEs; functions are never known tables). */
export function tablesOf(statement: string): string[] {
  const text = statement.replace(/--.*$/gm, '');
  const ctes = new Set([...text.matchAll(/\b([a-z_][a-z0-9_]*)\s+AS\s+(?:(?:NOT\s+)?MATERIALIZED\s+)?\(/g)].map((m) => m[1]!));
  const named = [...text.matchAll(/\b(?:FROM|JOIN|INTO|UPDATE)\s+(?:ONLY\s+)?([a-z_][a-z0-9_]*)\b/g)].map((m) => m[1]!);
  return [...new Set(named.filter((name) => name in TABLE_OWNER && !ctes.has(name)))];
}

/** The references of one store's statements to tables its domain does not own. */
export function crossDomain(store: string, statements: Record<string, string>): string[] {
  const domain = domainOf(store);
  return Object.entries(statements).flatMap(([name, statement]) =>
    tablesOf(statement)
      .filter((table) => TABLE_OWNER[table] !== domain)
      .map((table) => `${store}#${name}:${table}`),
  );
}

function storeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? storeFiles(path) : entry.name.endsWith('.store.ts') ? [path] : [];
  });
}

describe('each table has one owning domain', async () => {
  const found: string[] = [];
  for (const path of storeFiles(SRC).sort()) {
    const module = (await import(pathToFileURL(path).href)) as { STATEMENTS?: Statements };
    // A store without named statements (partition DDL per table) is listed in sql-snapshot.spec.ts.
    if (!module.STATEMENTS) continue;
    const texts = Object.fromEntries(Object.entries(module.STATEMENTS).map(([name, statement]) => [name, String(statement)]));
    found.push(...crossDomain(relative(SRC, path), texts));
  }

  it("no store's statement names another domain's table, except the listed joins", () => {
    expect(found.filter((key) => !(key in CROSS_DOMAIN))).toEqual([]);
  });

  it('every listed cross-domain join is still used (take an entry off once its statement no longer needs it)', () => {
    expect(Object.keys(CROSS_DOMAIN).filter((key) => !found.includes(key))).toEqual([]);
  });

  it('catches a made-up statement that reads, joins, inserts into, updates or deletes from a foreign table', () => {
    expect(
      crossDomain('profiles/profiles.store.ts', {
        read: `SELECT id FROM gateways WHERE tenant_id = $1`,
        join: `SELECT p.id FROM management_profiles p JOIN commands c ON c.id = p.id`,
        insert: `INSERT INTO audit_events (id) VALUES ($1)`,
        update: `UPDATE tenants SET status = $2 WHERE id = $1`,
        remove: `DELETE FROM webhook_endpoints WHERE id = $1`,
        own: `WITH gone AS (DELETE FROM activation_tokens RETURNING id) SELECT count(*) FROM gone, unnest($1::uuid[]) u`,
      }),
    ).toEqual([
      'profiles/profiles.store.ts#read:gateways',
      'profiles/profiles.store.ts#join:commands',
      'profiles/profiles.store.ts#insert:audit_events',
      'profiles/profiles.store.ts#update:tenants',
      'profiles/profiles.store.ts#remove:webhook_endpoints',
    ]);
    expect(domainOf('platform/events/outbox.store.ts')).toBe('platform/events');
  });
});
