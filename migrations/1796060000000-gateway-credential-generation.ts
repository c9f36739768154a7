import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A gateway's credential generation: it goes up whenever the gateway's secret is rotated (a retried
 * registration), and access tokens carry it, so tokens issued before a rotation stop working at once.
 */
export class GatewayCredentialGeneration1796060000000 implements MigrationInterface {
  name = 'GatewayCredentialGeneration1796060000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE gateways ADD COLUMN credential_generation integer NOT NULL DEFAULT 1`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE gateways DROP COLUMN credential_generation`);
  }
}
