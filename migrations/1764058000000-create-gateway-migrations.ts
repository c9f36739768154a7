import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Migration workflows (classic to cluster and back), and the tokens that belong to them or to a VM swap. */
export class CreateGatewayMigrations1764058000000 implements MigrationInterface {
  name = 'CreateGatewayMigrations1764058000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE gateway_migrations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        profile_id uuid NOT NULL REFERENCES management_profiles(id),
        direction text NOT NULL CHECK (direction IN ('CLASSIC_TO_CLUSTER', 'CLUSTER_TO_CLASSIC')),
        target_type text NOT NULL CHECK (target_type IN ('CLASSIC', 'CLUSTER')),
        source_gateway_id uuid REFERENCES gateways(id),
        target_gateway_id uuid REFERENCES gateways(id),
        state text NOT NULL CHECK (state IN ('PENDING', 'SOURCE_DEREGISTERED', 'AWAITING_TARGET', 'TARGET_REGISTERED', 'CONFIGURATION_APPLIED', 'COMPLETED', 'FAILED', 'ROLLED_BACK')),
        failure_reason text,
        activation_token_id uuid REFERENCES activation_tokens(id),
        deadline timestamptz NOT NULL,
        rollback_of uuid REFERENCES gateway_migrations(id),
        apply_command_id uuid REFERENCES commands(id),
        configuration_version integer,
        -- each step's time and outcome, in order
        steps jsonb NOT NULL DEFAULT '[]'::jsonb,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        ended_at timestamptz
      )`);
    // A profile runs at most one migration at a time, whatever the concurrency.
    await db.query(`
      CREATE UNIQUE INDEX gateway_migrations_one_running ON gateway_migrations (profile_id)
      WHERE state IN ('PENDING', 'SOURCE_DEREGISTERED', 'AWAITING_TARGET', 'TARGET_REGISTERED', 'CONFIGURATION_APPLIED')`);
    await db.query(`CREATE INDEX gateway_migrations_tenant_created_idx ON gateway_migrations (tenant_id, created_at, id)`);

    await db.query(`ALTER TABLE activation_tokens ADD COLUMN migration_id uuid REFERENCES gateway_migrations(id)`);
    await db.query(`ALTER TABLE activation_tokens ADD COLUMN replaces_gateway_id uuid REFERENCES gateways(id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE activation_tokens DROP COLUMN replaces_gateway_id`);
    await db.query(`ALTER TABLE activation_tokens DROP COLUMN migration_id`);
    await db.query(`DROP TABLE gateway_migrations`);
  }
}
