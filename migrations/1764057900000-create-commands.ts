import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Per-gateway command queues with their history, bulk commands, and idempotency keys. */
export class CreateCommands1764057900000 implements MigrationInterface {
  name = 'CreateCommands1764057900000';

  async up(db: QueryRunner): Promise<void> {
    // Each gateway numbers its own commands; the counter lives on the gateway row, whose lock orders them.
    await db.query(`ALTER TABLE gateways ADD COLUMN command_sequence bigint NOT NULL DEFAULT 0`);

    await db.query(`
      CREATE TABLE bulk_commands (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        type text NOT NULL,
        parameters jsonb NOT NULL,
        deliver_by timestamptz NOT NULL,
        timeout_seconds integer NOT NULL,
        max_concurrency integer NOT NULL CHECK (max_concurrency > 0),
        -- exactly one of the two: an absolute number of failures, or a percentage of the targets
        max_errors integer CHECK (max_errors >= 0),
        max_errors_percent numeric(5, 2) CHECK (max_errors_percent BETWEEN 0 AND 100),
        state text NOT NULL CHECK (state IN ('RUNNING', 'COMPLETED', 'STOPPED')),
        stop_reason text,
        target_count integer NOT NULL,
        started_count integer NOT NULL DEFAULT 0,
        ended_count integer NOT NULL DEFAULT 0,
        failed_count integer NOT NULL DEFAULT 0,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((max_errors IS NULL) <> (max_errors_percent IS NULL))
      )`);
    await db.query(`CREATE INDEX bulk_commands_tenant_created_idx ON bulk_commands (tenant_id, created_at, id)`);

    await db.query(`
      CREATE TABLE commands (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        gateway_id uuid NOT NULL REFERENCES gateways(id),
        bulk_id uuid REFERENCES bulk_commands(id),
        sequence bigint NOT NULL,
        type text NOT NULL,
        parameters jsonb NOT NULL,
        state text NOT NULL CHECK (state IN ('QUEUED', 'DELIVERED', 'ACKNOWLEDGED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'EXPIRED', 'TIMED_OUT', 'CANCELLED', 'ABORTED')),
        deliver_by timestamptz NOT NULL,
        timeout_seconds integer NOT NULL CHECK (timeout_seconds > 0),
        deliveries integer NOT NULL DEFAULT 0,
        delivered_at timestamptz,
        acknowledged_at timestamptz,
        ended_at timestamptz,
        progress_percent integer CHECK (progress_percent BETWEEN 0 AND 100),
        message text,
        result jsonb,
        error_code text,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (gateway_id, sequence)
      )`);
    await db.query(`CREATE INDEX commands_tenant_gateway_created_idx ON commands (tenant_id, gateway_id, created_at, id)`);
    await db.query(`CREATE INDEX commands_tenant_state_idx ON commands (tenant_id, state)`);
    // The hand-out reads a gateway's queue in order; only waiting commands are in this index.
    await db.query(`CREATE INDEX commands_queue_idx ON commands (gateway_id, sequence) WHERE state = 'QUEUED'`);
    // The deadline safety net reads only commands that are not over.
    await db.query(
      `CREATE INDEX commands_open_idx ON commands (state, updated_at) WHERE state IN ('QUEUED', 'DELIVERED', 'ACKNOWLEDGED', 'RUNNING')`,
    );
    await db.query(`CREATE INDEX commands_bulk_idx ON commands (bulk_id, state) WHERE bulk_id IS NOT NULL`);

    await db.query(`
      CREATE TABLE command_history (
        id bigserial PRIMARY KEY,
        tenant_id uuid NOT NULL,
        command_id uuid NOT NULL REFERENCES commands(id),
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        source text NOT NULL CHECK (source IN ('gateway', 'system', 'api-client')),
        state text NOT NULL,
        progress_percent integer,
        message text,
        error_code text
      )`);
    await db.query(`CREATE INDEX command_history_command_idx ON command_history (command_id, id)`);

    await db.query(`
      CREATE TABLE bulk_command_targets (
        bulk_id uuid NOT NULL REFERENCES bulk_commands(id),
        gateway_id uuid NOT NULL REFERENCES gateways(id),
        position integer NOT NULL,
        command_id uuid REFERENCES commands(id),
        -- PENDING: not started; STARTED: its command exists; CANCELLED: stopped before it started
        state text NOT NULL CHECK (state IN ('PENDING', 'STARTED', 'CANCELLED')),
        PRIMARY KEY (bulk_id, gateway_id)
      )`);
    await db.query(`CREATE INDEX bulk_command_targets_pending_idx ON bulk_command_targets (bulk_id, position) WHERE state = 'PENDING'`);

    await db.query(`
      CREATE TABLE idempotency_keys (
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        key text NOT NULL,
        request_hash text NOT NULL,
        resource_type text NOT NULL,
        resource_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, key)
      )`);
    await db.query(`CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE idempotency_keys`);
    await db.query(`DROP TABLE bulk_command_targets`);
    await db.query(`DROP TABLE command_history`);
    await db.query(`DROP TABLE commands`);
    await db.query(`DROP TABLE bulk_commands`);
    await db.query(`ALTER TABLE gateways DROP COLUMN command_sequence`);
  }
}
