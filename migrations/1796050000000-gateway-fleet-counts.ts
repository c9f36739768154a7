import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The fleet's counts by status, health and type, maintained from its transitions (for the
 * gcp_gateways gauge, so a scrape never counts 100,000 rows). A row trigger appends a -1/+1 pair to
 * gateway_count_changes when a gateway is inserted, deleted, or changes status, health or type: in
 * the same transaction as the change, so the counts are exact, and without a shared row every
 * writer would wait on. Its WHEN clause is checked without calling the function, so the frequent
 * updates that change none of the three (last-seen write-through, node reports) cost nothing. A
 * job folds the changes into gateway_counts every few seconds; a reader adds the two.
 */
export class GatewayFleetCounts1796050000000 implements MigrationInterface {
  name = 'GatewayFleetCounts1796050000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE gateway_counts (
        status text NOT NULL,
        health text NOT NULL,
        type text NOT NULL,
        n bigint NOT NULL,
        PRIMARY KEY (status, health, type)
      )`);
    await db.query(`
      CREATE TABLE gateway_count_changes (
        id bigserial PRIMARY KEY,
        status text NOT NULL,
        health text NOT NULL,
        type text NOT NULL,
        n integer NOT NULL
      )`);
    await db.query(`
      CREATE FUNCTION gateway_count_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          INSERT INTO gateway_count_changes (status, health, type, n) VALUES (NEW.status, NEW.health, NEW.type, 1);
        ELSIF TG_OP = 'DELETE' THEN
          INSERT INTO gateway_count_changes (status, health, type, n) VALUES (OLD.status, OLD.health, OLD.type, -1);
        ELSE
          INSERT INTO gateway_count_changes (status, health, type, n) VALUES (OLD.status, OLD.health, OLD.type, -1), (NEW.status, NEW.health, NEW.type, 1);
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(`CREATE TRIGGER gateways_count_insert AFTER INSERT ON gateways FOR EACH ROW EXECUTE FUNCTION gateway_count_change()`);
    await db.query(`CREATE TRIGGER gateways_count_delete AFTER DELETE ON gateways FOR EACH ROW EXECUTE FUNCTION gateway_count_change()`);
    await db.query(`
      CREATE TRIGGER gateways_count_update AFTER UPDATE OF status, health, type ON gateways FOR EACH ROW
      WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.health IS DISTINCT FROM NEW.health OR OLD.type IS DISTINCT FROM NEW.type)
      EXECUTE FUNCTION gateway_count_change()`);
    await db.query(
      `INSERT INTO gateway_counts (status, health, type, n) SELECT status, health, type, count(*) FROM gateways GROUP BY 1, 2, 3`,
    );
    // gcp_bulk_commands_in_progress counts these rows when scraped.
    await db.query(`CREATE INDEX bulk_commands_running_idx ON bulk_commands (id) WHERE state = 'RUNNING'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX bulk_commands_running_idx`);
    await db.query(`DROP TRIGGER gateways_count_update ON gateways`);
    await db.query(`DROP TRIGGER gateways_count_delete ON gateways`);
    await db.query(`DROP TRIGGER gateways_count_insert ON gateways`);
    await db.query(`DROP FUNCTION gateway_count_change()`);
    await db.query(`DROP TABLE gateway_count_changes`);
    await db.query(`DROP TABLE gateway_counts`);
  }
}
