import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cheaper row writes of a status transition (issue 14, reconnect storms), measured in a trial
 * storm (docs/performance.md, "Reconnect storms"):
 *
 * - The gateways' assessment (about 4 kB of JSON, rewritten by every transition, node report and
 *   registration) is compressed with lz4 instead of pglz: Postgres compressed it again on every
 *   write, and pglz cost about a quarter of such an UPDATE (2,000 rows of the benchmark's
 *   assessments: 143–187 ms with pglz, 98–138 ms with lz4, same rows), and lz4 also decompresses faster for the
 *   read paths. Existing values stay as they are until rewritten. A Postgres built without lz4
 *   keeps pglz (the statement is skipped).
 * - The fleet counts' change rows (1796050000000) for updates are appended once per statement,
 *   grouped, from its transition tables (as the tenants' counts of 1796180000000 already are),
 *   instead of by a row trigger: a batch of 1,000 transitions called a PL/pgSQL function and ran an
 *   INSERT 1,000 times. Same net changes, in the same transaction, so the counts stay exact.
 *   Inserts and deletes keep their row triggers (one row each, in the common case).
 */
export class StormWriteCosts1796210300000 implements MigrationInterface {
  name = 'StormWriteCosts1796210300000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      DO $$ BEGIN
        ALTER TABLE gateways ALTER COLUMN assessment SET COMPRESSION lz4;
      EXCEPTION WHEN feature_not_supported THEN NULL;
      END $$`);
    await db.query(`DROP TRIGGER gateways_count_update ON gateways`);
    await db.query(`
      CREATE FUNCTION gateway_count_changes_of_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO gateway_count_changes (status, health, type, n)
        SELECT status, health, type, sum(n) FROM (
          SELECT status, health, type, 1 AS n FROM new_rows
          UNION ALL SELECT status, health, type, -1 FROM old_rows
        ) c GROUP BY 1, 2, 3 HAVING sum(n) <> 0;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER gateways_count_update AFTER UPDATE ON gateways REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION gateway_count_changes_of_update()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER gateways_count_update ON gateways`);
    await db.query(`DROP FUNCTION gateway_count_changes_of_update()`);
    await db.query(`
      CREATE TRIGGER gateways_count_update AFTER UPDATE OF status, health, type ON gateways FOR EACH ROW
      WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.health IS DISTINCT FROM NEW.health OR OLD.type IS DISTINCT FROM NEW.type)
      EXECUTE FUNCTION gateway_count_change()`);
    // Back to following default_toast_compression, as before `up` (not pglz by name).
    await db.query(`ALTER TABLE gateways ALTER COLUMN assessment SET COMPRESSION DEFAULT`);
  }
}
