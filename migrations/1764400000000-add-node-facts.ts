import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a node reports about the cluster guide's prerequisites (hypervisor host, shared storage,
 * peers, egress, MicroK8s, releases, its software version): one canonical JSON document, null for
 * gateways that do not report them (their checks are "unknown").
 */
export class AddNodeFacts1764400000000 implements MigrationInterface {
  name = 'AddNodeFacts1764400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE gateway_nodes ADD COLUMN facts jsonb`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE gateway_nodes DROP COLUMN facts`);
  }
}
