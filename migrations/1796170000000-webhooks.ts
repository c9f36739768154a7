import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhooks (issue 17): a tenant's endpoints, and one delivery row per event and endpoint, fanned
 * out from the outbox. `seq` orders an endpoint's deliveries; `next_attempt_at` is when a pending
 * one is tried (again). The signing secret is kept encrypted: it must be read back to sign.
 */
export class Webhooks1796170000000 implements MigrationInterface {
  name = 'Webhooks1796170000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE webhook_endpoints (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      url text NOT NULL,
      description text,
      events text[] NOT NULL,
      secret_encrypted text NOT NULL,
      secret_prefix text NOT NULL,
      status text NOT NULL DEFAULT 'ENABLED',
      disabled_reason text,
      disabled_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      deleted_at timestamptz
    )`);
    await db.query(`CREATE INDEX webhook_endpoints_tenant ON webhook_endpoints (tenant_id, created_at, id) WHERE deleted_at IS NULL`);
    await db.query(`CREATE TABLE webhook_deliveries (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      seq bigint GENERATED ALWAYS AS IDENTITY,
      tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
      endpoint_id uuid NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
      event_type text NOT NULL,
      body jsonb NOT NULL,
      status text NOT NULL DEFAULT 'PENDING',
      attempts integer NOT NULL DEFAULT 0,
      last_status_code integer,
      last_error text,
      last_duration_ms integer,
      last_attempt_at timestamptz,
      next_attempt_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      delivered_at timestamptz
    )`);
    await db.query(`CREATE INDEX webhook_deliveries_due ON webhook_deliveries (endpoint_id, seq) WHERE status = 'PENDING'`);
    await db.query(`CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (next_attempt_at) WHERE status = 'PENDING'`);
    await db.query(`CREATE INDEX webhook_deliveries_of_endpoint ON webhook_deliveries (tenant_id, endpoint_id, created_at, id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE webhook_deliveries`);
    await db.query(`DROP TABLE webhook_endpoints`);
  }
}
