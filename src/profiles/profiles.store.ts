import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { runningMigrationOfProfileSql } from '../gateway-migrations/migrations.store.js';
import { activeGatewayOfProfileSql } from '../gateways/gateways.store.js';
import { prepared, queryReturning, type Statements } from '../platform/database/sql.js';
import { isUuid } from '../platform/database/uuid.js';
import { decodeCursor, encodeCursor, pageLimit, paginate, type Page, type PageRequest } from '../platform/pagination/cursor.js';
import { ActivationTokenEntity } from './activation-token.entity.js';
import type { SelectorRequirement } from './labels.js';
import { ManagementProfileEntity } from './management-profile.entity.js';
import type { ProfileLink } from './profile-links.js';
import type { GatewayType, ProfileStatus } from './profile-status.js';
import { tenantOwnerLookup } from '../platform/graphql/tenant-scope.decorator.js';

const ACTIVE_GATEWAY = activeGatewayOfProfileSql('p');

/**
 * SQL for a profile's derived status and gateway type, for filters (alias `p` is the profile).
 * It is deriveProfileStatus written in SQL; keep the two in step. The gateways' and migrations'
 * parts are theirs (activeGatewayOfProfileSql, runningMigrationOfProfileSql).
 */
export const PROFILE_STATUS_SQL = `(CASE WHEN EXISTS (${runningMigrationOfProfileSql('p')}) THEN 'MIGRATING' ELSE COALESCE((SELECT CASE WHEN a.status = 'DISCONNECTED' THEN 'DISCONNECTED' ELSE 'CONNECTED' END FROM (${ACTIVE_GATEWAY}) a), 'NOT_REGISTERED') END)`;
export const PROFILE_GATEWAY_TYPE_SQL = `(SELECT a.type FROM (${ACTIVE_GATEWAY}) a)`;

/** A profile as the views (ProfileView) show it, with what its derived fields depend on: no deletedAt. */
export type ProfileRow = Pick<
  ManagementProfileEntity,
  'id' | 'tenantId' | 'name' | 'description' | 'configuration' | 'configurationVersion' | 'labels' | 'version' | 'createdAt' | 'updatedAt'
> &
  ProfileLink;

/**
 * The view's columns under the entity's and the link's property names, so pg's rows go to the view
 * as they are (no entity hydration), and the link (active gateway, running migration) in the same
 * statement through the gateways' and migrations' own fragments: a page was three statements.
 */
const PROFILE_COLUMNS = `p.id, p.tenant_id AS "tenantId", p.name, p.description, p.configuration,
         p.configuration_version AS "configurationVersion", p.labels, p.version, p.created_at AS "createdAt", p.updated_at AS "updatedAt"`;
const ROW_COLUMNS = `${PROFILE_COLUMNS}, a.id AS "activeGatewayId", a.type AS "gatewayType", a.status AS "gatewayStatus",
         EXISTS (${runningMigrationOfProfileSql('p')}) AS "migrationRunning"`;
/** The profile aliased `p` with its active gateway aliased `a` (none: nulls). */
const WITH_ACTIVE_GATEWAY = `management_profiles p LEFT JOIN LATERAL (${ACTIVE_GATEWAY}) a ON true`;
/** The same link as scalar sub-selects, for the filtered pages the query builder composes (it has no lateral join). */
const FILTERED_ROW_COLUMNS = `${PROFILE_COLUMNS}, (SELECT a.id FROM (${ACTIVE_GATEWAY}) a) AS "activeGatewayId",
         (SELECT a.type FROM (${ACTIVE_GATEWAY}) a) AS "gatewayType", (SELECT a.status FROM (${ACTIVE_GATEWAY}) a) AS "gatewayStatus",
         EXISTS (${runningMigrationOfProfileSql('p')}) AS "migrationRunning"`;

/**
 * A label selector (labels.ts) as a condition on the profile alias `p` (or `alias`), with its
 * named parameters (prefixed with `prefix`) for a query builder. The GIN index on `labels`
 * (jsonb_path_ops) serves the `@>` of equality requirements. Keep it in step with selectorMatches.
 */
