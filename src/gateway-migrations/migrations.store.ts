import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { isUuid } from '../platform/database/uuid.js';
import { paginate, type Page, type PageRequest } from '../platform/pagination/cursor.js';
import { GatewayMigrationEntity } from './gateway-migration.entity.js';
import { sqlIn, type Statements } from '../platform/database/sql.js';
import { MIGRATION_STATES, isRunning, type MigrationState } from './migration-state.js';
import { tenantOwnerLookup } from '../platform/graphql/tenant-scope.decorator.js';

/** The states of a running migration, from the state machine (migration-state.ts). */
const RUNNING = sqlIn(MIGRATION_STATES.filter(isRunning));

/** Whether the profile aliased `profile` has a running migration, as a sub-select for EXISTS. */
export const runningMigrationOfProfileSql = (profile: string): string =>
  `SELECT 1 FROM gateway_migrations m WHERE m.profile_id = ${profile}.id AND m.state ${RUNNING}`;

/** Every statement on gateway_migrations (the workflow's entity reads and writes go through TypeORM). */
export const STATEMENTS = {
  lockReferences: `SELECT profile_id, activation_token_id FROM gateway_migrations WHERE id = $1`,
  stuckRunning: `SELECT id, state, deadline < now() AS overdue FROM gateway_migrations
       WHERE state ${RUNNING} AND updated_at < now() - interval '5 seconds'`,
  lockRunningOfProfile: `SELECT id FROM gateway_migrations WHERE profile_id = $1 AND state ${RUNNING} FOR UPDATE`,
  anyRunningOfProfile: `SELECT 1 FROM gateway_migrations WHERE profile_id = $1 AND state ${RUNNING}`,
  profilesMigrating: `SELECT profile_id FROM gateway_migrations WHERE profile_id = ANY($1::uuid[]) AND state ${RUNNING}`,
  /** Which of the given tenants owns the row (GraphQL scopes follow an object to its tenant). */
  tenantOfMigration: `SELECT tenant_id FROM gateway_migrations WHERE id = $1 AND tenant_id = ANY($2::uuid[])`,
} satisfies Statements;

/** The gateway-migrations part's table: gateway_migrations. */
@Injectable()
export class MigrationsStore {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** The migrations of many profiles, newest first, in one query. */
  async ofProfiles(tenantId: string, profileIds: readonly string[]): Promise<Map<string, GatewayMigrationEntity[]>> {
    const byProfile = new Map<string, GatewayMigrationEntity[]>(profileIds.map((id) => [id, []]));
    const wanted = profileIds.filter(isUuid);
    if (!wanted.length) return byProfile;
    const rows = await this.dataSource.manager.find(GatewayMigrationEntity, {
      where: { tenantId, profileId: In(wanted) },
      order: { createdAt: 'DESC', id: 'DESC' },
    });
    for (const row of rows) byProfile.get(row.profileId)?.push(row);
    return byProfile;
  }

  /**
   * A tenant's migrations, newest first, of one profile when given: a keyset page (built per call:
   * its conditions depend on the filter and the cursor).
   */
  list(tenantId: string, profileId: string | undefined, page: PageRequest): Promise<Page<GatewayMigrationEntity>> {
    const query = this.dataSource.manager.createQueryBuilder(GatewayMigrationEntity, 'm').where('m.tenant_id = :tenantId', { tenantId });
    if (profileId) {
      if (!isUuid(profileId)) return Promise.resolve({ items: [], nextCursor: null });
      query.andWhere('m.profile_id = :profileId', { profileId });
    }
    return paginate(query, page, { alias: 'm', column: 'created_at', property: 'createdAt' });
  }

  /** Migrations of a tenant by id, in one query. */
  async getMany(tenantId: string, ids: readonly string[]): Promise<Map<string, GatewayMigrationEntity>> {
    const wanted = ids.filter(isUuid);
    if (!wanted.length) return new Map();
    const rows = await this.dataSource.manager.find(GatewayMigrationEntity, { where: { tenantId, id: In(wanted) } });
    return new Map(rows.map((row) => [row.id, row]));
  }

  /** The one of `tenantIds` that owns Migration `id`, or null. */
  async tenantOfMigration(id: string, tenantIds: readonly string[]): Promise<string | null> {
    const rows: { tenant_id: string }[] = await this.dataSource.query(STATEMENTS.tenantOfMigration, [id, tenantIds]);
    return rows[0]?.tenant_id ?? null;
  }

  /** What a migration's step must lock before the migration itself: its profile and its activation token. */
  async references(
    manager: EntityManager,
    migrationId: string,
  ): Promise<{ profile_id: string; activation_token_id: string | null } | undefined> {
    const [refs] = await manager.query(STATEMENTS.lockReferences, [migrationId]);
    return refs;
  }

  /** Running migrations not touched for 5 s (the sweep re-queues their step or applies their deadline). */
  stuckRunning(): Promise<{ id: string; state: MigrationState; overdue: boolean }[]> {
    return this.dataSource.query(STATEMENTS.stuckRunning);
  }

  /** The profile's running migration id, locked for `manager`'s transaction, if it has one. */
  async lockRunningOfProfile(manager: EntityManager, profileId: string): Promise<string | null> {
    const [running] = await manager.query(STATEMENTS.lockRunningOfProfile, [profileId]);
    return running ? (running.id as string) : null;
  }

  async anyRunningOfProfile(manager: EntityManager, profileId: string): Promise<boolean> {
    return (await manager.query(STATEMENTS.anyRunningOfProfile, [profileId])).length > 0;
  }

  /** Of these profiles, those with a running migration. */
  async profilesMigrating(manager: EntityManager, profileIds: string[]): Promise<string[]> {
    const rows: { profile_id: string }[] = await manager.query(STATEMENTS.profilesMigrating, [profileIds]);
    return rows.map((row) => row.profile_id);
  }
}

export const MIGRATION_OWNER = tenantOwnerLookup(MigrationsStore, (store, id, tenants) => store.tenantOfMigration(id, tenants));
