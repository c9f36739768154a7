import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Data lifecycle (docs/operations.md):
 * - `audit_events` and `command_history` become tables partitioned by calendar month (UTC), so
 *   retention drops whole partitions (the audit log stays append-only: no row is ever updated or
 *   deleted) and queries by time read only the months they ask for. The rows already there are
 *   moved into the new tables here, in this migration's transaction.
 * - `gcp_ensure_month_partitions(parent, from, to)` creates the missing month partitions; the
 *   retention job calls it to keep three months ready ahead. A DEFAULT partition catches a row
 *   outside every month (it should stay empty; the job warns when it is not).
 * - a tenant's audit retention (`tenants.audit_retention_days`, set by its partner), and the
 *   indexes the retention batches read.
 */
export class PartitionHistoryAndRetention1796040000000 implements MigrationInterface {
  name = 'PartitionHistoryAndRetention1796040000000';

  async up(db: QueryRunner): Promise<void> {
    // Partitions are attached, not created with PARTITION OF: ATTACH takes a SHARE UPDATE EXCLUSIVE
    // lock on the parent, so writes to the other months go on while a month is added. The CHECK
    // constraint lets ATTACH skip scanning the (empty) new table. A BEFORE TRUNCATE trigger keeps
    // each audit partition append-only (row triggers are cloned to partitions; statement triggers are not).
    await db.query(`
      CREATE FUNCTION gcp_ensure_month_partitions(parent text, column_name text, from_month timestamptz, to_month timestamptz)
      RETURNS integer LANGUAGE plpgsql AS $$
      DECLARE
        month timestamp := date_trunc('month', from_month AT TIME ZONE 'UTC');
        last_month timestamp := date_trunc('month', to_month AT TIME ZONE 'UTC');
        part text;
        lower_bound text;
        upper_bound text;
        created integer := 0;
      BEGIN
        WHILE month <= last_month LOOP
          part := format('%s_p%s', parent, to_char(month, 'YYYYMM'));
          IF to_regclass(part) IS NULL THEN
            lower_bound := to_char(month, 'YYYY-MM-DD') || ' 00:00:00+00';
            upper_bound := to_char(month + interval '1 month', 'YYYY-MM-DD') || ' 00:00:00+00';
            EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part, parent);
            EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I CHECK (%I >= %L AND %I < %L)',
              part, part || '_range', column_name, lower_bound, column_name, upper_bound);
            EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', parent, part, lower_bound, upper_bound);
            EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', part, part || '_range');
            IF parent = 'audit_events' THEN
              EXECUTE format('CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()', part);
            END IF;
            created := created + 1;
          END IF;
          month := month + interval '1 month';
        END LOOP;
        RETURN created;
      END $$`);

    // --- audit_events ---
    await db.query(`ALTER TABLE audit_events RENAME TO audit_events_unpartitioned`);
    await db.query(`ALTER INDEX audit_events_tenant_created_idx RENAME TO audit_events_unpartitioned_tenant_created_idx`);
    await db.query(`ALTER TABLE audit_events_unpartitioned RENAME CONSTRAINT audit_events_pkey TO audit_events_unpartitioned_pkey`);
    await db.query(`
      CREATE TABLE audit_events (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        actor_type text NOT NULL CHECK (actor_type IN ('api-client', 'gateway', 'system')),
        actor_id text,
        action text NOT NULL,
        target_type text NOT NULL,
        target_id uuid,
        before jsonb,
        after jsonb,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (id, created_at)
      ) PARTITION BY RANGE (created_at)`);
    await db.query(`CREATE INDEX audit_events_tenant_created_idx ON audit_events (tenant_id, created_at, id)`);
    await db.query(`
      CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
      FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`);
    await db.query(`
      CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
      FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`);
    await db.query(`CREATE TABLE audit_events_default PARTITION OF audit_events DEFAULT`);
    await db.query(`
      CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events_default
      FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`);
    await db.query(`
      SELECT gcp_ensure_month_partitions('audit_events', 'created_at', coalesce(min(created_at), now()), now() + interval '3 months')
      FROM audit_events_unpartitioned`);
    await db.query(`
      INSERT INTO audit_events (id, tenant_id, actor_type, actor_id, action, target_type, target_id, before, after, created_at)
      SELECT id, tenant_id, actor_type, actor_id, action, target_type, target_id, before, after, created_at FROM audit_events_unpartitioned`);
    await db.query(`DROP TABLE audit_events_unpartitioned`);

    // --- command_history (its id sequence carries over, so ids keep growing) ---
    await db.query(`ALTER TABLE command_history RENAME TO command_history_unpartitioned`);
    await db.query(`ALTER INDEX command_history_command_idx RENAME TO command_history_unpartitioned_command_idx`);
    await db.query(
      `ALTER TABLE command_history_unpartitioned RENAME CONSTRAINT command_history_pkey TO command_history_unpartitioned_pkey`,
    );
    await db.query(
      `ALTER TABLE command_history_unpartitioned RENAME CONSTRAINT command_history_command_id_fkey TO command_history_unpartitioned_command_id_fkey`,
    );
    await db.query(`ALTER SEQUENCE command_history_id_seq OWNED BY NONE`);
    await db.query(`ALTER TABLE command_history_unpartitioned ALTER COLUMN id DROP DEFAULT`);
    await db.query(`
      CREATE TABLE command_history (
        id bigint NOT NULL DEFAULT nextval('command_history_id_seq'),
        tenant_id uuid NOT NULL,
        command_id uuid NOT NULL REFERENCES commands(id),
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        source text NOT NULL CHECK (source IN ('gateway', 'system', 'api-client')),
        state text NOT NULL,
        progress_percent integer,
        message text,
        error_code text,
        PRIMARY KEY (id, at)
      ) PARTITION BY RANGE (at)`);
    await db.query(`ALTER SEQUENCE command_history_id_seq OWNED BY command_history.id`);
    await db.query(`CREATE INDEX command_history_command_idx ON command_history (command_id, id)`);
    await db.query(`CREATE TABLE command_history_default PARTITION OF command_history DEFAULT`);
    await db.query(`
      SELECT gcp_ensure_month_partitions('command_history', 'at', coalesce(min(at), now()), now() + interval '3 months')
      FROM command_history_unpartitioned`);
    await db.query(`
      INSERT INTO command_history (id, tenant_id, command_id, at, source, state, progress_percent, message, error_code)
      SELECT id, tenant_id, command_id, at, source, state, progress_percent, message, error_code FROM command_history_unpartitioned`);
    await db.query(`DROP TABLE command_history_unpartitioned`);

    // --- retention ---
    // A tenant's own audit retention in days (NULL: the deployment's default), set by its partner.
    await db.query(`ALTER TABLE tenants ADD COLUMN audit_retention_days integer CHECK (audit_retention_days > 0)`);
    // What the retention batches read: only rows that may go, oldest first.
    await db.query(`CREATE INDEX commands_ended_idx ON commands (ended_at) WHERE ended_at IS NOT NULL`);
    await db.query(`CREATE INDEX gateways_deregistered_idx ON gateways (deregistered_at) WHERE status = 'DEREGISTERED'`);
    await db.query(`CREATE INDEX activation_tokens_expires_idx ON activation_tokens (expires_at)`);
    await db.query(`CREATE INDEX gateway_migrations_ended_idx ON gateway_migrations (ended_at) WHERE ended_at IS NOT NULL`);
    // Foreign keys that the retention deletes check: without these indexes each deleted row scans.
    await db.query(`CREATE INDEX bulk_command_targets_command_idx ON bulk_command_targets (command_id) WHERE command_id IS NOT NULL`);
    await db.query(`CREATE INDEX bulk_command_targets_gateway_idx ON bulk_command_targets (gateway_id)`);
    await db.query(`CREATE INDEX commands_gateway_idx ON commands (gateway_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX commands_gateway_idx`);
    await db.query(`DROP INDEX bulk_command_targets_gateway_idx`);
    await db.query(`DROP INDEX bulk_command_targets_command_idx`);
    await db.query(`DROP INDEX gateway_migrations_ended_idx`);
    await db.query(`DROP INDEX activation_tokens_expires_idx`);
    await db.query(`DROP INDEX gateways_deregistered_idx`);
    await db.query(`DROP INDEX commands_ended_idx`);
    await db.query(`ALTER TABLE tenants DROP COLUMN audit_retention_days`);

    await db.query(`ALTER TABLE command_history RENAME TO command_history_partitioned`);
    await db.query(`ALTER INDEX command_history_command_idx RENAME TO command_history_partitioned_command_idx`);
    await db.query(`ALTER SEQUENCE command_history_id_seq OWNED BY NONE`);
    await db.query(`
      CREATE TABLE command_history (
        id bigint PRIMARY KEY DEFAULT nextval('command_history_id_seq'),
        tenant_id uuid NOT NULL,
        command_id uuid NOT NULL REFERENCES commands(id),
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        source text NOT NULL CHECK (source IN ('gateway', 'system', 'api-client')),
        state text NOT NULL,
        progress_percent integer,
        message text,
        error_code text
      )`);
    await db.query(`ALTER SEQUENCE command_history_id_seq OWNED BY command_history.id`);
    await db.query(`CREATE INDEX command_history_command_idx ON command_history (command_id, id)`);
    await db.query(
      `INSERT INTO command_history SELECT id, tenant_id, command_id, at, source, state, progress_percent, message, error_code FROM command_history_partitioned`,
    );
    await db.query(`DROP TABLE command_history_partitioned`);

    await db.query(`ALTER TABLE audit_events RENAME TO audit_events_partitioned`);
    await db.query(`ALTER INDEX audit_events_tenant_created_idx RENAME TO audit_events_partitioned_tenant_created_idx`);
    await db.query(`
      CREATE TABLE audit_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        actor_type text NOT NULL CHECK (actor_type IN ('api-client', 'gateway', 'system')),
        actor_id text,
        action text NOT NULL,
        target_type text NOT NULL,
        target_id uuid,
        before jsonb,
        after jsonb,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await db.query(`CREATE INDEX audit_events_tenant_created_idx ON audit_events (tenant_id, created_at, id)`);
    await db.query(
      `INSERT INTO audit_events SELECT id, tenant_id, actor_type, actor_id, action, target_type, target_id, before, after, created_at FROM audit_events_partitioned`,
    );
    await db.query(`DROP TABLE audit_events_partitioned`);
    await db.query(`
      CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_events
      FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`);
    await db.query(`DROP FUNCTION gcp_ensure_month_partitions`);
  }
}
