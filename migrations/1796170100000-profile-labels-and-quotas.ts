import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Labels on management profiles (Kubernetes-style key/value, filtered by label selector through
 * the GIN index), and per-tenant quota overrides (a partner sets its clients'; unset ones take the
 * configured defaults).
 */
export class ProfileLabelsAndQuotas1796170100000 implements MigrationInterface {
  name = 'ProfileLabelsAndQuotas1796170100000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE management_profiles ADD COLUMN labels jsonb NOT NULL DEFAULT '{}'::jsonb`);
    await db.query(`CREATE INDEX management_profiles_labels ON management_profiles USING gin (labels jsonb_path_ops)`);
    await db.query(`ALTER TABLE tenants ADD COLUMN quotas jsonb NOT NULL DEFAULT '{}'::jsonb`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE tenants DROP COLUMN quotas`);
    await db.query(`DROP INDEX management_profiles_labels`);
    await db.query(`ALTER TABLE management_profiles DROP COLUMN labels`);
  }
}
