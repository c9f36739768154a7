import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ChangeRecorder } from '../../platform/audit/change-recorder.js';
import type { TenantScope } from '../../platform/auth/tenant-scope.js';
import { transactionWithEffects } from '../../platform/database/after-commit.js';
import { isUuid } from '../../platform/database/uuid.js';
import type { Page, PageRequest } from '../../platform/pagination/cursor.js';
import { invalidRequest, type FieldError } from '../../platform/errors/domain-error.js';
import { IdempotencyKeys } from '../../platform/idempotency/idempotency-keys.js';
import { BulkProgress } from './bulk-progress.service.js';
import type { BulkCommandEntity } from '../command.entity.js';
import { CommandsStore } from '../commands.store.js';
import { GatewaysStore } from '../../gateways/gateways.store.js';
import { ProfilesStore } from '../../profiles/profiles.store.js';
import { CommandErrors } from '../commands.errors.js';
import { commandSpecOf } from '../issuing/commands.service.js';
import type { BulkTargetsDto, CreateBulkCommandDto } from '../dto/command.dto.js';
import { parseLabelSelector } from '../../profiles/labels.js';

export interface BulkRecord {
  bulk: BulkCommandEntity;
  counts: { key: string; count: number }[];
}

/** Bulk commands: targets resolved and stored at creation, run with a concurrency limit and an error threshold. */
@Injectable()
export class BulkCommandsService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(BulkProgress) private readonly progress: BulkProgress,
    @Inject(ChangeRecorder) private readonly changes: ChangeRecorder,
    @Inject(IdempotencyKeys) private readonly idempotency: IdempotencyKeys,
    @Inject(CommandsStore) private readonly store: CommandsStore,
    @Inject(GatewaysStore) private readonly gateways: GatewaysStore,
    @Inject(ProfilesStore) private readonly profiles: ProfilesStore,
  ) {}

  async create(
    scope: TenantScope,
    input: CreateBulkCommandDto,
    idempotencyKey?: string,
  ): Promise<{ record: BulkRecord; created: boolean }> {
    const spec = commandSpecOf(input);
    const maxErrors = input.maxErrors ?? '0';
    const bulkId = await transactionWithEffects(this.dataSource, async (manager, after) => {
      const id = randomUUID();
      if (idempotencyKey) {
        const existing = await this.idempotency.claim(manager, scope.tenantId, idempotencyKey, input, 'bulkCommand', id);
        if (existing) return { id: existing, created: false };
      }
      const resolved = await this.resolveTargets(manager, scope.tenantId, input.targets);
      // skipOffline: the targets not CONNECTED now are recorded as SKIPPED and never started.
      const connected = input.skipOffline ? await this.gateways.connectedAmong(scope.tenantId, resolved) : null;
      const targets = connected ? resolved.filter((id) => connected.has(id)) : resolved;
      const skipped = connected ? resolved.filter((id) => !connected.has(id)) : [];
      const percent = maxErrors.endsWith('%') ? Number(maxErrors.slice(0, -1)) : null;
      const createdBy = scope.actor.id ? `${scope.actor.type}:${scope.actor.id}` : scope.actor.type;
      await this.store.insertBulk(
        manager,
        {
          id,
          tenant_id: scope.tenantId,
          type: spec.type,
          parameters: spec.parameters,
          deliver_by: spec.deliverBy,
          timeout_seconds: spec.timeoutSeconds,
          max_concurrency: input.maxConcurrency ?? 100,
          max_errors: percent === null ? Number(maxErrors) : null,
          max_errors_percent: percent as unknown as string | null,
          createdBy,
        },
        targets,
        skipped,
      );
      await this.changes.record(manager, {
        tenantId: scope.tenantId,
        actor: scope.actor,
        action: 'bulk_command.created',
        targetType: 'bulkCommand',
        targetId: id,
        after: {
          type: spec.type,
          parameters: spec.parameters,
          targets: targets.length,
          ...(input.skipOffline ? { skipped: skipped.length } : {}),
          ...(input.targets.selector ? { selector: input.targets.selector } : {}),
          maxConcurrency: input.maxConcurrency ?? 100,
          maxErrors,
        },
      });
      const row = await this.store.lockBulk(manager, id);
      await this.progress.advance(manager, row!, after);
      return { id, created: true };
    });
    return { record: await this.get(scope, bulkId.id), created: bulkId.created };
  }

  /** The scope's bulk commands, newest first, each with its counts (two statements for the page). */
  async list(scope: TenantScope, page: PageRequest): Promise<Page<BulkRecord>> {
    const bulks = await this.store.listBulks(scope.tenantId, page);
    const counts = await this.store.bulkTargetCountsOf(bulks.items.map((bulk) => bulk.id));
    return { items: bulks.items.map((bulk) => ({ bulk, counts: counts.get(bulk.id) ?? [] })), nextCursor: bulks.nextCursor };
  }

  async get(scope: TenantScope, bulkId: string): Promise<BulkRecord> {
    const bulk = isUuid(bulkId) ? await this.store.findBulk(scope.tenantId, bulkId) : null;
    if (!bulk) throw CommandErrors.bulkNotFound();
    const counts = await this.store.bulkTargetCounts(bulk.id);
    return { bulk, counts };
  }

  /**
   * The listed gateways (each must be an active gateway of the tenant), every active gateway of the
   * listed profiles, and every active gateway the selector matches now (read in the creating transaction).
   */
  private async resolveTargets(manager: EntityManager, tenantId: string, input: BulkTargetsDto): Promise<string[]> {
    const gatewayIds = input.gatewayIds ?? [];
    const profileIds = input.profileIds ?? [];
    const selected = input.selector
      ? await this.profiles.activeGatewayIdsMatching(manager, tenantId, {
          labels:
            input.selector.labelSelector !== undefined
              ? parseLabelSelector(input.selector.labelSelector, 'targets.selector.labelSelector')
              : undefined,
          statuses: input.selector.status,
          gatewayType: input.selector.gatewayType,
          healths: input.selector.health,
        })
      : [];
    const errors: FieldError[] = [];
    const found = new Set(await this.gateways.activeIdsOfTenant(tenantId, gatewayIds));
    gatewayIds.forEach((id, index) => {
      if (!found.has(id)) errors.push({ field: `targets.gatewayIds[${index}]`, message: `${id} is not an active gateway of this tenant` });
    });
    const knownProfiles = new Set(await this.profiles.existingIdsOfTenant(tenantId, profileIds));
    profileIds.forEach((id, index) => {
      if (!knownProfiles.has(id))
        errors.push({ field: `targets.profileIds[${index}]`, message: `${id} is not a management profile of this tenant` });
    });
    if (errors.length) throw invalidRequest("some targets are not this tenant's", errors.slice(0, 20));
    const ofProfiles = await this.gateways.activeIdsOfProfiles(tenantId, profileIds);
    const targets = [...new Set([...gatewayIds, ...ofProfiles, ...selected])];
    if (!targets.length)
      throw invalidRequest(
        'the bulk command has no target: give gatewayIds, profileIds with active gateways, or a selector that matches some',
        [{ field: 'targets', message: 'no active gateway to target' }],
      );
    return targets;
  }
}
