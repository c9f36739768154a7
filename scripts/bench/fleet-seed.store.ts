import type pg from 'pg';

/**
 * Seeds a large fleet straight into Postgres for the read and scale benchmarks (issue 14: "seeded
 * fast through the stores, not HTTP"): each statement writes a batch of profiles, their gateways
 * and three nodes each, then commands and audit events, all with generate_series. Every seeded row
 * copies a template gateway registered through the real API (its assessment, cluster settings,
 * report hash, nodes), so the rows look like what the service itself writes. The count triggers
 * (fleet status) run once per statement, as for any bulk write.
 */
export const STATEMENTS = {
  /**
   * `$4` profiles named `$2<i>` (i zero-padded to `$9` digits) for i in [$3, $3 + $4), each with a gateway copied from the template
   * `$5` in status `$6` and the template's nodes (address made unique per gateway); created one
   * millisecond apart, older than `$7` (so that pages are ordered as registration would order them).
   * The gateways' command counter starts at `$8` (the commands seeded below take 1..$8).
   */
  gateways: `
    WITH p AS (
      INSERT INTO management_profiles (tenant_id, name, configuration, created_at, updated_at)
      SELECT $1::uuid, $2::text || lpad(i::text, $9::int, '0'), '{"monitoring": {"pollSeconds": 60}}'::jsonb,
             $7::timestamptz - make_interval(secs => ($3::int + $4::int - i) / 1000.0), now()
      FROM generate_series($3::int, $3::int + $4::int - 1) AS i
      RETURNING id, name, created_at),
    g AS (
      INSERT INTO gateways (tenant_id, profile_id, type, name, instance_id, status, status_seq, health, assessment, secret_hash,
                            secret_prefix, software_version, configuration_version, cluster, boot_id, report_sequence, report_hash,
                            registered_at, last_heartbeat_at, created_at, updated_at, command_sequence, credential_generation)
      SELECT t.tenant_id, p.id, t.type, p.name, 'seed-' || p.name, $6::text, 2, t.health, t.assessment, t.secret_hash,
             t.secret_prefix, t.software_version, t.configuration_version, t.cluster, gen_random_uuid()::text, 1, t.report_hash,
             p.created_at, now(), p.created_at, now(), $8::int, 1
      FROM p CROSS JOIN (SELECT * FROM gateways WHERE id = $5::uuid) t
      RETURNING id, tenant_id, created_at)
    INSERT INTO gateway_nodes (tenant_id, gateway_id, hostname, ip_address, cpu_cores, memory_mb, disk_gb, ready, kubernetes_version,
                               apps, facts, state, last_reported_at, created_at, updated_at)
    SELECT g.tenant_id, g.id, n.hostname, n.ip_address || '.' || substr(g.id::text, 1, 8), n.cpu_cores, n.memory_mb, n.disk_gb,
           n.ready, n.kubernetes_version, n.apps, n.facts, n.state, now(), g.created_at, now()
    FROM g CROSS JOIN (SELECT * FROM gateway_nodes WHERE gateway_id = $5::uuid) n`,
  /** `$3` ended commands for each seeded gateway named `$2%`, sequences 1..$3, created a second apart before the gateway's creation. */
  commands: `
    INSERT INTO commands (tenant_id, gateway_id, sequence, type, parameters, state, deliver_by, timeout_seconds, deliveries,
                          delivered_at, acknowledged_at, ended_at, progress_percent, result, created_by, created_at, updated_at)
    SELECT g.tenant_id, g.id, s, 'PING', '{}'::jsonb,
           CASE WHEN s % 20 = 0 THEN 'FAILED' WHEN s % 50 = 1 THEN 'EXPIRED' ELSE 'SUCCEEDED' END,
           g.created_at - make_interval(secs => $3::int - s) + interval '1 hour', 300, 1,
           g.created_at - make_interval(secs => $3::int - s), g.created_at - make_interval(secs => $3::int - s),
           g.created_at - make_interval(secs => $3::int - s), 100, '{"pong": true}'::jsonb, 'api-client:seed',
           g.created_at - make_interval(secs => $3::int - s), g.created_at - make_interval(secs => $3::int - s)
    FROM gateways g CROSS JOIN generate_series(1, $3::int) AS s
    WHERE g.tenant_id = $1::uuid AND g.name LIKE $2::text || '%' AND g.name >= $4::text AND g.name < $5::text`,
  /** `$2` audit events of the tenant, status changes of its seeded gateways, one millisecond apart before `$3`. */
  auditEvents: `
    INSERT INTO audit_events (tenant_id, actor_type, actor_id, action, target_type, target_id, before, after, created_at)
    SELECT $1::uuid, 'system', NULL, 'gateway.status_changed', 'gateway', g.id, '{"status": "DISCONNECTED"}'::jsonb,
           '{"status": "CONNECTED", "health": "HEALTHY"}'::jsonb, $3::timestamptz - make_interval(secs => i / 1000.0)
    FROM generate_series(1, $2::int) AS i
    CROSS JOIN (SELECT array_agg(id) AS ids FROM (SELECT id FROM gateways WHERE tenant_id = $1::uuid LIMIT 1000) x) a
    CROSS JOIN LATERAL (SELECT a.ids[1 + i % cardinality(a.ids)] AS id) g`,
  analyze: `ANALYZE management_profiles, gateways, gateway_nodes, commands, audit_events`,
  /** The whole database; VACUUM cannot run inside a transaction block, so one statement per query. */
  vacuum: `VACUUM (ANALYZE)`,
  checkpoint: `CHECKPOINT`,
} as const;

