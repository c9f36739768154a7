import { TenantQuotas } from '../tenants/tenant-quotas.js';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, IsNull, type EntityManager } from 'typeorm';
import { ChangeRecorder } from '../platform/audit/change-recorder.js';
import type { TenantScope } from '../platform/auth/tenant-scope.js';
import { transactionWithEffects } from '../platform/database/after-commit.js';
import { uniqueViolation } from '../platform/database/postgres-errors.js';
import { isUuid } from '../platform/database/uuid.js';
import type { Page, PageRequest } from '../platform/pagination/cursor.js';
import type { CreateProfileDto, UpdateProfileDto } from './dto/profile.dto.js';
import { ManagementProfileEntity } from './management-profile.entity.js';
import { ProfileConfigurationCache } from './profile-configuration-cache.js';
import { Reactions } from '../platform/reactions/reactions.js';
import type { ProfileLink } from './profile-links.js';
import { ProfileLinksReader } from './profile-links.reader.js';
import { ProfilesStore, type ProfileRow } from './profiles.store.js';
import { parseLabelSelector } from './labels.js';
import type { GatewayType, ProfileStatus } from './profile-status.js';
import { ProfileErrors } from './profiles.errors.js';
import { preconditionHolds, type VersionPrecondition } from '../platform/http/etag.js';

/** What a view of a profile shows of its row. */
export type ProfileFields = Omit<ProfileRow, keyof ProfileLink>;

export interface ProfileRecord {
  profile: ProfileFields;
  link: ProfileLink;
}

/** A row read with its link, as a record (the row is both). */
const recordOf = (row: ProfileRow): ProfileRecord => ({ profile: row, link: row });

export interface ProfileFilter {
  status?: ProfileStatus;
  gatewayType?: GatewayType;
  search?: string;
  labelSelector?: string;
}

const auditShape = (profile: ManagementProfileEntity) => ({
  name: profile.name,
  description: profile.description,
  configuration: { version: profile.configurationVersion, settings: profile.configuration },
  labels: profile.labels,
});

