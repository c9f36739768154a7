import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The gateways quota is checked at commit, not under the tenant's row lock.
 *
 * Before, a registration locked the tenant's row and counted its active gateways (an index scan
 * growing with the fleet) half-way through its transaction: the rest of it (insert, nodes, audit,
 * commit) ran with the lock held, so one tenant's registrations ran one after another (60–85/s).
 *
 * Now a deferred constraint trigger runs once per inserted active gateway, at COMMIT, when the
 * registration set `gcp.gateway_quota` (its tenant read does, transaction-local): it folds the
 * tenant's pending `active_gateways` changes (appended by the statement triggers of
 * 1796180000000) into the tenant's row of `tenant_counts` and refuses the commit (SQLSTATE GQ001)
 * when the result passes the quota. That row's lock orders the checks of one tenant, and it is
 * held only from this statement to the end of the commit: the registrations themselves overlap.
 * Exact under concurrency: ON CONFLICT DO UPDATE adds to the newest committed count (each earlier
 * registration of the tenant folded itself in at its own commit), and a change folded by someone
 * else meanwhile is deleted once (a concurrent DELETE skips rows already gone). A de-registration
 * committed during the fold may be counted a moment late: that errs on the side of refusing.
 * Rows inserted without the setting (bench seeding) are not checked; their changes fold as before.
 */
export class GatewayQuotaAtCommit1796190140000 implements MigrationInterface {
  name = 'GatewayQuotaAtCommit1796190140000';

  async up(db: QueryRunner): Promise<void> {
    // The check folds only this tenant's active-gateway changes: a few rows, not the seconds of
    // status and command changes the tenant's other kinds pile up between two folds.
    await db.query(
      `CREATE INDEX tenant_count_changes_active_gateways_idx ON tenant_count_changes (tenant_id) WHERE kind = 'active_gateways'`,
    );
    await db.query(`
      CREATE FUNCTION gateway_quota_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        quota bigint := nullif(current_setting('gcp.gateway_quota', true), '')::bigint;
        held bigint;
      BEGIN
        WITH taken AS (
          DELETE FROM tenant_count_changes WHERE tenant_id = NEW.tenant_id AND kind = 'active_gateways' RETURNING n
        )
        INSERT INTO tenant_counts AS c (tenant_id, kind, key, n)
        SELECT NEW.tenant_id, 'active_gateways', '', coalesce(sum(n), 0) FROM taken
        ON CONFLICT (tenant_id, kind, key) DO UPDATE SET n = c.n + EXCLUDED.n
        RETURNING c.n INTO held;
        IF held > quota THEN
          RAISE EXCEPTION 'the tenant''s gateways quota (%) is used up', quota USING ERRCODE = 'GQ001', DETAIL = quota::text;
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE CONSTRAINT TRIGGER gateways_quota_at_commit AFTER INSERT ON gateways
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
      WHEN (NEW.status <> 'DEREGISTERED' AND coalesce(current_setting('gcp.gateway_quota', true), '') <> '')
      EXECUTE FUNCTION gateway_quota_at_commit()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER gateways_quota_at_commit ON gateways`);
    await db.query(`DROP FUNCTION gateway_quota_at_commit()`);
    await db.query(`DROP INDEX tenant_count_changes_active_gateways_idx`);
  }
}
