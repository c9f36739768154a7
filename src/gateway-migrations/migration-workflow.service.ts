import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ChangeRecorder } from '../platform/audit/change-recorder.js';
import { SYSTEM_ACTOR, type Actor } from '../platform/auth/principal.js';
import type { TenantScope } from '../platform/auth/tenant-scope.js';
import { TenantErrors } from '../tenants/tenants.errors.js';
import { transactionWithEffects, type AfterCommit } from '../platform/database/after-commit.js';
import { uniqueViolation } from '../platform/database/postgres-errors.js';
import { isUuid } from '../platform/database/uuid.js';
import { EventTopic } from '../platform/events/topics.js';
import { JobQueue } from '../platform/queues/job-queue.service.js';
import { ReactsTo } from '../platform/reactions/reactions.js';
import { CommandFactory } from '../commands/issuing/command-factory.service.js';
import { isEnded } from '../commands/command-state.js';
import { DEFAULT_TIMEOUT_SECONDS } from '../commands/issuing/commands.service.js';
import type { CommandEntity } from '../commands/command.entity.js';
import { DeregistrationService } from '../gateways/deregistration.service.js';
import type { Registered, Registering } from '../gateways/gateway-changes.js';
import { GatewayLiveState } from '../gateways/gateway-live-state.js';
import { GatewayEntity } from '../gateways/gateway.entity.js';
import { GatewayErrors } from '../gateways/gateways.errors.js';
import { ActivationTokensService, type MintedToken } from '../profiles/activation-tokens.service.js';
import type { GatewayType } from '../profiles/profile-status.js';
import { ProfilesService } from '../profiles/profiles.service.js';
import { TenantEntity } from '../tenants/tenant.entity.js';
import { GatewayMigrationEntity, type MigrationDirection, type MigrationStepRecord } from './gateway-migration.entity.js';
import { isRunning, next, type MigrationState } from './migration-state.js';
import { MigrationErrors } from './migrations.errors.js';
import { MigrationsStore } from './migrations.store.js';
import { CommandsStore } from '../commands/commands.store.js';
import { GatewaysStore } from '../gateways/gateways.store.js';
import { ProfilesStore } from '../profiles/profiles.store.js';
import { Metrics } from '../platform/metrics/catalog.js';

export const DEFAULT_TARGET_DEADLINE_SECONDS = 24 * 3600;

/** States whose step the workflow takes on its own (the others wait for the target or its command). */
const SELF_ADVANCING = new Set<MigrationState>(['PENDING', 'SOURCE_DEREGISTERED', 'TARGET_REGISTERED', 'CONFIGURATION_APPLIED']);

export interface MigrationUpdatedEvent {
  migrationId: string;
  profileId: string;
  tenantId: string;
  state: MigrationState;
  failureReason: string | null;
  updatedAt: string;
}

export interface StartedMigration {
  migration: GatewayMigrationEntity;
  minted: MintedToken;
}

const directionTo = (targetType: GatewayType): MigrationDirection =>
  targetType === 'CLUSTER' ? 'CLASSIC_TO_CLUSTER' : 'CLUSTER_TO_CLASSIC';
const otherType = (type: GatewayType): GatewayType => (type === 'CLUSTER' ? 'CLASSIC' : 'CLUSTER');

/**
 * The migration workflow (domain.md, "Migration"): de-register the source, wait for the target to
 * register with this migration's token, apply the profile's configuration to it, complete. Each
 * step is one transaction that checks the state it starts from, so a step runs its side effects
 * once however often its job runs; the next step's job is queued after the commit, and a periodic
 * sweep re-queues any step whose job was lost with a crashed process.
 */