export function labelSelectorSql(
  requirements: SelectorRequirement[],
  alias = 'p',
  prefix = 'ls',
): { sql: string; params: Record<string, unknown> } {
  const params: Record<string, unknown> = {};
  const conditions = requirements.map((r, i) => {
    const key = `${prefix}k${i}`;
    const value = `${prefix}v${i}`;
    params[key] = r.key;
    switch (r.op) {
      case 'eq':
        params[value] = JSON.stringify({ [r.key]: r.value });
        return `${alias}.labels @> CAST(:${value} AS jsonb)`;
      case 'neq':
        params[value] = JSON.stringify({ [r.key]: r.value });
        return `NOT (${alias}.labels @> CAST(:${value} AS jsonb))`;
      case 'in':
        params[value] = r.values;
        return `(${alias}.labels ->> CAST(:${key} AS text)) = ANY(CAST(:${value} AS text[]))`;
      case 'notin':
        params[value] = r.values;
        return `NOT COALESCE((${alias}.labels ->> CAST(:${key} AS text)) = ANY(CAST(:${value} AS text[])), false)`;
      case 'exists':
        return `jsonb_exists(${alias}.labels, CAST(:${key} AS text))`;
      case 'absent':
        return `NOT jsonb_exists(${alias}.labels, CAST(:${key} AS text))`;
    }
  });
  return { sql: conditions.length ? conditions.map((c) => `(${c})`).join(' AND ') : 'true', params };
}

/** Every statement on management_profiles and activation_tokens written as SQL (the rest go through TypeORM). */
export const STATEMENTS = {
  /**
   * A tenant's live profiles, newest first, with their links: a keyset page on
   * management_profiles_tenant_created_idx. A first page and a page after a cursor are two
   * statements, so each keeps its index condition under a generic plan (as the gateways' pages).
   */
  firstPage: prepared(
    'profiles-first-page',
    `SELECT ${ROW_COLUMNS} FROM ${WITH_ACTIVE_GATEWAY} WHERE p.tenant_id = $1 AND p.deleted_at IS NULL
       ORDER BY p.created_at DESC, p.id DESC LIMIT $2`,
  ),
  pageAfter: prepared(
    'profiles-page-after',
    `SELECT ${ROW_COLUMNS} FROM ${WITH_ACTIVE_GATEWAY}
       WHERE p.tenant_id = $1 AND p.deleted_at IS NULL AND (p.created_at, p.id) < ($2::timestamptz, $3::uuid)
       ORDER BY p.created_at DESC, p.id DESC LIMIT $4`,
  ),
  /** Live profiles of a tenant by id, with their links (one profile, GraphQL relation fields). */
  liveRowsOfTenant: prepared(
    'profiles-live-by-ids',
    `SELECT ${ROW_COLUMNS} FROM ${WITH_ACTIVE_GATEWAY} WHERE p.tenant_id = $1 AND p.id = ANY($2::uuid[]) AND p.deleted_at IS NULL`,
  ),
  /** The tenant's profiles, for its quota (counted under the tenant's quota lock, in the creating transaction). */
  countProfilesOfTenant: `SELECT count(*)::int AS count FROM management_profiles WHERE tenant_id = $1 AND deleted_at IS NULL`,
  supersedeOpenTokens: `UPDATE activation_tokens SET revoked_at = now(), revoked_reason = 'SUPERSEDED'
       WHERE profile_id = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now() RETURNING id`,
  revokeOpenTokensOfDeletedProfile: `UPDATE activation_tokens SET revoked_at = now(), revoked_reason = 'PROFILE_DELETED'
         WHERE profile_id = $1 AND used_at IS NULL AND revoked_at IS NULL`,
  revokeTokenOfFailedMigration: `UPDATE activation_tokens SET revoked_at = now(), revoked_reason = 'MIGRATION_FAILED' WHERE id = $1 AND used_at IS NULL AND revoked_at IS NULL`,
  lockToken: `SELECT 1 FROM activation_tokens WHERE id = $1 FOR UPDATE`,
  /**
   * A registration uses an active token in one statement (the row lock orders racing uses: the
   * second sees it used); no row back means it was not active, and the caller reads why.
   */
  useActiveToken: prepared(
    'use-activation-token',
    `UPDATE activation_tokens SET used_at = now(), used_by_instance_id = $2
       WHERE token_hash = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now()
       RETURNING id, tenant_id, profile_id, token_hash, prefix, purpose, created_by_type, created_by_id, created_at, expires_at,
         used_at, used_by_instance_id, revoked_at, revoked_reason, migration_id, replaces_gateway_id`,
  ),
  lockProfile: `SELECT 1 FROM management_profiles WHERE id = $1 FOR UPDATE`,
  existingOfTenant: `SELECT id FROM management_profiles WHERE tenant_id = $1 AND id = ANY($2::uuid[]) AND deleted_at IS NULL`,
  fleetCounts: `SELECT count(*)::int AS total,
                count(*) FILTER (WHERE NOT EXISTS (${ACTIVE_GATEWAY}))::int AS not_registered
         FROM management_profiles p WHERE p.tenant_id = $1 AND p.deleted_at IS NULL`,
  /** Which of the given tenants owns the row (GraphQL scopes follow an object to its tenant). */
  tenantOfProfile: `SELECT tenant_id FROM management_profiles WHERE id = $1 AND tenant_id = ANY($2::uuid[])`,
  /** Which of the given tenants owns the row (GraphQL scopes follow an object to its tenant). */
  tenantOfActivationToken: `SELECT tenant_id FROM activation_tokens WHERE id = $1 AND tenant_id = ANY($2::uuid[])`,
} satisfies Statements;

