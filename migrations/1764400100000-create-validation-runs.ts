import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Validation runs (the cluster guide's setup validation and node-failure drill): what was asked,
 * what was seen, and the verdict. The runs of a gateway go with it when it is purged.
 */
export class CreateValidationRuns1764400100000 implements MigrationInterface {
  name = 'CreateValidationRuns1764400100000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE validation_runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        gateway_id uuid NOT NULL REFERENCES gateways(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('SETUP', 'NODE_FAILURE')),
        state text NOT NULL CHECK (state IN ('RUNNING', 'PASSED', 'FAILED', 'CANCELLED')),
        phase text NOT NULL CHECK (phase IN ('AWAITING_RESULTS', 'AWAITING_NODE_LOSS', 'AWAITING_RECOVERY', 'ENDED')),
        -- what the operator asked: resources, or the node and the deadlines
        request jsonb NOT NULL,
        -- what the run has seen: per resource results, or placement, loss, recovery and return
        report jsonb NOT NULL,
        -- the commands it queued: discovery, pingMonitors, stopNode
        command_ids jsonb NOT NULL DEFAULT '{}'::jsonb,
        failure_reason text,
        -- the current phase's deadline
        deadline_at timestamptz NOT NULL,
        -- after a drill ended, its node's return is still recorded until then
        watch_until timestamptz,
        -- the number of the next look (its job id), so that a look runs once however often its job does
        tick integer NOT NULL DEFAULT 0,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        ended_at timestamptz
      )`);
    await db.query(`CREATE INDEX validation_runs_tenant_created_idx ON validation_runs (tenant_id, created_at, id)`);
    await db.query(`CREATE INDEX validation_runs_tenant_gateway_idx ON validation_runs (tenant_id, gateway_id)`);
    // The sweep's question: which runs are still being watched?
    await db.query(
      `CREATE INDEX validation_runs_watched_idx ON validation_runs (updated_at) WHERE state = 'RUNNING' OR watch_until IS NOT NULL`,
    );
    // One drill at a time per gateway: two would each take the other's lost node for their own.
    await db.query(
      `CREATE UNIQUE INDEX validation_runs_one_drill ON validation_runs (gateway_id) WHERE kind = 'NODE_FAILURE' AND state = 'RUNNING'`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE validation_runs`);
  }
}
