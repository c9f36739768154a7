import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/app-config.js';
import { dataSourceOptions, runMigrations } from '../src/platform/database/data-source.js';
import { MIGRATIONS } from '../migrations/index.js';
import { createDatabase, databaseUrl, dropDatabase } from './support/databases.js';
import { TEST_ENV } from './support/test-env.js';

const PARTITIONING = MIGRATIONS.findIndex((migration) => migration.name === 'PartitionHistoryAndRetention1796040000000');

function dataSource(name: string, migrations = MIGRATIONS): DataSource {
  return new DataSource({ ...dataSourceOptions(loadConfig({ ...TEST_ENV, DATABASE_URL: databaseUrl(name) })), entities: [], migrations });
}

/** What the rows say, independent of the table's layout: a count and a digest of every column. */
async function digest(db: DataSource, table: 'audit_events' | 'command_history'): Promise<{ count: number; digest: string }> {
  const [row] = await db.query(`SELECT count(*)::int AS count, md5(string_agg(t::text, '|' ORDER BY t.id)) AS digest FROM ${table} t`);
  return row;
}

describe('partitioned audit_events and command_history: the migration on a populated database', () => {
  const name = `gcp_t_part_${randomBytes(4).toString('hex')}`;
  let db: DataSource;
  let before: { audit: { count: number; digest: string }; history: { count: number; digest: string }; maxHistoryId: number };

  beforeAll(async () => {
    await createDatabase(name);
    // The schema as it was before partitioning, filled with 14 months of history.
    const old = dataSource(name, MIGRATIONS.slice(0, PARTITIONING));
    await old.initialize();
    await runMigrations(old);
    await old.query(`
      WITH t AS (INSERT INTO tenants (name, kind) VALUES ('Populated', 'PARTNER') RETURNING id),
      p AS (INSERT INTO management_profiles (tenant_id, name) SELECT id, 'p' FROM t RETURNING id, tenant_id),
      g AS (INSERT INTO gateways (tenant_id, profile_id, type, name, instance_id, status, health, assessment, secret_hash, secret_prefix, software_version)
            SELECT tenant_id, id, 'CLASSIC', 'gw', 'i-1', 'CONNECTED', 'HEALTHY', '{}', 'h', 'gws_', '1.0' FROM p RETURNING id, tenant_id)
      INSERT INTO commands (tenant_id, gateway_id, sequence, type, parameters, state, deliver_by, timeout_seconds, created_by, created_at, ended_at)
      SELECT g.tenant_id, g.id, n, 'PING', '{}', 'SUCCEEDED', now(), 60, 'test', now() - (n || ' hours')::interval, now() - (n || ' hours')::interval
      FROM g, generate_series(1, 2000) AS n`);
    await old.query(`
      INSERT INTO command_history (tenant_id, command_id, at, source, state, message)
      SELECT c.tenant_id, c.id, now() - ((n * 7 + c.sequence) % 420 || ' days')::interval - (n || ' seconds')::interval, 'gateway', 'RUNNING', 'step ' || n
      FROM commands c, generate_series(1, 10) AS n`);
    await old.query(`
      INSERT INTO audit_events (tenant_id, actor_type, actor_id, action, target_type, target_id, after, created_at)
      SELECT t.id, 'system', NULL, 'test.event', 'tenant', t.id, jsonb_build_object('n', n), now() - (n % 420 || ' days')::interval - (n || ' ms')::interval
      FROM tenants t, generate_series(1, 30000) AS n`);
    before = {
      audit: await digest(old, 'audit_events'),
      history: await digest(old, 'command_history'),
      maxHistoryId: Number((await old.query(`SELECT max(id) AS max FROM command_history`))[0].max),
    };
    await old.destroy();

    db = dataSource(name);
    await db.initialize();
    const applied = await runMigrations(db);
    expect(applied).toContain('PartitionHistoryAndRetention1796040000000');
  }, 120_000);

  afterAll(async () => {
    await db?.destroy();
    await dropDatabase(name);
  });

  it('moves every audit event and history entry, unchanged, into month partitions (none into the default)', async () => {
    expect(before.audit.count).toBe(30_000);
    expect(before.history.count).toBe(20_000);
    expect(await digest(db, 'audit_events')).toEqual(before.audit);
    expect(await digest(db, 'command_history')).toEqual(before.history);
    const partitions: { parent: string; count: number }[] = await db.query(
      `SELECT parent.relname AS parent, count(*)::int AS count FROM pg_inherits i
       JOIN pg_class parent ON parent.oid = i.inhparent JOIN pg_class child ON child.oid = i.inhrelid
       WHERE parent.relname IN ('audit_events', 'command_history') AND child.relname NOT LIKE '%_default' GROUP BY parent.relname ORDER BY 1`,
    );
    // 420 days back and three months ahead: at least 17 months each
    for (const row of partitions) expect(row.count).toBeGreaterThanOrEqual(17);
    expect(partitions.map((row) => row.parent)).toEqual(['audit_events', 'command_history']);
    expect((await db.query(`SELECT count(*)::int AS n FROM audit_events_default`))[0].n).toBe(0);
    expect((await db.query(`SELECT count(*)::int AS n FROM command_history_default`))[0].n).toBe(0);
  });

  it('keeps numbering history entries after the moved ones', async () => {
    const [command] = await db.query(`SELECT id, tenant_id FROM commands LIMIT 1`);
    const [row] = await db.query(
      `INSERT INTO command_history (tenant_id, command_id, source, state) VALUES ($1, $2, 'system', 'QUEUED') RETURNING id`,
      [command.tenant_id, command.id],
    );
    expect(Number(row.id)).toBeGreaterThan(before.maxHistoryId);
  });

  it('still refuses UPDATE, DELETE and TRUNCATE of audit events, through the parent and on a partition directly', async () => {
    const [{ part }] = await db.query(`SELECT 'audit_events_p' || to_char(now() AT TIME ZONE 'UTC', 'YYYYMM') AS part`);
    await expect(db.query(`UPDATE audit_events SET action = 'x'`)).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM audit_events`)).rejects.toThrow(/append-only/);
    await expect(db.query(`TRUNCATE audit_events`)).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM ${part}`)).rejects.toThrow(/append-only/);
    await expect(db.query(`TRUNCATE ${part}`)).rejects.toThrow(/append-only/);
    await expect(db.query(`TRUNCATE audit_events_default`)).rejects.toThrow(/append-only/);
    expect((await digest(db, 'audit_events')).count).toBe(30_000);
  });

  it('a query by time reads only the months it asks for', async () => {
    const plan: { 'QUERY PLAN': string }[] = await db.query(
      `EXPLAIN SELECT * FROM audit_events WHERE tenant_id = gen_random_uuid() AND created_at >= date_trunc('month', now()) AND created_at < date_trunc('month', now()) + interval '1 day'`,
    );
    const text = plan.map((line) => line['QUERY PLAN']).join('\n');
    const scanned = new Set(text.match(/audit_events_(p\d{6}|default)/g));
    expect([...scanned]).toHaveLength(1);
  });

  it('a new partition made by gcp_ensure_month_partitions is append-only too', async () => {
    const [{ created }] = await db.query(
      `SELECT gcp_ensure_month_partitions('audit_events', 'created_at', now() + interval '12 months', now() + interval '12 months') AS created`,
    );
    expect(created).toBe(1);
    const [{ part }] = await db.query(
      `SELECT 'audit_events_p' || to_char((now() + interval '12 months') AT TIME ZONE 'UTC', 'YYYYMM') AS part`,
    );
    await db.query(
      `INSERT INTO audit_events (tenant_id, actor_type, action, target_type, created_at) SELECT id, 'system', 'future', 'tenant', now() + interval '12 months' FROM tenants`,
    );
    expect((await db.query(`SELECT count(*)::int AS n FROM ${part}`))[0].n).toBe(1);
    await expect(db.query(`DELETE FROM ${part}`)).rejects.toThrow(/append-only/);
    await expect(db.query(`TRUNCATE ${part}`)).rejects.toThrow(/append-only/);
  });
});
