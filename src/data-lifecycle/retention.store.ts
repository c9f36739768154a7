import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { queryReturning } from '../platform/database/sql.js';
import type { PartitionedTable, RowKind } from './retention-policy.js';

/**
 * Waits at most this long for a lock before giving up until the next run: DDL on a partitioned
 * table queued behind a long transaction would otherwise hold up every write behind it.
 */
const DDL_LOCK_TIMEOUT = '2s';
/** Arbitrary but fixed: processes that make partitions at the same time take turns. */
const PARTITION_LOCK_KEY = 4_127_021;

/**
 * One batch of each kind: the oldest rows past the cutoff that nothing kept still points at,
 * taken with SKIP LOCKED (never waiting for a row in use) and deleted with what belongs to them,
 * in one autocommit statement. Foreign keys are checked at the end of the statement, so a row and
 * the rows that point at it go together.
 */
const BATCH_DELETES: Record<RowKind, string> = {
  // An ended command with its history and its bulk target rows; one that a kept migration applied,
  // or that belongs to a bulk command still running, stays.
  commands: `
    WITH doomed AS (
      SELECT c.id FROM commands c
      WHERE c.ended_at < $1
        AND NOT EXISTS (SELECT 1 FROM gateway_migrations m WHERE m.apply_command_id = c.id)
        AND (c.bulk_id IS NULL OR NOT EXISTS (SELECT 1 FROM bulk_commands b WHERE b.id = c.bulk_id AND b.state = 'RUNNING'))
      ORDER BY c.ended_at LIMIT $2 FOR UPDATE OF c SKIP LOCKED),
    targets AS (DELETE FROM bulk_command_targets WHERE command_id IN (SELECT id FROM doomed)),
    history AS (DELETE FROM command_history WHERE command_id IN (SELECT id FROM doomed))
    DELETE FROM commands WHERE id IN (SELECT id FROM doomed) RETURNING id`,
  // A finished bulk command once none of its commands is left.
  bulkCommands: `
    WITH doomed AS (
      SELECT b.id FROM bulk_commands b
      WHERE b.state <> 'RUNNING' AND b.updated_at < $1
        AND NOT EXISTS (SELECT 1 FROM commands c WHERE c.bulk_id = b.id)
      ORDER BY b.updated_at LIMIT $2 FOR UPDATE OF b SKIP LOCKED),
    targets AS (DELETE FROM bulk_command_targets WHERE bulk_id IN (SELECT id FROM doomed))
    DELETE FROM bulk_commands WHERE id IN (SELECT id FROM doomed) RETURNING id`,
  // A finished migration that no rollback points at (the rollback goes first); its tokens stay, unlinked.
  migrations: `
    WITH doomed AS (
      SELECT m.id FROM gateway_migrations m
      WHERE m.ended_at < $1
        AND NOT EXISTS (SELECT 1 FROM gateway_migrations r WHERE r.rollback_of = m.id)
      ORDER BY m.ended_at LIMIT $2 FOR UPDATE OF m SKIP LOCKED),
    tokens AS (UPDATE activation_tokens SET migration_id = NULL WHERE migration_id IN (SELECT id FROM doomed))
    DELETE FROM gateway_migrations WHERE id IN (SELECT id FROM doomed) RETURNING id`,
  // A de-registered gateway with its nodes, once its commands, migrations and bulk targets are gone.
  gateways: `
    WITH doomed AS (
      SELECT g.id FROM gateways g
      WHERE g.status = 'DEREGISTERED' AND g.deregistered_at < $1
        AND NOT EXISTS (SELECT 1 FROM commands c WHERE c.gateway_id = g.id)
        AND NOT EXISTS (SELECT 1 FROM gateway_migrations m WHERE m.source_gateway_id = g.id OR m.target_gateway_id = g.id)
        AND NOT EXISTS (SELECT 1 FROM bulk_command_targets t WHERE t.gateway_id = g.id)
      ORDER BY g.deregistered_at LIMIT $2 FOR UPDATE OF g SKIP LOCKED),
    nodes AS (DELETE FROM gateway_nodes WHERE gateway_id IN (SELECT id FROM doomed)),
    tokens AS (UPDATE activation_tokens SET replaces_gateway_id = NULL WHERE replaces_gateway_id IN (SELECT id FROM doomed))
    DELETE FROM gateways WHERE id IN (SELECT id FROM doomed) RETURNING id`,
  // A used, expired or revoked activation token, unless a kept gateway or migration came from it.
  activationTokens: `
    WITH doomed AS (
      SELECT t.id FROM activation_tokens t
      WHERE (t.used_at < $1 OR t.revoked_at < $1 OR (t.used_at IS NULL AND t.expires_at < $1))
        AND NOT EXISTS (SELECT 1 FROM gateways g WHERE g.registration_token_id = t.id)
        AND NOT EXISTS (SELECT 1 FROM gateway_migrations m WHERE m.activation_token_id = t.id)
      ORDER BY t.expires_at LIMIT $2 FOR UPDATE OF t SKIP LOCKED)
    DELETE FROM activation_tokens WHERE id IN (SELECT id FROM doomed) RETURNING id`,
};