@Injectable()
export class MigrationWorkflow {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(ProfilesService) private readonly profiles: ProfilesService,
    @Inject(ActivationTokensService) private readonly tokens: ActivationTokensService,
    @Inject(DeregistrationService) private readonly deregistration: DeregistrationService,
    @Inject(GatewayLiveState) private readonly live: GatewayLiveState,
    @Inject(CommandFactory) private readonly commands: CommandFactory,
    @Inject(ChangeRecorder) private readonly changes: ChangeRecorder,
    @Inject(JobQueue) private readonly jobs: JobQueue,
    @Inject(MigrationsStore) private readonly store: MigrationsStore,
    /** Other parts' rows this workflow reads or locks, asked of their stores. */
    @Inject(GatewaysStore) private readonly gatewayRows: GatewaysStore,
    @Inject(ProfilesStore) private readonly profileRows: ProfilesStore,
    @Inject(CommandsStore) private readonly commandRows: CommandsStore,
  ) {}

  /** Starts a migration of the profile's active gateway to the other type; the target's token is in the answer only. */
  async start(
    scope: TenantScope,
    profileId: string,
    targetType: GatewayType,
    deadlineSeconds = DEFAULT_TARGET_DEADLINE_SECONDS,
  ): Promise<StartedMigration> {
    // A migration mints its target's activation token, which a suspended tenant may not.
    if (scope.suspended) throw TenantErrors.suspended();
    return this.unlessRunning(() =>
      transactionWithEffects(this.dataSource, async (manager, after) => {
        const profile = await this.profiles.find(scope, profileId, manager, true);
        await this.assertNoneRunning(manager, profile.id);
        const source = await this.gatewayRows.lockActiveEntityOfProfile(manager, profile.id);
        if (!source || source.type === targetType) throw MigrationErrors.noSource(targetType);
        return this.create(manager, scope, { profileId: profile.id, targetType, source, deadlineSeconds, rollbackOf: null }, after);
      }),
    );
  }

  /** Rolls back a completed or failed migration: the same workflow in the other direction. */
  async rollback(scope: TenantScope, migrationId: string, deadlineSeconds = DEFAULT_TARGET_DEADLINE_SECONDS): Promise<StartedMigration> {
    return this.unlessRunning(() =>
      transactionWithEffects(this.dataSource, async (manager, after) => {
        const original = await this.find(scope, migrationId, manager, true);
        const outcome = next(original.state, { type: 'ROLL_BACK' });
        if (outcome.kind === 'REJECTED')
          throw outcome.reason === 'MIGRATION_IN_PROGRESS' ? MigrationErrors.inProgress() : MigrationErrors.alreadyRolledBack();
        await this.profiles.find(scope, original.profileId, manager, true);
        await this.assertNoneRunning(manager, original.profileId);
        const targetType = otherType(original.targetType);
        const source = await this.gatewayRows.lockActiveEntityOfProfile(manager, original.profileId);
        if (source && source.type === targetType) throw MigrationErrors.noSource(targetType);
        await this.move(manager, original, 'ROLLED_BACK', scope.actor, after, {});
        return this.create(
          manager,
          scope,
          { profileId: original.profileId, targetType, source, deadlineSeconds, rollbackOf: original.id },
          after,
        );
      }),
    );
  }

  /** The job of each self-advancing step. Does nothing when the migration is not where the job expects. */
  async advance(migrationId: string): Promise<void> {
    await transactionWithEffects(this.dataSource, async (manager, after) => {
      const migration = await this.lockForStep(manager, migrationId);
      if (!migration || !isRunning(migration.state)) return;
      switch (migration.state) {
        case 'PENDING':
        case 'SOURCE_DEREGISTERED':
          await this.catchUpToAwaitingTarget(manager, migration, after);
          return;
        case 'TARGET_REGISTERED':
          await this.applyConfiguration(manager, migration, after);
          return;
        case 'CONFIGURATION_APPLIED':
          await this.move(manager, migration, 'COMPLETED', SYSTEM_ACTOR, after, {});
          return;
        default:
          return; // AWAITING_TARGET waits for a registration
      }
    });
  }

  /** Past its deadline without a target, a migration fails and its token stops working. */
  async deadlinePassed(migrationId: string): Promise<boolean> {
    return transactionWithEffects(this.dataSource, async (manager, after) => {
      const migration = await this.lockForStep(manager, migrationId);
      if (!migration || !['PENDING', 'SOURCE_DEREGISTERED', 'AWAITING_TARGET'].includes(migration.state)) return false;
      if (migration.deadline.getTime() > Date.now()) return false;
      await this.fail(
        manager,
        migration,
        `the target ${migration.targetType} gateway did not register before the deadline (${migration.deadline.toISOString()})`,
        after,
      );
      return true;
    });
  }

  /**
   * Locks what a step may change in the order a registration takes it (its activation token, the
   * profile, then the migration), so that a step and the target's registration running at the same
   * moment wait for each other instead of deadlocking.
   */
  private async lockForStep(manager: EntityManager, migrationId: string): Promise<GatewayMigrationEntity | null> {
    const refs = await this.store.references(manager, migrationId);
    if (!refs) return null;
    if (refs.activation_token_id) await this.profileRows.lockToken(manager, refs.activation_token_id);
    await this.profileRows.lockProfile(manager, refs.profile_id);
    return manager.findOne(GatewayMigrationEntity, { where: { id: migrationId }, lock: { mode: 'pessimistic_write' } });
  }

  /** The safety net: re-queues steps whose job was lost, and applies missed deadlines. */
  async sweep(): Promise<number> {
    const stuck = await this.store.stuckRunning();
    for (const migration of stuck) {
      if (migration.overdue && ['PENDING', 'SOURCE_DEREGISTERED', 'AWAITING_TARGET'].includes(migration.state))
        await this.deadlinePassed(migration.id);
      else if (SELF_ADVANCING.has(migration.state)) await this.queueAdvance(migration.id, migration.state);
    }
    return stuck.length;
  }

  async find(
    scope: Pick<TenantScope, 'tenantId'>,
    migrationId: string,
    manager: EntityManager = this.dataSource.manager,
    lock = false,
  ): Promise<GatewayMigrationEntity> {
    const migration = isUuid(migrationId)
      ? await manager.findOne(GatewayMigrationEntity, {
          where: { id: migrationId, tenantId: scope.tenantId },
          ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
        })
      : null;
    if (!migration) throw MigrationErrors.notFound();
    return migration;
  }

  private async create(
    manager: EntityManager,
    scope: TenantScope,
    plan: { profileId: string; targetType: GatewayType; source: GatewayEntity | null; deadlineSeconds: number; rollbackOf: string | null },
    after: AfterCommit,
  ): Promise<StartedMigration> {
    if (plan.targetType === 'CLUSTER') {
      const tenant = await manager.findOneByOrFail(TenantEntity, { id: scope.tenantId });
      if (!tenant.features.gatewayClustering) throw MigrationErrors.clusteringNotEnabled();
    }
    const now = new Date();
    const migration = manager.create(GatewayMigrationEntity, {
      id: randomUUID(),
      tenantId: scope.tenantId,
      profileId: plan.profileId,
      direction: directionTo(plan.targetType),
      targetType: plan.targetType,
      sourceGatewayId: plan.source?.id ?? null,
      targetGatewayId: null,
      state: 'PENDING',
      failureReason: null,
      activationTokenId: null,
      deadline: new Date(now.getTime() + plan.deadlineSeconds * 1000),
      rollbackOf: plan.rollbackOf,
      applyCommandId: null,
      configurationVersion: null,
      steps: [{ step: 'PENDING', at: now.toISOString(), detail: { sourceGatewayId: plan.source?.id ?? null } }],
      createdBy: scope.actor.id ? `${scope.actor.type}:${scope.actor.id}` : scope.actor.type,
      endedAt: null,
    });
    await manager.save(migration);
    const minted = await this.tokens.mintWithin(manager, {
      tenantId: scope.tenantId,
      profileId: plan.profileId,
      ttlSeconds: plan.deadlineSeconds,
      purpose: 'MIGRATION',
      actor: scope.actor,
      migrationId: migration.id,
    });
    migration.activationTokenId = minted.token.id;
    await manager.update(GatewayMigrationEntity, { id: migration.id }, { activationTokenId: minted.token.id });
    await this.record(manager, migration, scope.actor, plan.rollbackOf ? 'migration.rollback_started' : 'migration.started', null);
    after.add(() => this.queueAdvance(migration.id, 'PENDING'));
    after.add(() =>
      this.jobs.add(
        'migrations.deadline',
        { migrationId: migration.id },
        { jobId: `mig-${migration.id}-deadline`, delayMs: plan.deadlineSeconds * 1000 },
      ),
    );
    return { migration, minted };
  }

  /** PENDING: de-register the source (its credential stops, its waiting commands end ABORTED); then wait for the target. */
  private async catchUpToAwaitingTarget(manager: EntityManager, migration: GatewayMigrationEntity, after: AfterCommit): Promise<void> {
    if (migration.state === 'PENDING') {
      if (migration.sourceGatewayId) {
        const source = migration.sourceGatewayId;
        await this.deregistration.deregisterWithin(manager, migration.tenantId, source, SYSTEM_ACTOR, 'MIGRATION');
        after.add(() => this.live.markDeregistered(source));
      }
      await this.move(manager, migration, 'SOURCE_DEREGISTERED', SYSTEM_ACTOR, after, { gatewayId: migration.sourceGatewayId });
    }
    if (migration.state === 'SOURCE_DEREGISTERED')
      await this.move(manager, migration, 'AWAITING_TARGET', SYSTEM_ACTOR, after, { deadline: migration.deadline.toISOString() });
  }

  /** TARGET_REGISTERED: queue APPLY_CONFIGURATION with the profile's configuration, once. */
  private async applyConfiguration(manager: EntityManager, migration: GatewayMigrationEntity, after: AfterCommit): Promise<void> {
    if (migration.applyCommandId) {
      // The command ended while its end was not seen (a crash): apply its outcome now.
      const command = await this.commandRows.find(manager, migration.applyCommandId);
      if (command && isEnded(command.state)) {
        await this.settleApply(manager, migration, command.state, command.errorCode, after);
      }
      return;
    }
    const profile = await this.profiles.find({ tenantId: migration.tenantId }, migration.profileId, manager);
    const [command] = await this.commands.createMany(
      manager,
      [
        {
          tenantId: migration.tenantId,
          gatewayId: migration.targetGatewayId!,
          type: 'APPLY_CONFIGURATION',
          parameters: { version: profile.configurationVersion },
          deliverBy: migration.deadline.getTime() > Date.now() + 3600_000 ? migration.deadline : new Date(Date.now() + 3600_000),
          timeoutSeconds: DEFAULT_TIMEOUT_SECONDS,
        },
      ],
      SYSTEM_ACTOR,
      after,
    );
    migration.applyCommandId = command.id;
    migration.configurationVersion = profile.configurationVersion;
    await manager.update(
      GatewayMigrationEntity,
      { id: migration.id },
      { applyCommandId: command.id, configurationVersion: profile.configurationVersion },
    );
    migration.steps = [
      ...migration.steps,
      {
        step: 'TARGET_REGISTERED',
        at: new Date().toISOString(),
        detail: { applyConfigurationCommandId: command.id, configurationVersion: profile.configurationVersion },
      },
    ];
    await manager.update(GatewayMigrationEntity, { id: migration.id }, { steps: migration.steps });
  }

  /** A registration on a profile with a running migration: only its token, only its target type; the source goes first. */
  @ReactsTo('gateway.registering')
  async admitRegistration(registering: Registering): Promise<void> {
    const { manager, after } = registering;
    const runningId = await this.store.lockRunningOfProfile(manager, registering.profileId);
    if (!runningId) return;
    if (registering.token.migrationId !== runningId) throw MigrationErrors.onlyItsToken();
    const migration = await manager.findOneByOrFail(GatewayMigrationEntity, { id: runningId });
    if (registering.gatewayType !== migration.targetType) throw GatewayErrors.typeMismatch(migration.targetType, registering.gatewayType);
    await this.catchUpToAwaitingTarget(manager, migration, after);
  }

  @ReactsTo('gateway.registered')
  async targetRegistered({ manager, gateway, token, after }: Registered): Promise<void> {
    if (!token.migrationId) return;
    const migration = await manager.findOne(GatewayMigrationEntity, {
      where: { id: token.migrationId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!migration || migration.state !== 'AWAITING_TARGET') return;
    migration.targetGatewayId = gateway.id;
    await manager.update(GatewayMigrationEntity, { id: migration.id }, { targetGatewayId: gateway.id });
    await this.move(manager, migration, 'TARGET_REGISTERED', { type: 'gateway', id: gateway.id }, after, { gatewayId: gateway.id });
  }

  /** A migration's APPLY_CONFIGURATION ended, in the end's transaction. */
  @ReactsTo('command.ended')
  async applyCommandEnded({
    manager,
    command,
    after,
  }: {
    manager: EntityManager;
    command: CommandEntity;
    after: AfterCommit;
  }): Promise<void> {
    const migration = await manager.findOne(GatewayMigrationEntity, {
      where: { applyCommandId: command.id },
      lock: { mode: 'pessimistic_write' },
    });
    if (!migration || migration.state !== 'TARGET_REGISTERED') return;
    await this.settleApply(manager, migration, command.state, command.errorCode, after);
  }

  private async settleApply(
    manager: EntityManager,
    migration: GatewayMigrationEntity,
    state: string,
    errorCode: string | null,
    after: AfterCommit,
  ): Promise<void> {
    if (state === 'SUCCEEDED') {
      await this.move(manager, migration, 'CONFIGURATION_APPLIED', SYSTEM_ACTOR, after, { commandId: migration.applyCommandId });
    } else {
      await this.fail(
        manager,
        migration,
        `APPLY_CONFIGURATION ended ${state}${errorCode ? ` (${errorCode})` : ''} on the target gateway`,
        after,
      );
    }
  }

  private async fail(manager: EntityManager, migration: GatewayMigrationEntity, reason: string, after: AfterCommit): Promise<void> {
    migration.failureReason = reason;
    await manager.update(GatewayMigrationEntity, { id: migration.id }, { failureReason: reason });
    if (migration.activationTokenId) {
      await this.profileRows.revokeTokenOfFailedMigration(manager, migration.activationTokenId);
    }
    await this.move(manager, migration, 'FAILED', SYSTEM_ACTOR, after, { reason });
  }

  /** One state change: the row, its step, its audit and outgoing events, and the next step's job. */
  private async move(
    manager: EntityManager,
    migration: GatewayMigrationEntity,
    to: MigrationState,
    actor: Actor,
    after: AfterCommit,
    detail: NonNullable<MigrationStepRecord['detail']>,
  ): Promise<void> {
    const previous = migration.state;
    const now = new Date();
    const since = migration.steps.at(-1)?.at;
    after.add(async () => {
      if (since) Metrics.migrationSteps.observe({ step: to }, Math.max(0, now.getTime() - Date.parse(since)) / 1000);
      if (to === 'FAILED') Metrics.migrationFailures.inc({ step: previous });
    });
    migration.state = to;
    migration.steps = [...migration.steps, { step: to, at: now.toISOString(), detail }];
    if (!isRunning(to)) migration.endedAt = now;
    await manager.update(GatewayMigrationEntity, { id: migration.id }, { state: to, steps: migration.steps, endedAt: migration.endedAt });
    await this.record(manager, migration, actor, `migration.${to.toLowerCase()}`, previous);
    if (SELF_ADVANCING.has(to)) after.add(() => this.queueAdvance(migration.id, to));
  }

  private async record(
    manager: EntityManager,
    migration: GatewayMigrationEntity,
    actor: Actor,
    action: string,
    previous: MigrationState | null,
  ): Promise<void> {
    const event: MigrationUpdatedEvent = {
      migrationId: migration.id,
      profileId: migration.profileId,
      tenantId: migration.tenantId,
      state: migration.state,
      failureReason: migration.failureReason,
      updatedAt: new Date().toISOString(),
    };
    await this.changes.record(manager, {
      tenantId: migration.tenantId,
      actor,
      action,
      targetType: 'gatewayMigration',
      targetId: migration.id,
      before: previous ? { state: previous } : null,
      after: {
        state: migration.state,
        profileId: migration.profileId,
        direction: migration.direction,
        ...(migration.failureReason ? { failureReason: migration.failureReason } : {}),
        ...(migration.rollbackOf ? { rollbackOf: migration.rollbackOf } : {}),
      },
      event: { topic: EventTopic.MigrationUpdated, payload: event },
    });
  }

  private queueAdvance(migrationId: string, fromState: MigrationState): Promise<void> {
    // One job per step: a duplicate add (the sweep, a retry) is a no-op while that job exists.
    return this.jobs.add('migrations.advance', { migrationId }, { jobId: `mig-${migrationId}-${fromState}` });
  }

  private async assertNoneRunning(manager: EntityManager, profileId: string): Promise<void> {
    if (await this.store.anyRunningOfProfile(manager, profileId)) throw MigrationErrors.inProgress();
  }

  private async unlessRunning<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (uniqueViolation(error) === 'gateway_migrations_one_running') throw MigrationErrors.inProgress();
      throw error;
    }
  }
}