/** What a page of profiles may be filtered by (each only when given); the label selector parsed. */
export interface ProfileListFilter {
  status?: ProfileStatus;
  gatewayType?: GatewayType;
  search?: string;
  labels?: SelectorRequirement[];
}

/** The profiles part's tables: management_profiles and activation_tokens. */
@Injectable()
export class ProfilesStore {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Marks the active token with this hash used by `instanceId`: the token, or null when none is active (see `useActiveToken`). */
  async useActiveToken(manager: EntityManager, tokenHash: string, instanceId: string): Promise<ActivationTokenEntity | null> {
    const [row] = await queryReturning<Record<string, unknown>>(manager, STATEMENTS.useActiveToken, [tokenHash, instanceId]);
    if (!row) return null;
    return Object.assign(new ActivationTokenEntity(), {
      id: row.id,
      tenantId: row.tenant_id,
      profileId: row.profile_id,
      tokenHash: row.token_hash,
      prefix: row.prefix,
      purpose: row.purpose,
      createdByType: row.created_by_type,
      createdById: row.created_by_id,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      usedAt: row.used_at,
      usedByInstanceId: row.used_by_instance_id,
      revokedAt: row.revoked_at,
      revokedReason: row.revoked_reason,
      migrationId: row.migration_id,
      replacesGatewayId: row.replaces_gateway_id,
    } as ActivationTokenEntity);
  }

