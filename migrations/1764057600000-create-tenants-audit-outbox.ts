import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Tenants and API clients, the append-only audit log, and the outbox of outgoing events. */
export class CreateTenantsAuditOutbox1764057600000 implements MigrationInterface {
  name = 'CreateTenantsAuditOutbox1764057600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE tenants (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        kind text NOT NULL CHECK (kind IN ('PARTNER', 'CLIENT')),
        parent_id uuid REFERENCES tenants(id),
        status text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'SUSPENDED')),
        features jsonb NOT NULL DEFAULT '{}'::jsonb,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        -- a client always has a partner; a partner never has one
        CHECK ((kind = 'CLIENT') = (parent_id IS NOT NULL))
      )`);
    await db.query(`CREATE INDEX tenants_parent_idx ON tenants (parent_id, created_at, id)`);

    await db.query(`
      CREATE TABLE api_clients (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        client_id text NOT NULL UNIQUE,
        name text NOT NULL,
        roles text[] NOT NULL CHECK (roles <@ ARRAY['admin', 'operator', 'viewer'] AND cardinality(roles) > 0),
        secret_hash text NOT NULL,
        secret_prefix text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
    await db.query(`CREATE INDEX api_clients_tenant_idx ON api_clients (tenant_id, created_at, id)`);

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
    // Append-only, whatever the application does.
    await db.query(`
      CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only';
      END $$`);
    await db.query(`
      CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_events
      FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`);

    await db.query(`
      CREATE TABLE outbox_events (
        id bigserial PRIMARY KEY,
        tenant_id uuid NOT NULL,
        topic text NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz
      )`);
    await db.query(`CREATE INDEX outbox_events_unpublished_idx ON outbox_events (id) WHERE published_at IS NULL`);
    await db.query(`CREATE INDEX outbox_events_published_idx ON outbox_events (published_at) WHERE published_at IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE outbox_events`);
    await db.query(`DROP TABLE audit_events`);
    await db.query(`DROP FUNCTION audit_events_append_only`);
    await db.query(`DROP TABLE api_clients`);
    await db.query(`DROP TABLE tenants`);
  }
}
