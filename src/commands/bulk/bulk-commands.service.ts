import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ChangeRecorder } from '../../platform/audit/change-recorder.js';
import type { TenantScope } from '../../platform/auth/tenant-scope.js';
import { transactionWithEffects } from '../../platform/database/after-commit.js';
import { isUuid } from '../../platform/database/uuid.js';
import { invalidRequest, type FieldError } from '../../platform/errors/domain-error.js';
import { IdempotencyKeys } from '../../platform/idempotency/idempotency-keys.js';
import { BulkProgress } from './bulk-progress.service.js';
import { BulkCommandEntity } from '../command.entity.js';
import { CommandErrors } from '../commands.errors.js';
import { commandSpecOf } from '../issuing/commands.service.js';
import type { CreateBulkCommandDto } from '../dto/command.dto.js';

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
  ) {}

  async create(scope: TenantScope, input: CreateBulkCommandDto, idempotencyKey?: string): Promise<{ record: BulkRecord; created: boolean }> {
    const spec = commandSpecOf(input);
    const maxErrors = input.maxErrors ?? '0';
    const bulkId = await transactionWithEffects(this.dataSource, async (manager, after) => {
      const id = randomUUID();
      if (idempotencyKey) {
        const existing = await this.idempotency.claim(manager, scope.tenantId, idempotencyKey, input, 'bulkCommand', id);
        if (existing) return { id: existing, created: false };
      }
      const targets = await this.resolveTargets(scope.tenantId, input.targets.gatewayIds ?? [], input.targets.profileIds ?? []);
      const percent = maxErrors.endsWith('%') ? Number(maxErrors.slice(0, -1)) : null;
      const createdBy = scope.actor.id ? `${scope.actor.type}:${scope.actor.id}` : scope.actor.type;
      await manager.query(
        `INSERT INTO bulk_commands (id, tenant_id, type, parameters, deliver_by, timeout_seconds, max_concurrency, max_errors, max_errors_percent, state, target_count, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'RUNNING', $10, $11)`,
        [id, scope.tenantId, spec.type, JSON.stringify(spec.parameters), spec.deliverBy, spec.timeoutSeconds, input.maxConcurrency ?? 100, percent === null ? Number(maxErrors) : null, percent, targets.length, createdBy],
      );
      await manager.query(
        `INSERT INTO bulk_command_targets (bulk_id, gateway_id, position, state) SELECT $1, t.id, t.position, 'PENDING' FROM unnest($2::uuid[]) WITH ORDINALITY AS t(id, position)`,
        [id, targets],
      );
      await this.changes.record(manager, {
        tenantId: scope.tenantId,
        actor: scope.actor,
        action: 'bulk_command.created',
        targetType: 'bulkCommand',
        targetId: id,
        after: { type: spec.type, parameters: spec.parameters, targets: targets.length, maxConcurrency: input.maxConcurrency ?? 100, maxErrors },
      });
      const [row] = await manager.query(`SELECT * FROM bulk_commands WHERE id = $1 FOR UPDATE`, [id]);
      await this.progress.advance(manager, row, after);
      return { id, created: true };
    });
    return { record: await this.get(scope, bulkId.id), created: bulkId.created };
  }

  async get(scope: TenantScope, bulkId: string): Promise<BulkRecord> {
    const bulk = isUuid(bulkId) ? await this.dataSource.manager.findOneBy(BulkCommandEntity, { id: bulkId, tenantId: scope.tenantId }) : null;
    if (!bulk) throw CommandErrors.bulkNotFound();
    const counts: { key: string; count: number }[] = await this.dataSource.query(
      `SELECT COALESCE(c.state, t.state) AS key, count(*)::int AS count
       FROM bulk_command_targets t LEFT JOIN commands c ON c.id = t.command_id
       WHERE t.bulk_id = $1 GROUP BY 1 ORDER BY 1`,
      [bulk.id],
    );
    return { bulk, counts };
  }

  /** The listed gateways (each must be an active gateway of the tenant) and every active gateway of the listed profiles. */
  private async resolveTargets(tenantId: string, gatewayIds: string[], profileIds: string[]): Promise<string[]> {
    const errors: FieldError[] = [];
    const listed: { id: string }[] = gatewayIds.length
      ? await this.dataSource.query(`SELECT id FROM gateways WHERE tenant_id = $1 AND id = ANY($2::uuid[]) AND status <> 'DEREGISTERED'`, [tenantId, gatewayIds])
      : [];
    const found = new Set(listed.map((row) => row.id));
    gatewayIds.forEach((id, index) => {
      if (!found.has(id)) errors.push({ field: `targets.gatewayIds[${index}]`, message: `${id} is not an active gateway of this tenant` });
    });
    const profiles: { id: string }[] = profileIds.length
      ? await this.dataSource.query(`SELECT id FROM management_profiles WHERE tenant_id = $1 AND id = ANY($2::uuid[]) AND deleted_at IS NULL`, [tenantId, profileIds])
      : [];
    const knownProfiles = new Set(profiles.map((row) => row.id));
    profileIds.forEach((id, index) => {
      if (!knownProfiles.has(id)) errors.push({ field: `targets.profileIds[${index}]`, message: `${id} is not a management profile of this tenant` });
    });
    if (errors.length) throw invalidRequest('some targets are not this tenant\'s', errors.slice(0, 20));
    const ofProfiles: { id: string }[] = profileIds.length
      ? await this.dataSource.query(`SELECT id FROM gateways WHERE tenant_id = $1 AND profile_id = ANY($2::uuid[]) AND status <> 'DEREGISTERED' ORDER BY created_at, id`, [tenantId, profileIds])
      : [];
    const targets = [...new Set([...gatewayIds, ...ofProfiles.map((row) => row.id)])];
    if (!targets.length) throw invalidRequest('the bulk command has no target: give gatewayIds, or profileIds with active gateways', [{ field: 'targets', message: 'no active gateway to target' }]);
    return targets;
  }
}