/** Stable JSON text, so that two settings documents that differ only in key order are equal. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );

/** Management profiles of a tenant: names, descriptions and the gateway configuration. */
@Injectable()
export class ProfilesService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(ProfileLinksReader) private readonly links: ProfileLinksReader,
    @Inject(ProfilesStore) private readonly store: ProfilesStore,
    @Inject(ChangeRecorder) private readonly changes: ChangeRecorder,
    @Inject(ProfileConfigurationCache) private readonly configurationCache: ProfileConfigurationCache,
    @Inject(Reactions) private readonly reactions: Reactions,
    @Inject(TenantQuotas) private readonly quotas: TenantQuotas,
  ) {}

  async create(scope: TenantScope, input: CreateProfileDto): Promise<ProfileRecord> {
    const profile = await this.unlessNameTaken(input.name, () =>
      this.dataSource.transaction(async (manager) => {
        await this.quotas.claim(manager, scope.tenantId, 'profiles', () => this.store.countOfTenant(manager, scope.tenantId));
        const created = await manager.save(
          manager.create(ManagementProfileEntity, {
            tenantId: scope.tenantId,
            name: input.name,
            description: input.description ?? '',
            configuration: input.configuration ?? {},
            configurationVersion: 1,
            labels: input.labels ?? {},
          }),
        );
        await this.changes.record(manager, {
          tenantId: scope.tenantId,
          actor: scope.actor,
          action: 'profile.created',
          targetType: 'managementProfile',
          targetId: created.id,
          after: auditShape(created),
        });
        return created;
      }),
    );
    return { profile, link: (await this.links.forProfiles([profile.id])).get(profile.id)! };
  }

  async list(scope: TenantScope, filter: ProfileFilter, page: PageRequest): Promise<Page<ProfileRecord>> {
    const found = await this.store.list(
      scope.tenantId,
      {
        status: filter.status,
        gatewayType: filter.gatewayType,
        search: filter.search,
        labels: filter.labelSelector === undefined ? undefined : parseLabelSelector(filter.labelSelector),
      },
      page,
    );
    return { items: found.items.map(recordOf), nextCursor: found.nextCursor };
  }

  /** Live profiles of a tenant by id, with their links, in one statement (GraphQL relation fields batch through this). */
  async getMany(tenantId: string, ids: readonly string[]): Promise<Map<string, ProfileRecord>> {
    const wanted = ids.filter(isUuid);
    if (!wanted.length) return new Map();
    return new Map((await this.store.liveOfTenant(tenantId, wanted)).map((row) => [row.id, recordOf(row)]));
  }

  /** A live profile of the tenant with its link, in one statement, or 404 (another tenant's profile answers the same). */
  async get(scope: TenantScope, profileId: string): Promise<ProfileRecord> {
    const [row] = isUuid(profileId) ? await this.store.liveOfTenant(scope.tenantId, [profileId]) : [];
    if (!row) throw ProfileErrors.notFound();
    return recordOf(row);
  }

  /** A live profile of the tenant, or 404 (another tenant's profile answers the same). */
  async find(
    scope: Pick<TenantScope, 'tenantId'>,
    profileId: string,
    manager: EntityManager = this.dataSource.manager,
    lock = false,
  ): Promise<ManagementProfileEntity> {
    const profile = isUuid(profileId)
      ? await manager.findOne(ManagementProfileEntity, {
          where: { id: profileId, tenantId: scope.tenantId, deletedAt: IsNull() },
          ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
        })
      : null;
    if (!profile) throw ProfileErrors.notFound();
    return profile;
  }

  /** Edits name, description and configuration; a changed configuration gets the next version. */
  async update(scope: TenantScope, profileId: string, input: UpdateProfileDto, precondition?: VersionPrecondition): Promise<ProfileRecord> {
    const profile = await this.unlessNameTaken(input.name ?? '', () =>
      transactionWithEffects(this.dataSource, async (manager, after) => {
        const current = await this.find(scope, profileId, manager, true);
        if (!preconditionHolds(precondition, current.version)) throw ProfileErrors.preconditionFailed(current.version);
        if (input.expectedVersion != null && input.expectedVersion !== current.version) {
          throw ProfileErrors.versionConflict(input.expectedVersion, current.version);
        }
        const before = auditShape(current);
        if (input.name !== undefined) current.name = input.name;
        // An explicit null clears an optional field: no description, no settings (docs/hardening.md).
        if (input.description !== undefined) current.description = input.description ?? '';
        if (input.labels !== undefined) current.labels = input.labels ?? {};
        const configuration = input.configuration === null ? {} : input.configuration;
        const configurationChanged = configuration !== undefined && canonical(configuration) !== canonical(current.configuration);
        if (configurationChanged) {
          current.configuration = configuration;
          current.configurationVersion += 1;
        }
        const afterShape = auditShape(current);
        if (canonical(before) === canonical(afterShape)) return current;
        const saved = await manager.save(current);
        await this.changes.record(manager, {
          tenantId: scope.tenantId,
          actor: scope.actor,
          action: 'profile.updated',
          targetType: 'managementProfile',
          targetId: saved.id,
          before,
          after: afterShape,
        });
        if (configurationChanged) {
          await this.reactions.run('profile.configuration-changed', {
            manager,
            after,
            tenantId: scope.tenantId,
            profileId: saved.id,
            version: saved.configurationVersion,
            actor: scope.actor,
          });
        }
        return saved;
      }),
    );
    await this.configurationCache.set(profile.id, profile.configurationVersion, profile.configuration);
    return { profile, link: (await this.links.forProfiles([profile.id])).get(profile.id)! };
  }

  /** Deletes a profile without an active gateway; its unused tokens are revoked with it. */
  async delete(scope: TenantScope, profileId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const profile = await this.find(scope, profileId, manager, true);
      const link = (await this.links.forProfiles([profile.id], manager)).get(profile.id)!;
      if (link.activeGatewayId || link.migrationRunning) throw ProfileErrors.hasActiveGateway();
      await manager.update(ManagementProfileEntity, { id: profile.id }, { deletedAt: new Date() });
      await this.store.revokeOpenTokensOfDeletedProfile(manager, profile.id);
      await this.changes.record(manager, {
        tenantId: scope.tenantId,
        actor: scope.actor,
        action: 'profile.deleted',
        targetType: 'managementProfile',
        targetId: profile.id,
        before: auditShape(profile),
      });
    });
  }

  private async unlessNameTaken<T>(name: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (uniqueViolation(error) === 'management_profiles_tenant_name_key') throw ProfileErrors.nameTaken(name);
      throw error;
    }
  }
}
