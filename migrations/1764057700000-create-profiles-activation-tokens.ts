import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Management profiles (with their gateway configuration) and their activation tokens. */
export class CreateProfilesActivationTokens1764057700000 implements MigrationInterface {
  name = 'CreateProfilesActivationTokens1764057700000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE management_profiles (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        description text NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
        configuration jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(configuration) = 'object'),
        configuration_version integer NOT NULL DEFAULT 1 CHECK (configuration_version >= 1),
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        -- kept (not deleted) so that gateways and audit events keep pointing at something
        deleted_at timestamptz
      )`);
    await db.query(
      `CREATE UNIQUE INDEX management_profiles_tenant_name_key ON management_profiles (tenant_id, lower(name)) WHERE deleted_at IS NULL`,
    );
    await db.query(
      `CREATE INDEX management_profiles_tenant_created_idx ON management_profiles (tenant_id, created_at, id) WHERE deleted_at IS NULL`,
    );

    await db.query(`
      CREATE TABLE activation_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id),
        profile_id uuid NOT NULL REFERENCES management_profiles(id),
        -- HMAC-SHA-256 of the plaintext under the server key; the plaintext is never stored
        token_hash text NOT NULL UNIQUE,
        prefix text NOT NULL,
        purpose text NOT NULL DEFAULT 'REGISTRATION' CHECK (purpose IN ('REGISTRATION', 'MIGRATION', 'REPLACEMENT')),
        created_by_type text NOT NULL,
        created_by_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        used_by_instance_id text,
        revoked_at timestamptz,
        revoked_reason text,
        CHECK (expires_at > created_at)
      )`);
    await db.query(`CREATE INDEX activation_tokens_profile_idx ON activation_tokens (tenant_id, profile_id, created_at, id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE activation_tokens`);
    await db.query(`DROP TABLE management_profiles`);
  }
}
