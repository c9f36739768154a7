import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each tenant's fleet status (GET …/status, GraphQL fleetStatus) from maintained counts instead of
 * counting its rows per request: at 100,000 gateways and 1,000,000 commands the three GROUP BYs
 * and the profiles' anti-join took seconds under 20 readers. Counted per tenant:
 *   gateway_status / gateway_health  active (not de-registered) gateways by status, by health
 *   command_state                    commands by state
 *   profiles                         live (not deleted) profiles (key '')
 *   active_gateways                  active gateways (key ''): profiles without one are
 *                                    profiles − active gateways (one active gateway per profile,
 *                                    and a profile with one cannot be deleted)
 * As for gateway_counts (1796050000000): statement triggers append signed changes to
 * tenant_count_changes in the writer's transaction (exact, and no shared row every writer would
 * wait on); a job folds them into tenant_counts; a reader adds the two. The triggers are
 * statement-level with transition tables, so a statement that writes 1,000 rows (a bulk command, a
 * liveness sweep, the last-seen flush) appends its net changes once, grouped, and one that changes
 * no counted column appends nothing.
 */
export class TenantFleetCounts1796180000000 implements MigrationInterface {
  name = 'TenantFleetCounts1796180000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE tenant_counts (
        tenant_id uuid NOT NULL,
        kind text NOT NULL,
        key text NOT NULL,
        n bigint NOT NULL,
        PRIMARY KEY (tenant_id, kind, key)
      )`);
    await db.query(`
      CREATE TABLE tenant_count_changes (
        id bigserial PRIMARY KEY,
        tenant_id uuid NOT NULL,
        kind text NOT NULL,
        key text NOT NULL,
        n bigint NOT NULL
      )`);
    await db.query(`CREATE INDEX tenant_count_changes_tenant_idx ON tenant_count_changes (tenant_id)`);

    // What each table counts, as (tenant_id, kind, key) rows of one table row; `r` is the transition table.
    const counted: Record<string, (r: string) => string> = {
      gateways: (r) => `
        SELECT tenant_id, 'gateway_status' AS kind, status AS key FROM ${r} WHERE status <> 'DEREGISTERED'
        UNION ALL SELECT tenant_id, 'gateway_health', health FROM ${r} WHERE status <> 'DEREGISTERED'
        UNION ALL SELECT tenant_id, 'active_gateways', '' FROM ${r} WHERE status <> 'DEREGISTERED'`,
      commands: (r) => `SELECT tenant_id, 'command_state' AS kind, state AS key FROM ${r}`,
      management_profiles: (r) => `SELECT tenant_id, 'profiles' AS kind, '' AS key FROM ${r} WHERE deleted_at IS NULL`,
    };
    for (const [table, rows] of Object.entries(counted)) {
      await db.query(`
        CREATE FUNCTION tenant_counts_of_${table}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'INSERT' THEN
            INSERT INTO tenant_count_changes (tenant_id, kind, key, n)
            SELECT tenant_id, kind, key, count(*) FROM (${rows('new_rows')}) c GROUP BY 1, 2, 3;
          ELSIF TG_OP = 'DELETE' THEN
            INSERT INTO tenant_count_changes (tenant_id, kind, key, n)
            SELECT tenant_id, kind, key, -count(*) FROM (${rows('old_rows')}) c GROUP BY 1, 2, 3;
          ELSE
            INSERT INTO tenant_count_changes (tenant_id, kind, key, n)
            SELECT tenant_id, kind, key, sum(n) FROM (
              SELECT tenant_id, kind, key, 1 AS n FROM (${rows('new_rows')}) a
              UNION ALL SELECT tenant_id, kind, key, -1 FROM (${rows('old_rows')}) b
            ) c GROUP BY 1, 2, 3 HAVING sum(n) <> 0;
          END IF;
          RETURN NULL;
        END $$`);
      await db.query(`
        CREATE TRIGGER ${table}_tenant_counts_insert AFTER INSERT ON ${table} REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION tenant_counts_of_${table}()`);
      await db.query(`
        CREATE TRIGGER ${table}_tenant_counts_update AFTER UPDATE ON ${table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION tenant_counts_of_${table}()`);
      await db.query(`
        CREATE TRIGGER ${table}_tenant_counts_delete AFTER DELETE ON ${table} REFERENCING OLD TABLE AS old_rows
        FOR EACH STATEMENT EXECUTE FUNCTION tenant_counts_of_${table}()`);
      await db.query(`
        INSERT INTO tenant_counts (tenant_id, kind, key, n)
        SELECT tenant_id, kind, key, count(*) FROM (${rows(table)}) c GROUP BY 1, 2, 3`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['gateways', 'commands', 'management_profiles']) {
      for (const op of ['insert', 'update', 'delete']) await db.query(`DROP TRIGGER ${table}_tenant_counts_${op} ON ${table}`);
      await db.query(`DROP FUNCTION tenant_counts_of_${table}()`);
    }
    await db.query(`DROP TABLE tenant_count_changes`);
    await db.query(`DROP TABLE tenant_counts`);
  }
}
