import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Gateways (one registration each), their nodes, and at most one active gateway per profile. */
export class CreateGateways1764057800000 implements MigrationInterface {
  name = 'CreateGateways1764057800000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE gateways (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        profile_id uuid NOT NULL REFERENCES management_profiles(id),
        type text NOT NULL CHECK (type IN ('CLASSIC', 'CLUSTER')),
        name text NOT NULL,
        instance_id text NOT NULL,
        registration_token_id uuid REFERENCES activation_tokens(id),
        status text NOT NULL CHECK (status IN ('REGISTERED', 'CONNECTED', 'DISCONNECTED', 'DEREGISTERED')),
        -- orders status changes decided in Redis; a write carrying an older number is ignored
        status_seq bigint NOT NULL DEFAULT 1,
        health text NOT NULL CHECK (health IN ('HEALTHY', 'DEGRADED', 'DOWN')),
        assessment jsonb NOT NULL,
        secret_hash text NOT NULL,
        secret_prefix text NOT NULL,
        software_version text NOT NULL,
        configuration_version integer,
        cluster jsonb,
        -- the boot and sequence of the last node report written here (heartbeats are otherwise not written)
        boot_id text,
        report_sequence bigint,
        report_hash text,
        registered_at timestamptz NOT NULL DEFAULT now(),
        -- written through from Redis in batches, so it may lag the live value by a few seconds
        last_heartbeat_at timestamptz,
        clock_skew_seconds double precision,
        deregistered_at timestamptz,
        deregistered_by text,
        deregistration_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The rule "at most one active gateway per profile", held by the database under any concurrency.
    await db.query(`CREATE UNIQUE INDEX gateways_one_active_per_profile ON gateways (profile_id) WHERE status <> 'DEREGISTERED'`);
    await db.query(`CREATE INDEX gateways_tenant_created_idx ON gateways (tenant_id, created_at, id)`);
    await db.query(`CREATE INDEX gateways_tenant_status_idx ON gateways (tenant_id, status, health)`);
    await db.query(`CREATE INDEX gateways_profile_idx ON gateways (profile_id, created_at)`);

    await db.query(`
      CREATE TABLE gateway_nodes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        gateway_id uuid NOT NULL REFERENCES gateways(id),
        hostname text NOT NULL,
        ip_address text NOT NULL,
        cpu_cores integer NOT NULL,
        memory_mb integer NOT NULL,
        disk_gb integer NOT NULL,
        ready boolean NOT NULL,
        kubernetes_version text,
        apps jsonb NOT NULL DEFAULT '[]'::jsonb,
        -- MISSING: absent from the latest report; kept until a user removes it
        state text NOT NULL CHECK (state IN ('ACTIVE', 'MISSING')),
        last_reported_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (gateway_id, hostname, ip_address)
      )`);
    await db.query(`CREATE INDEX gateway_nodes_tenant_gateway_idx ON gateway_nodes (tenant_id, gateway_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE gateway_nodes`);
    await db.query(`DROP TABLE gateways`);
  }
}
