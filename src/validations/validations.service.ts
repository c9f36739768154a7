import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { ChangeRecorder } from '../platform/audit/change-recorder.js';
import { SYSTEM_ACTOR, type Actor } from '../platform/auth/principal.js';
import type { TenantScope } from '../platform/auth/tenant-scope.js';
import { transactionWithEffects, type AfterCommit } from '../platform/database/after-commit.js';
import { uniqueViolation } from '../platform/database/postgres-errors.js';
import { isUuid } from '../platform/database/uuid.js';
import { EventTopic } from '../platform/events/topics.js';
import type { Page, PageRequest } from '../platform/pagination/cursor.js';
import { JobQueue } from '../platform/queues/job-queue.service.js';
import { isEnded, type CommandState } from '../commands/command-state.js';
import { validateParameters } from '../commands/command-types.js';
import { CommandFactory } from '../commands/issuing/command-factory.service.js';
import { CommandsService, DEFAULT_TIMEOUT_SECONDS } from '../commands/issuing/commands.service.js';
import { GatewayEntity } from '../gateways/gateway.entity.js';
import { GatewaysQueryService } from '../gateways/gateways-query.service.js';
import { GatewayErrors } from '../gateways/gateways.errors.js';
import { ValidationRunEntity, type ValidationReport } from './validation-run.entity.js';
import {
  drillPlacement,
  drillStep,
  pendingResources,
  settleSetup,
  type CommandOutcome,
  type DrillReport,
  type DrillRun,
  type Observation,
  type ObservedNode,
  type ValidationState,
} from './validation-rules.js';
import { ValidationErrors } from './validations.errors.js';
import { ValidationsStore } from './validations.store.js';

/** How long the setup validation's commands may wait to be picked up. */
const SETUP_DELIVER_BY_MS = 3600_000;
/** The discovery profile name the setup validation's RUN_DISCOVERY carries. */
export const SETUP_DISCOVERY_PROFILE = 'setup-validation';

export interface ValidationUpdatedEvent {
  validationId: string;
  gatewayId: string;
  tenantId: string;
  kind: string;
  state: ValidationState;
  phase: string;
  failureReason: string | null;
  updatedAt: string;
}

export interface StartDrill {
  gatewayId: string;
  node: string;
  recoveryDeadlineSeconds?: number;
  nodeLossDeadlineSeconds?: number;
  stopNode?: boolean;
}

/**
 * The cluster guide's validations as tracked runs. A run is started by a user, then looked at
 * again every VALIDATION_TICK_MS by a BullMQ job until it ends (a drill a while longer, to record
 * its node's return). Each look is one transaction on the run's row that first checks the row is
 * still at that look, so a job that runs twice changes nothing the second time; a sweep re-queues
 * a look whose job was lost.
 */