/** Every statement of the data lifecycle: retention batches, month partitions, tenant audit retention. */
@Injectable()
export class RetentionStore {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Deletes one batch of a kind; answers how many rows of that kind went. */
  async deleteBatch(kind: RowKind, cutoff: Date, limit: number): Promise<number> {
    const rows = await queryReturning<{ id: string }>(this.dataSource.manager, BATCH_DELETES[kind], [cutoff, limit]);
    return rows.length;
  }

  /** The longest audit retention a tenant asked for (days), or null when none did. */
  async longestTenantAuditRetention(): Promise<number | null> {
    const [row] = await this.dataSource.query(`SELECT max(audit_retention_days) AS days FROM tenants`);
    return row?.days === null || row?.days === undefined ? null : Number(row.days);
  }

  /** Creates the month partitions missing between the two times; answers how many it made. */
  async ensurePartitions(table: PartitionedTable, column: string, from: Date, to: Date): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock($1)`, [PARTITION_LOCK_KEY]);
      await manager.query(`SET LOCAL lock_timeout = '${DDL_LOCK_TIMEOUT}'`);
      const [row] = await manager.query(`SELECT gcp_ensure_month_partitions($1, $2, $3, $4) AS created`, [table, column, from, to]);
      return Number(row.created);
    });
  }

  /** The partitions of a table, oldest first (the default partition included). */
  async partitions(table: PartitionedTable): Promise<string[]> {
    const rows: { name: string }[] = await this.dataSource.query(
      `SELECT child.relname AS name FROM pg_inherits i
       JOIN pg_class parent ON parent.oid = i.inhparent JOIN pg_class child ON child.oid = i.inhrelid
       WHERE parent.relname = $1 ORDER BY child.relname`,
      [table],
    );
    return rows.map((row) => row.name);
  }

  /** Drops one month partition of a table (all its rows at once; no row trigger fires on DDL). */
  async dropPartition(table: PartitionedTable, partition: string): Promise<void> {
    if (!new RegExp(`^${table}_p\\d{6}$`).test(partition)) throw new Error(`not a month partition of ${table}: ${partition}`);
    await this.dataSource.transaction(async (manager) => {
      await manager.query(`SET LOCAL lock_timeout = '${DDL_LOCK_TIMEOUT}'`);
      await manager.query(`DROP TABLE ${partition}`);
    });
  }

  /** Whether rows fell into the table's default partition (outside every month partition). */
  async defaultPartitionHasRows(table: PartitionedTable): Promise<boolean> {
    const [row] = await this.dataSource.query(`SELECT EXISTS (SELECT 1 FROM ${table}_default) AS has`);
    return row.has === true;
  }
}
