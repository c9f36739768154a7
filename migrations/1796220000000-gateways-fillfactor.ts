import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `gateways` pages keep 30% free: a gateway's row is rewritten all the time (the last-seen flush
 * every few seconds, status changes, reports) and an update stays HOT (no new entry in any of the
 * table's indexes) only when the new row version fits on the same page. In `bench:scale` at 100,000
 * gateways 14% of the flush's updates were not HOT, none at 10,000; with this, under 1%
 * (docs/benchmarks.md). The table's pages take about 40% more room. Applies to pages written from
 * now on; existing ones keep their layout until the table is rewritten (VACUUM FULL, pg_repack).
 */
export class GatewaysFillfactor1796220000000 implements MigrationInterface {
  name = 'GatewaysFillfactor1796220000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE gateways SET (fillfactor = 70)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE gateways RESET (fillfactor)`);
  }
}