export interface SeedProgress {
  (what: string, done: number, of: number): void;
}

/** Seeds through `db` (a pool of the benchmark's database). */
export class FleetSeedStore {
  constructor(private readonly db: pg.Pool) {}

  /**
   * `count` gateways (with profile and nodes) copied from `templateGatewayId`, named
   * `${prefix}${i}`, in batches of `batch`, each with `commandsEach` commands.
   */
  async seed(spec: {
    tenantId: string;
    templateGatewayId: string;
    prefix: string;
    count: number;
    status: 'CONNECTED' | 'DISCONNECTED';
    commandsEach: number;
    auditEvents: number;
    batch?: number;
    onProgress?: SeedProgress;
  }): Promise<void> {
    const batch = spec.batch ?? 10_000;
    const before = new Date(Date.now() - 60_000);
    // Zero-padded names, so a batch of gateways is a range of names.
    const width = String(spec.count).length;
    const name = (i: number) => `${spec.prefix}${String(i).padStart(width, '0')}`;
    for (let from = 0; from < spec.count; from += batch) {
      const size = Math.min(batch, spec.count - from);
      await this.db.query(STATEMENTS.gateways, [
        spec.tenantId,
        spec.prefix,
        from,
        size,
        spec.templateGatewayId,
        spec.status,
        before,
        spec.commandsEach,
        width,
      ]);
      spec.onProgress?.('gateways', from + size, spec.count);
    }
    if (spec.commandsEach > 0) {
      const commandBatch = Math.max(1, Math.floor(100_000 / spec.commandsEach));
      for (let from = 0; from < spec.count; from += commandBatch) {
        const to = Math.min(spec.count, from + commandBatch);
        await this.db.query(STATEMENTS.commands, [
          spec.tenantId,
          spec.prefix,
          spec.commandsEach,
          name(from),
          to >= spec.count ? `${spec.prefix}~` : name(to),
        ]);
        spec.onProgress?.('commands', to * spec.commandsEach, spec.count * spec.commandsEach);
      }
    }
    for (let done = 0; done < spec.auditEvents; done += 100_000) {
      const size = Math.min(100_000, spec.auditEvents - done);
      await this.db.query(STATEMENTS.auditEvents, [spec.tenantId, size, new Date(before.getTime() - done)]);
      spec.onProgress?.('audit events', done + size, spec.auditEvents);
    }
    await this.db.query(STATEMENTS.analyze);
  }

  /**
   * Brings freshly written rows to the state a fleet that grew over months is in: vacuumed (the
   * inserts would otherwise make autovacuum visit the tables during the next measurement) and
   * written out by a checkpoint (else the checkpointer writes the seed's pages meanwhile).
   */
  async settle(): Promise<void> {
    await this.db.query(STATEMENTS.vacuum);
    await this.db.query(STATEMENTS.checkpoint);
  }
}