  /**
   * A tenant's live profiles with their links, newest first: a keyset page, in one statement (a
   * named one without filters; filters compose their conditions in the query builder).
   */
  async list(tenantId: string, filter: ProfileListFilter, page: PageRequest): Promise<Page<ProfileRow>> {
    const limit = pageLimit(page);
    const after = page.cursor ? decodeCursor(page.cursor) : null;
    const filtered = Object.values(filter).some((value) => value !== undefined);
    const rows: ProfileRow[] = filtered
      ? await this.filteredPage(tenantId, filter, limit + 1, after)
      : after
        ? await this.dataSource.query(STATEMENTS.pageAfter, [tenantId, after.at, after.id, limit + 1])
        : await this.dataSource.query(STATEMENTS.firstPage, [tenantId, limit + 1]);
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null };
  }

  /** Built per call (its conditions depend on the filters), so it is not among the named statements. */
  private filteredPage(
    tenantId: string,
    filter: ProfileListFilter,
    limit: number,
    after: { at: string; id: string } | null,
  ): Promise<ProfileRow[]> {
    const query = this.dataSource.manager
      .createQueryBuilder(ManagementProfileEntity, 'p')
      .select(FILTERED_ROW_COLUMNS)
      .where('p.tenant_id = :tenantId AND p.deleted_at IS NULL', { tenantId });
    if (filter.search) query.andWhere(`p.name ILIKE :search ESCAPE '\\'`, { search: `%${filter.search.replace(/[\\%_]/g, '\\$&')}%` });
    if (filter.status) query.andWhere(`${PROFILE_STATUS_SQL} = :status`, { status: filter.status });
    if (filter.gatewayType) query.andWhere(`${PROFILE_GATEWAY_TYPE_SQL} = :gatewayType`, { gatewayType: filter.gatewayType });
    if (filter.labels) {
      const selector = labelSelectorSql(filter.labels);
      query.andWhere(selector.sql, selector.params);
    }
    if (after)
      query.andWhere('(p.created_at, p.id) < (:cursorAt::timestamptz, :cursorId::uuid)', { cursorAt: after.at, cursorId: after.id });
    return query.orderBy('p.created_at', 'DESC').addOrderBy('p.id', 'DESC').limit(limit).getRawMany<ProfileRow>();
  }

  /** Of `ids` (uuids), the tenant's live profiles with their links, in one statement. */
  liveOfTenant(tenantId: string, ids: readonly string[]): Promise<ProfileRow[]> {
    return this.dataSource.query(STATEMENTS.liveRowsOfTenant, [tenantId, ids]);
  }

  /** A profile's activation tokens, newest first: a keyset page (built per call: its shape depends on the cursor). */
  tokensOfProfile(tenantId: string, profileId: string, page: PageRequest): Promise<Page<ActivationTokenEntity>> {
    const query = this.dataSource.manager
      .createQueryBuilder(ActivationTokenEntity, 'token')
      .where('token.tenant_id = :tenantId AND token.profile_id = :profileId', { tenantId, profileId });
    return paginate(query, page, { alias: 'token', column: 'created_at', property: 'createdAt' });
  }

  /**
   * The newest `first` activation tokens of each profile (after a cursor, for the next page), in one
   * statement: a window over each profile's tokens. One more than asked tells whether another page follows.
   */
  async tokensOfProfiles(
    tenantId: string,
    profileIds: readonly string[],
    page: { first: number; after?: { at: string; id: string } },
  ): Promise<Map<string, Page<ActivationTokenEntity>>> {
    const pages = new Map<string, Page<ActivationTokenEntity>>(profileIds.map((id) => [id, { items: [], nextCursor: null }]));
    const wanted = profileIds.filter(isUuid);
    if (!wanted.length) return pages;
    const ranked = this.dataSource.manager
      .createQueryBuilder(ActivationTokenEntity, 't')
      .select('t.id', 'id')
      .addSelect('row_number() OVER (PARTITION BY t.profile_id ORDER BY t.created_at DESC, t.id DESC)', 'rank')
      .where('t.tenant_id = :tenantId AND t.profile_id = ANY(:ids)', { tenantId, ids: wanted });
    if (page.after)
      ranked.andWhere('(t.created_at, t.id) < (:afterAt::timestamptz, :afterId::uuid)', { afterAt: page.after.at, afterId: page.after.id });
    const rows = await this.dataSource.manager
      .createQueryBuilder(ActivationTokenEntity, 't')
      .innerJoin(`(${ranked.getQuery()})`, 'r', 'r.id = t.id')
      .where('r.rank <= :limit', { limit: page.first + 1 })
      .setParameters(ranked.getParameters())
      .orderBy('t.created_at', 'DESC')
      .addOrderBy('t.id', 'DESC')
      .getMany();
    for (const row of rows) {
      const current = pages.get(row.profileId);
      if (!current) continue;
      const last = current.items[current.items.length - 1];
      if (current.items.length < page.first) current.items.push(row);
      else if (last) current.nextCursor = encodeCursor({ at: last.createdAt, id: last.id });
    }
    return pages;
  }

  /** The one of `tenantIds` that owns Profile `id`, or null. */
  async tenantOfProfile(id: string, tenantIds: readonly string[]): Promise<string | null> {
    const rows: { tenant_id: string }[] = await this.dataSource.query(STATEMENTS.tenantOfProfile, [id, tenantIds]);
    return rows[0]?.tenant_id ?? null;
  }

  /** The one of `tenantIds` that owns ActivationToken `id`, or null. */
  async tenantOfActivationToken(id: string, tenantIds: readonly string[]): Promise<string | null> {
    const rows: { tenant_id: string }[] = await this.dataSource.query(STATEMENTS.tenantOfActivationToken, [id, tenantIds]);
    return rows[0]?.tenant_id ?? null;
  }

  /** Revokes the profile's open tokens (a new one supersedes them): their ids. */
  async countOfTenant(manager: EntityManager, tenantId: string): Promise<number> {
    const [row] = await manager.query(STATEMENTS.countProfilesOfTenant, [tenantId]);
    return (row as { count: number }).count;
  }

  async supersedeOpenTokens(manager: EntityManager, profileId: string): Promise<string[]> {
    const rows = await queryReturning<{ id: string }>(manager, STATEMENTS.supersedeOpenTokens, [profileId]);
    return rows.map((row) => row.id);
  }

  async revokeOpenTokensOfDeletedProfile(manager: EntityManager, profileId: string): Promise<void> {
    await manager.query(STATEMENTS.revokeOpenTokensOfDeletedProfile, [profileId]);
  }

  /** A failed migration's target token can no longer be used (unless it was). */
  async revokeTokenOfFailedMigration(manager: EntityManager, tokenId: string): Promise<void> {
    await manager.query(STATEMENTS.revokeTokenOfFailedMigration, [tokenId]);
  }

  async lockToken(manager: EntityManager, tokenId: string): Promise<void> {
    await manager.query(STATEMENTS.lockToken, [tokenId]);
  }

  async lockProfile(manager: EntityManager, profileId: string): Promise<void> {
    await manager.query(STATEMENTS.lockProfile, [profileId]);
  }

  /** Of `ids`, the tenant's profiles that are not deleted. */
  async existingIdsOfTenant(tenantId: string, ids: string[]): Promise<string[]> {
    if (!ids.length) return [];
    const rows: { id: string }[] = await this.dataSource.query(STATEMENTS.existingOfTenant, [tenantId, ids]);
    return rows.map((row) => row.id);
  }

  /**
   * The tenant's active gateways (oldest first) whose profile's labels match the selector and that
   * are in one of `statuses`, of `gatewayType`, in one of `healths` (each filter only when given):
   * a bulk command's targets by selector, read when it starts. It reads the gateways domain's table
   * on purpose: the label selector is on the profile, the other filters on the gateway, and one
   * joined statement answers both (two reads would carry every matching profile id back and forth).
   */
  async activeGatewayIdsMatching(
    manager: EntityManager,
    tenantId: string,
    selector: { labels?: SelectorRequirement[]; statuses?: string[]; gatewayType?: string; healths?: string[] },
  ): Promise<string[]> {
    const query = manager
      .createQueryBuilder()
      .select('g.id', 'id')
      .from('gateways', 'g')
      .innerJoin('management_profiles', 'p', 'p.id = g.profile_id')
      .where(`g.tenant_id = :tenantId AND g.status <> 'DEREGISTERED'`, { tenantId });
    if (selector.labels?.length) {
      const labels = labelSelectorSql(selector.labels, 'p');
      query.andWhere(labels.sql, labels.params);
    }
    if (selector.statuses?.length) query.andWhere('g.status IN (:...statuses)', { statuses: selector.statuses });
    if (selector.gatewayType) query.andWhere('g.type = :gatewayType', { gatewayType: selector.gatewayType });
    if (selector.healths?.length) query.andWhere('g.health IN (:...healths)', { healths: selector.healths });
    const rows: { id: string }[] = await query.orderBy('g.created_at').addOrderBy('g.id').getRawMany();
    return rows.map((row) => row.id);
  }

  /** The tenant's profiles, and how many have no active gateway (the fleet status). */
  async fleetCounts(tenantId: string): Promise<{ total: number; notRegistered: number }> {
    const [row] = await this.dataSource.query(STATEMENTS.fleetCounts, [tenantId]);
    return { total: row.total, notRegistered: row.not_registered };
  }
}

export const PROFILE_OWNER = tenantOwnerLookup(ProfilesStore, (store, id, tenants) => store.tenantOfProfile(id, tenants));

export const ACTIVATION_TOKEN_OWNER = tenantOwnerLookup(ProfilesStore, (store, id, tenants) => store.tenantOfActivationToken(id, tenants));