@Injectable()
export class ValidationsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(ValidationsStore) private readonly store: ValidationsStore,
    @Inject(GatewaysQueryService) private readonly gateways: GatewaysQueryService,
    @Inject(CommandFactory) private readonly commandFactory: CommandFactory,
    @Inject(CommandsService) private readonly commands: CommandsService,
    @Inject(ChangeRecorder) private readonly changes: ChangeRecorder,
    @Inject(JobQueue) private readonly jobs: JobQueue,
  ) {}

  /** Setup validation: RUN_DISCOVERY and APPLY_PING_MONITORS on the resources, then per resource what happened. */
  async startSetup(scope: TenantScope, gatewayId: string, resources: string[]): Promise<ValidationRunEntity> {
    const unique = [...new Map(resources.map((r) => [r.toLowerCase(), r])).values()];
    const discoveryParameters = validateParameters('RUN_DISCOVERY', { profile: SETUP_DISCOVERY_PROFILE, resources: unique });
    const pingParameters = validateParameters('APPLY_PING_MONITORS', { resources: unique });
    return transactionWithEffects(this.dataSource, async (manager, after) => {
      const gateway = await this.lockLiveGateway(manager, scope.tenantId, gatewayId);
      const deliverBy = new Date(Date.now() + SETUP_DELIVER_BY_MS);
      const [discovery, ping] = await this.commandFactory.createMany(
        manager,
        [
          {
            tenantId: scope.tenantId,
            gatewayId: gateway.id,
            type: 'RUN_DISCOVERY',
            parameters: discoveryParameters,
            deliverBy,
            timeoutSeconds: DEFAULT_TIMEOUT_SECONDS,
          },
          {
            tenantId: scope.tenantId,
            gatewayId: gateway.id,
            type: 'APPLY_PING_MONITORS',
            parameters: pingParameters,
            deliverBy,
            timeoutSeconds: DEFAULT_TIMEOUT_SECONDS,
          },
        ],
        scope.actor,
        after,
      );
      // The commands end by themselves (expired, timed out) well before this; it only guards against a lost end.
      const deadlineAt = new Date(deliverBy.getTime() + (DEFAULT_TIMEOUT_SECONDS + 60) * 1000);
      const run = this.newRun(
        scope,
        gateway.id,
        'SETUP',
        'AWAITING_RESULTS',
        deadlineAt,
        { kind: 'SETUP', resources: unique },
        { kind: 'SETUP', resources: pendingResources(unique) },
      );
      run.commandIds = { discovery: discovery!.id, pingMonitors: ping!.id };
      await this.store.insert(manager, run);
      await this.record(manager, run, scope.actor, 'validation.started', null, after);
      return run;
    });
  }

  /** Node-failure drill: records where the apps run, then waits for the node to go and for its apps to come back elsewhere. */
  async startDrill(scope: TenantScope, input: StartDrill): Promise<ValidationRunEntity> {
    const recoveryDeadlineSeconds = input.recoveryDeadlineSeconds ?? this.config.validations.recoveryDeadlineSeconds;
    const nodeLossDeadlineSeconds = input.nodeLossDeadlineSeconds ?? this.config.validations.nodeLossDeadlineSeconds;
    try {
      return await transactionWithEffects(this.dataSource, async (manager, after) => {
        const gateway = await this.lockLiveGateway(manager, scope.tenantId, input.gatewayId);
        if (gateway.type !== 'CLUSTER') throw ValidationErrors.notACluster();
        const nodes = (await this.gateways.nodesOf(scope.tenantId, [gateway.id])).get(gateway.id) ?? [];
        const observed = nodes.map(observedNode);
        const chosen = observed.find((n) => n.hostname === input.node && n.state === 'ACTIVE');
        if (!chosen) throw ValidationErrors.nodeNotFound(input.node);
        if (!chosen.ready) throw ValidationErrors.nodeNotReady(input.node);
        if (!observed.some((n) => n !== chosen && n.state === 'ACTIVE' && n.ready)) throw ValidationErrors.nothingToFailOver();
        const report: DrillReport = {
          node: chosen.hostname,
          ...drillPlacement(observed, chosen.hostname),
          nodeLostAt: null,
          recoveredAt: null,
          recoverySeconds: null,
          recoveredOn: [],
          appsNotRecovered: [],
          nodeReturnedAt: null,
        };
        const run = this.newRun(
          scope,
          gateway.id,
          'NODE_FAILURE',
          'AWAITING_NODE_LOSS',
          new Date(Date.now() + nodeLossDeadlineSeconds * 1000),
          {
            kind: 'NODE_FAILURE',
            node: chosen.hostname,
            recoveryDeadlineSeconds,
            nodeLossDeadlineSeconds,
            stopNode: Boolean(input.stopNode),
          },
          { kind: 'NODE_FAILURE', ...report },
        );
        if (input.stopNode) {
          const [stop] = await this.commandFactory.createMany(
            manager,
            [
              {
                tenantId: scope.tenantId,
                gatewayId: gateway.id,
                type: 'STOP_NODE',
                parameters: validateParameters('STOP_NODE', { hostname: chosen.hostname }),
                deliverBy: run.deadlineAt,
                timeoutSeconds: DEFAULT_TIMEOUT_SECONDS,
              },
            ],
            scope.actor,
            after,
          );
          run.commandIds = { stopNode: stop!.id };
        }
        await this.store.insert(manager, run);
        await this.record(manager, run, scope.actor, 'validation.started', null, after);
        return run;
      });
    } catch (error) {
      if (uniqueViolation(error) === 'validation_runs_one_drill') throw ValidationErrors.drillRunning();
      throw error;
    }
  }

  async cancel(scope: TenantScope, runId: string): Promise<ValidationRunEntity> {
    return transactionWithEffects(this.dataSource, async (manager, after) => {
      const run = await this.store.find(scope.tenantId, runId, manager, true);
      if (!run) throw ValidationErrors.notFound();
      if (run.state !== 'RUNNING') throw ValidationErrors.alreadyEnded(run.state);
      const previous = run.state;
      this.end(run, 'CANCELLED', null);
      run.watchUntil = null;
      await this.store.save(manager, run);
      await this.record(manager, run, scope.actor, 'validation.cancelled', previous, after);
      return run;
    });
  }

  async find(scope: Pick<TenantScope, 'tenantId'>, runId: string): Promise<ValidationRunEntity> {
    const run = await this.store.find(scope.tenantId, runId);
    if (!run) throw ValidationErrors.notFound();
    return run;
  }

  list(scope: Pick<TenantScope, 'tenantId'>, gatewayId: string | undefined, page: PageRequest): Promise<Page<ValidationRunEntity>> {
    return this.store.list(scope.tenantId, gatewayId, page);
  }

  /** Runs of a tenant by id, in one query (GraphQL relation fields batch through this). */
  getMany(tenantId: string, ids: readonly string[]): Promise<Map<string, ValidationRunEntity>> {
    return this.store.getMany(tenantId, ids);
  }

  /** One look at a run's gateway (the job of look number `tick`); does nothing when the run is past that look. */
  async tick(runId: string, tick: number): Promise<void> {
    const peek = isUuid(runId) ? await this.dataSource.manager.findOneBy(ValidationRunEntity, { id: runId }) : null;
    if (!peek || peek.tick !== tick) return;
    // What the run looks at is read before its row is locked: a look never holds the row while it reads the gateway.
    const seen = peek.kind === 'SETUP' && peek.state === 'RUNNING' ? await this.commandOutcomes(peek) : null;
    const observation = peek.kind === 'NODE_FAILURE' ? await this.observe(peek) : null;
    await transactionWithEffects(this.dataSource, async (manager, after) => {
      const run = await this.store.lock(manager, runId);
      if (!run || run.tick !== tick) return;
      run.tick += 1;
      if (run.kind === 'SETUP') await this.lookAtSetup(manager, run, seen!, after);
      else await this.lookAtDrill(manager, run, observation!, after);
      if (run.watchUntil && (run.report.kind !== 'NODE_FAILURE' || run.report.nodeReturnedAt || run.watchUntil.getTime() < Date.now()))
        run.watchUntil = null;
      await this.store.save(manager, run);
      if (run.state === 'RUNNING' || run.watchUntil) after.add(() => this.queueTick(run.id, run.tick, this.config.validations.tickMs));
    });
  }

  /** Re-queues the look of runs that have not moved for several ticks (their job was lost with a process). */
  async sweep(): Promise<number> {
    const quiet = await this.store.quiet(Math.max(5 * this.config.validations.tickMs, 10_000));
    for (const run of quiet) await this.queueTick(run.id, run.tick, 0);
    return quiet.length;
  }

  // ---- looks ----------------------------------------------------------------------------------

  private async lookAtSetup(
    manager: EntityManager,
    run: ValidationRunEntity,
    seen: { discovery: CommandOutcome; ping: CommandOutcome } | null,
    after: AfterCommit,
  ): Promise<void> {
    if (run.state !== 'RUNNING' || run.request.kind !== 'SETUP' || !seen) return;
    if (seen.discovery.ended && seen.ping.ended) {
      const verdict = settleSetup(run.request.resources, seen.discovery, seen.ping);
      run.report = { kind: 'SETUP', resources: verdict.resources };
      this.end(run, verdict.state, verdict.failureReason);
      await this.record(manager, run, SYSTEM_ACTOR, `validation.${verdict.state.toLowerCase()}`, 'RUNNING', after);
    } else if (run.deadlineAt.getTime() <= Date.now()) {
      this.end(run, 'FAILED', 'the discovery and ping monitor commands did not end in time');
      await this.record(manager, run, SYSTEM_ACTOR, 'validation.failed', 'RUNNING', after);
    }
  }

  private async lookAtDrill(manager: EntityManager, run: ValidationRunEntity, seen: Observation | null, after: AfterCommit): Promise<void> {
    if (run.report.kind !== 'NODE_FAILURE' || run.request.kind !== 'NODE_FAILURE') return;
    if (!seen) {
      // The gateway is gone (purged): nothing more to watch.
      if (run.state === 'RUNNING') {
        this.end(run, 'FAILED', 'the gateway no longer exists');
        await this.record(manager, run, SYSTEM_ACTOR, 'validation.failed', 'RUNNING', after);
      }
      return;
    }
    const { kind: _, ...report } = run.report;
    const drill: DrillRun = {
      state: run.state,
      phase: run.phase,
      deadlineAt: run.deadlineAt,
      recoveryDeadlineSeconds: run.request.recoveryDeadlineSeconds,
      report,
    };
    const step = drillStep(drill, seen);
    if (step.kind === 'NONE') return;
    run.report = { kind: 'NODE_FAILURE', ...step.report };
    switch (step.kind) {
      case 'NOTE':
        if (step.event) await this.record(manager, run, SYSTEM_ACTOR, step.event, null, after);
        return;
      case 'NODE_LOST':
        run.phase = 'AWAITING_RECOVERY';
        run.deadlineAt = step.deadlineAt;
        await this.record(manager, run, SYSTEM_ACTOR, 'validation.node_lost', null, after);
        return;
      case 'PASSED':
      case 'FAILED':
        this.end(run, step.kind, step.kind === 'FAILED' ? step.reason : null);
        if (!step.report.nodeReturnedAt && step.report.nodeLostAt)
          run.watchUntil = new Date(Date.now() + run.request.nodeLossDeadlineSeconds * 1000);
        await this.record(manager, run, SYSTEM_ACTOR, `validation.${step.kind.toLowerCase()}`, 'RUNNING', after);
        return;
    }
  }

  private async commandOutcomes(run: ValidationRunEntity): Promise<{ discovery: CommandOutcome; ping: CommandOutcome }> {
    const read = async (id: string | undefined): Promise<CommandOutcome> => {
      const command = id ? await this.commands.find({ tenantId: run.tenantId }, id).catch(() => null) : null;
      if (!command) return { state: 'ABORTED', ended: true, errorCode: 'COMMAND_NOT_FOUND', result: null };
      return { state: command.state, ended: isEnded(command.state as CommandState), errorCode: command.errorCode, result: command.result };
    };
    const [discovery, ping] = await Promise.all([read(run.commandIds.discovery), read(run.commandIds.pingMonitors)]);
    return { discovery, ping };
  }

  /** The gateway as the drill sees it now: its status, its last heartbeat (Redis is fresher than Postgres) and its nodes. */
  private async observe(run: ValidationRunEntity): Promise<Observation | null> {
    const record = await this.gateways.get({ tenantId: run.tenantId }, run.gatewayId).catch(() => null);
    if (!record) return null;
    const live = record.live?.lastHeartbeatAt ?? null;
    const stored = record.gateway.lastHeartbeatAt;
    return {
      at: new Date(),
      gatewayStatus: record.gateway.status,
      lastHeartbeatAt: live && (!stored || live > stored) ? live : stored,
      nodes: record.nodes.map(observedNode),
    };
  }

  // ---- writing ---------------------------------------------------------------------------------

  private newRun(
    scope: TenantScope,
    gatewayId: string,
    kind: ValidationRunEntity['kind'],
    phase: ValidationRunEntity['phase'],
    deadlineAt: Date,
    request: ValidationRunEntity['request'],
    report: ValidationReport,
  ): ValidationRunEntity {
    const now = new Date();
    return Object.assign(new ValidationRunEntity(), {
      id: randomUUID(),
      tenantId: scope.tenantId,
      gatewayId,
      kind,
      state: 'RUNNING',
      phase,
      request,
      report,
      commandIds: {},
      failureReason: null,
      deadlineAt,
      watchUntil: null,
      tick: 0,
      createdBy: scope.actor.id ? `${scope.actor.type}:${scope.actor.id}` : scope.actor.type,
      createdAt: now,
      updatedAt: now,
      endedAt: null,
    });
  }

  private end(run: ValidationRunEntity, state: ValidationState, reason: string | null): void {
    run.state = state;
    run.phase = 'ENDED';
    run.failureReason = reason;
    run.endedAt = new Date();
  }

  /** The run's audit event and its outgoing `validationUpdated` event; a new run's first look is queued after the commit. */
  private async record(
    manager: EntityManager,
    run: ValidationRunEntity,
    actor: Actor,
    action: string,
    previous: ValidationState | null,
    after: AfterCommit,
  ): Promise<void> {
    const event: ValidationUpdatedEvent = {
      validationId: run.id,
      gatewayId: run.gatewayId,
      tenantId: run.tenantId,
      kind: run.kind,
      state: run.state,
      phase: run.phase,
      failureReason: run.failureReason,
      updatedAt: new Date().toISOString(),
    };
    await this.changes.record(manager, {
      tenantId: run.tenantId,
      actor,
      action,
      targetType: 'validation',
      targetId: run.id,
      before: previous ? { state: previous } : null,
      after: {
        state: run.state,
        phase: run.phase,
        kind: run.kind,
        gatewayId: run.gatewayId,
        ...(run.failureReason ? { failureReason: run.failureReason } : {}),
      },
      event: { topic: EventTopic.ValidationUpdated, payload: event },
    });
    if (action === 'validation.started') after.add(() => this.queueTick(run.id, 0, this.config.validations.tickMs));
  }

  private queueTick(runId: string, tick: number, delayMs: number): Promise<void> {
    return this.jobs.add('validations.tick', { runId, tick }, { jobId: `val-${runId}-${tick}`, delayMs });
  }

  /** The gateway row lock orders this run (and its commands) after any de-registration running now. */
  private async lockLiveGateway(manager: EntityManager, tenantId: string, gatewayId: string): Promise<GatewayEntity> {
    const gateway = isUuid(gatewayId)
      ? await manager.findOne(GatewayEntity, { where: { id: gatewayId, tenantId }, lock: { mode: 'pessimistic_write' } })
      : null;
    if (!gateway) throw GatewayErrors.notFound();
    if (gateway.status === 'DEREGISTERED') throw ValidationErrors.gatewayDeregistered();
    return gateway;
  }
}

const observedNode = (node: {
  hostname: string;
  ipAddress: string;
  state: 'ACTIVE' | 'MISSING';
  ready: boolean;
  apps: { name: string; status: string }[];
}): ObservedNode => ({
  hostname: node.hostname,
  ipAddress: node.ipAddress,
  state: node.state,
  ready: node.ready,
  apps: node.apps.map((app) => ({ name: app.name, status: app.status })),
});
