import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The check of 1796190140000 (restored by `down`), the quota in the variable `quota`. */
const foldAndCheck = (quota: string) => `
        WITH taken AS (
          DELETE FROM tenant_count_changes WHERE tenant_id = NEW.tenant_id AND kind = 'active_gateways' RETURNING n
        )
        INSERT INTO tenant_counts AS c (tenant_id, kind, key, n)
        SELECT NEW.tenant_id, 'active_gateways', '', coalesce(sum(n), 0) FROM taken
        ON CONFLICT (tenant_id, kind, key) DO UPDATE SET n = c.n + EXCLUDED.n
        RETURNING c.n INTO held;
        IF held > ${quota} THEN
          RAISE EXCEPTION 'the tenant''s gateways quota (%) is used up', ${quota} USING ERRCODE = 'GQ001', DETAIL = ${quota}::text;
        END IF;`;

/**
 * The gateways quota check at commit no longer makes one tenant's registrations commit one at a time.
 *
 * Before (1796190140000), every registration's deferred check updated the tenant's one row of
 * `tenant_counts` and held that row's lock to the end of its commit, WAL flush included: a
 * tenant's commits queued behind each other on that row (in a `bench:register` trial at 50 in flight
 * the check waited 2–7 ms per registration, more than the rest of the transaction's statements took).
 *
 * Now the tenant's headroom (quota minus its exact count) is split into 32 budgets, the rows of
 * `gateway_quota_stripes`. A registration's check takes one unit of one budget chosen at random
 * (one row's lock; a concurrent registration of the tenant waits only if it drew the same stripe).
 * When that budget is spent, or the quota differs from the one the budgets were cut for, the
 * check is undone (a subtransaction: its row lock is released) and the exact path runs: lock every
 * stripe in stripe order (so it waits for every registration of the tenant still committing on a
 * budget, and two exact paths cannot deadlock), fold and check the count as 1796190140000 did
 * (SQLSTATE GQ001 past the quota), and cut the new headroom into fresh budgets.
 *
 * Exact: the budgets cut by an exact check sum to the quota minus the count it saw (itself
 * included), and every registration until the next exact check either takes a unit of them or
 * runs that next check; that one sees every registration before it committed (it holds every
 * stripe). A de-registration only lowers the count (its place comes back at the next exact check).
 * Near the quota the budgets are small and most checks are exact, as before; with room, almost none.
 * Rows inserted without `gcp.gateway_quota` (bench seeding) are not checked, as before.
 */
export class GatewayQuotaStripes1796200000000 implements MigrationInterface {
  name = 'GatewayQuotaStripes1796200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE gateway_quota_stripes (
        tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        stripe integer NOT NULL,
        quota bigint NOT NULL,
        used bigint NOT NULL DEFAULT 0,
        budget bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (tenant_id, stripe)
      )`);
    await db.query(`
      CREATE OR REPLACE FUNCTION gateway_quota_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        limit_now bigint := nullif(current_setting('gcp.gateway_quota', true), '')::bigint;
        stripes constant integer := 32;
        drawn integer := floor(random() * stripes)::integer;
        held bigint;
        headroom bigint;
      BEGIN
        -- One unit of one stripe's budget. The block is a subtransaction: when the budget is spent,
        -- raising GQ002 undoes the attempt and releases that row's lock before the exact path.
        BEGIN
          UPDATE gateway_quota_stripes s SET used = s.used + 1
            WHERE s.tenant_id = NEW.tenant_id AND s.stripe = drawn AND s.quota = limit_now AND s.used < s.budget;
          IF FOUND THEN
            RETURN NULL;
          END IF;
          RAISE EXCEPTION 'no budget left on stripe %', drawn USING ERRCODE = 'GQ002';
        EXCEPTION WHEN SQLSTATE 'GQ002' THEN
          NULL;
        END;

        -- The exact path: every stripe, in order (waits for the tenant's registrations committing on a budget).
        IF NOT EXISTS (SELECT 1 FROM gateway_quota_stripes s WHERE s.tenant_id = NEW.tenant_id) THEN
          INSERT INTO gateway_quota_stripes (tenant_id, stripe, quota)
            SELECT NEW.tenant_id, n, limit_now FROM generate_series(0, stripes - 1) n
            ON CONFLICT DO NOTHING;
        END IF;
        PERFORM 1 FROM gateway_quota_stripes s WHERE s.tenant_id = NEW.tenant_id ORDER BY s.stripe FOR UPDATE;
        ${foldAndCheck('limit_now')}
        headroom := limit_now - held;
        UPDATE gateway_quota_stripes s SET quota = limit_now, used = 0,
            budget = headroom / stripes + CASE WHEN s.stripe < headroom % stripes THEN 1 ELSE 0 END
          WHERE s.tenant_id = NEW.tenant_id;
        RETURN NULL;
      END $$`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE OR REPLACE FUNCTION gateway_quota_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        quota bigint := nullif(current_setting('gcp.gateway_quota', true), '')::bigint;
        held bigint;
      BEGIN
        ${foldAndCheck('quota')}
        RETURN NULL;
      END $$`);
    await db.query(`DROP TABLE gateway_quota_stripes`);
  }
}
