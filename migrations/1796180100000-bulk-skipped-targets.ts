import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A bulk command's target may be SKIPPED: left out when it started (`skipOffline` and the gateway was not CONNECTED). */
export class BulkSkippedTargets1796180100000 implements MigrationInterface {
  name = 'BulkSkippedTargets1796180100000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE bulk_command_targets DROP CONSTRAINT bulk_command_targets_state_check`);
    await db.query(
      `ALTER TABLE bulk_command_targets ADD CONSTRAINT bulk_command_targets_state_check CHECK (state IN ('PENDING', 'STARTED', 'CANCELLED', 'SKIPPED'))`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DELETE FROM bulk_command_targets WHERE state = 'SKIPPED'`);
    await db.query(`ALTER TABLE bulk_command_targets DROP CONSTRAINT bulk_command_targets_state_check`);
    await db.query(
      `ALTER TABLE bulk_command_targets ADD CONSTRAINT bulk_command_targets_state_check CHECK (state IN ('PENDING', 'STARTED', 'CANCELLED'))`,
    );
  }
}
