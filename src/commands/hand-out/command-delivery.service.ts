import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { ChangeRecorder, insertChangesFrom } from '../../platform/audit/change-recorder.js';
import type { GatewayPrincipal } from '../../platform/auth/principal.js';
import { AfterCommit, transactionWithEffects } from '../../platform/database/after-commit.js';
import { prepared, queryReturning } from '../../platform/database/sql.js';
import { StatementBatcher } from '../../platform/database/statement-batcher.js';
import { isUuid } from '../../platform/database/uuid.js';
import { GatewayHooks, type DeregisteredGateway, type RestartedGateway } from '../../gateways/gateway-hooks.js';
import { GatewayLiveState } from '../../gateways/gateway-live-state.js';
import type { ProtocolCommand } from '../../gateways/protocol-command.js';
import { DELIVERED_CHANGE } from '../lifecycle/command-changes.js';
import { CommandLifecycle, type ChangeDetails } from '../lifecycle/command-lifecycle.service.js';
import { isEnded, next, type CommandEvent, type CommandState, type GatewayUpdateState } from '../command-state.js';
import { CommandTimers } from '../lifecycle/command-timers.js';
import { CommandWakeups } from './command-wakeups.js';
import { COMMAND_COLUMNS, CommandEntity, commandFromRow, type CommandRow } from '../command.entity.js';
import { CommandErrors } from '../commands.errors.js';
import { RecentCommands, type KnownCommand } from '../gateway-updates/recent-commands.js';

type ClaimedRow = CommandRow & { version: string };

const GATEWAY_COMMAND = `SELECT ${COMMAND_COLUMNS}, xmin::text AS version FROM commands WHERE id = $1 AND gateway_id = $2`;
const READ_GATEWAY_COMMAND = prepared('read-gateway-command', GATEWAY_COMMAND);
const LOCK_GATEWAY_COMMAND = prepared('lock-gateway-command', `${GATEWAY_COMMAND} FOR UPDATE`);

/** How many commands one answer carries at most; the rest follow on the next poll. */
const HAND_OUT_LIMIT = 20;

export interface GatewayUpdate {
  state: GatewayUpdateState;
  progressPercent?: number;
  message?: string;
  result?: Record<string, unknown> | null;
  errorCode?: string | null;
}

/**
 * How often an update is tried without a lock before it takes one. A gateway's updates of one
 * command come one after another, so a second try is rare (a timer or a user's cancel in between).
 */
const OPTIMISTIC_UPDATE_ATTEMPTS = 3;

/**
 * What a gateway's update does to the command as it is now: a move (`to`), progress while running
 * (`to` null: only when it is news), nothing (a repeat, or behind the command's state), or a
 * refusal (409) after an end.
 */
function decideUpdate(command: CommandEntity, update: GatewayUpdate): { kind: 'CHANGE'; to: CommandState | null } | { kind: 'NONE' } | { kind: 'REJECTED' } {
  const outcome = next(command.state, { type: 'GATEWAY_UPDATE', state: update.state });
  if (outcome.kind === 'REJECTED') return { kind: 'REJECTED' };
  if (outcome.kind === 'MOVED') return { kind: 'CHANGE', to: outcome.to };
  const progressed =
    update.state === 'RUNNING' &&
    command.state === 'RUNNING' &&
    ((update.progressPercent ?? -1) > (command.progressPercent ?? -1) || (update.message !== undefined && update.message !== command.message));
  return progressed ? { kind: 'CHANGE', to: null } : { kind: 'NONE' };
}

const updateDetails = (gateway: GatewayPrincipal, update: GatewayUpdate): ChangeDetails => ({
  actor: { type: 'gateway', id: gateway.gatewayId },
  progressPercent: update.progressPercent,
  message: update.message,
  result: update.state === 'SUCCEEDED' || update.state === 'FAILED' ? (update.result ?? null) : undefined,
  errorCode: update.state === 'FAILED' ? (update.errorCode ?? 'FAILED') : undefined,
});

const toProtocol = (command: CommandEntity): ProtocolCommand => ({
  commandId: command.id,
  sequence: Number(command.sequence),
  type: command.type,
  parameters: command.parameters,
  issuedAt: command.createdAt.toISOString(),
  deliverBy: command.deliverBy.toISOString(),
  timeoutSeconds: command.timeoutSeconds,
});

/**
 * Protocol sections 4 to 6 from the service's side: handing commands out (on the heartbeat answer
 * and by long poll), and the gateway's updates. Also what commands do when their gateway leaves
 * or restarts.
 */
@Injectable()
export class CommandDelivery implements OnModuleInit {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(GatewayHooks) private readonly gatewayHooks: GatewayHooks,
    @Inject(GatewayLiveState) private readonly live: GatewayLiveState,
    @Inject(CommandLifecycle) private readonly lifecycle: CommandLifecycle,
    @Inject(CommandTimers) private readonly timers: CommandTimers,
    @Inject(CommandWakeups) private readonly wakeups: CommandWakeups,
    @Inject(ChangeRecorder) private readonly changes: ChangeRecorder,
  ) {}

  /** What this process last wrote of the commands it handed out, for their gateways' updates. */
  private readonly recent = new RecentCommands();
  /** Hand-outs at the same moment share a statement (see claimForGateways). */
  private readonly claims = new StatementBatcher<string, ClaimedRow[]>({
    maxBatch: 200,
    // Two claims of one gateway in a statement would hand both its commands.
    keyOf: (gatewayId) => gatewayId,
    run: (gatewayIds) => this.claimForGateways(gatewayIds),
  });

  onModuleInit(): void {
    this.gatewayHooks.provideCommandHandOut(this);
    this.gatewayHooks.register({
      onDeregistered: (manager, gateway) => this.abortAll(manager, gateway),
      onRestarted: (manager, gateway) => this.interrupt(manager, gateway),
    });
  }

  /**
   * Hands out the gateway's waiting commands, oldest first, each at most once at a time: the
   * rows are claimed with SKIP LOCKED and moved to DELIVERED in one statement, so two racing
   * requests of one gateway never get the same command.
   */
  async handOut(gateway: { id: string; tenantId: string }): Promise<ProtocolCommand[]> {
    // Every path that queues a command raises this Redis flag after its commit (the sweep raises
    // it again if Redis lost it), so without it there is nothing to claim: idle long polls and
    // heartbeats cost no Postgres transaction.
    if (!(await this.live.takeCommandsWaiting(gateway.id))) return [];
    const delivered = await this.claimWaiting(gateway).catch(async (error: unknown) => {
      await this.live.markCommandsWaiting([gateway.id]);
      throw error;
    });
    return delivered.map(toProtocol);
  }

  /**
   * Raises the flag again for gateways whose commands have waited past `grace` (Redis lost the
   * flag, or a process died between a commit and raising it), and wakes their long polls.
   */
  async reflagWaiting(grace: string, limit: number): Promise<number> {
    const rows: { gateway_id: string }[] = await this.dataSource.query(
      `SELECT DISTINCT gateway_id FROM commands
       WHERE state = 'QUEUED' AND updated_at < now() - $1::interval AND deliver_by > now() LIMIT $2`,
      [grace, limit],
    );
    const gatewayIds = rows.map((row) => row.gateway_id);
    await this.live.markCommandsWaiting(gatewayIds);
    if (gatewayIds.length) await this.wakeups.publish(gatewayIds);
    return gatewayIds.length;
  }

  private async claimWaiting(gateway: { id: string; tenantId: string }): Promise<CommandEntity[]> {
    const rows = await this.claims.submit(gateway.id);
    if (!rows.length) return [];
    const commands = rows.map(commandFromRow);
    rows.forEach((row, i) => this.recent.remember(commands[i]!, row.version));
    await this.timers.redelivery(commands);
    // More than one answer's worth waits: keep the flag so the next heartbeat asks again.
    if (commands.length === HAND_OUT_LIMIT) await this.live.markCommandsWaiting([gateway.id]);
    return commands;
  }

  /**
   * Claims the waiting commands of each gateway, records the history, audits and publishes, in one
   * autocommit statement for all the gateways: a hand-out is at most one round trip to Postgres,
   * not a transaction's four, and the polls a bulk command wakes together share it.
   */
  private async claimForGateways(gatewayIds: string[]): Promise<ClaimedRow[][]> {
    const rows = await queryReturning<ClaimedRow>(
      this.dataSource.manager,
      prepared(
        'claim-waiting-commands-of-gateways',
        `WITH claimed AS (
           UPDATE commands c SET state = 'DELIVERED', deliveries = c.deliveries + 1, delivered_at = now(), updated_at = now()
           FROM (SELECT w.id FROM unnest($1::uuid[]) AS g(id)
                 CROSS JOIN LATERAL (SELECT id FROM commands WHERE gateway_id = g.id AND state = 'QUEUED' AND deliver_by > now()
                                     ORDER BY sequence LIMIT $2 FOR UPDATE SKIP LOCKED) w) q
           WHERE c.id = q.id RETURNING ${COMMAND_COLUMNS.split(', ').map((column) => `c.${column}`).join(', ')}, c.xmin::text AS version),
         history AS (
           INSERT INTO command_history (tenant_id, command_id, source, state, progress_percent, message, error_code)
           SELECT tenant_id, id, 'system', state, progress_percent, message, error_code FROM claimed),
         ${DELIVERED_CHANGE},
         ${insertChangesFrom('delivered_change')}
         SELECT ${COMMAND_COLUMNS}, version FROM claimed ORDER BY sequence`,
      ),
      [gatewayIds, HAND_OUT_LIMIT],
    );
    if (rows.length) this.changes.eventWritten(this.dataSource.manager);
    const byGateway = new Map<string, ClaimedRow[]>(gatewayIds.map((id) => [id, []]));
    for (const row of rows) byGateway.get(row.gateway_id)!.push(row);
    return gatewayIds.map((id) => byGateway.get(id)!);
  }

  /** Section 4: answers at once when commands wait, else when one is queued (on any process) or the wait ends. */
  async longPoll(gateway: GatewayPrincipal, waitSeconds: number, signal?: AbortSignal): Promise<ProtocolCommand[]> {
    const target = { id: gateway.gatewayId, tenantId: gateway.tenantId };
    const waiter = this.wakeups.register(gateway.gatewayId);
    try {
      const deadline = Date.now() + waitSeconds * 1000;
      let commands = await this.handOut(target);
      while (!commands.length && Date.now() < deadline && !signal?.aborted && !this.wakeups.isClosing) {
        await waiter.wait(deadline - Date.now(), signal);
        // A gateway that hung up gets nothing (a command handed to a closed socket would wait a minute to
        // come back); at shutdown the poll answers with what it has, and the gateway polls another process.
        if (signal?.aborted || this.wakeups.isClosing) break;
        commands = await this.handOut(target);
      }
      return commands;
    } finally {
      waiter.close();
    }
  }

  /**
   * Section 6: forward only and idempotent; 409 after an end; 404 for another gateway's command.
   * Optimistic first: the command is taken from what this process last wrote (RecentCommands) or
   * read without a lock, and the change written in one statement that applies only if the row did
   * not change meanwhile (one or two round trips, no transaction). A row that keeps changing under
   * it, or an end that another part acts on, takes the locked path.
   */
  async update(gateway: GatewayPrincipal, commandId: string, update: GatewayUpdate): Promise<{ applied: boolean }> {
    for (let attempt = 0; attempt < OPTIMISTIC_UPDATE_ATTEMPTS; attempt++) {
      const outcome = await this.updateUnlocked(gateway, commandId, update, attempt === 0);
      if (outcome === 'NEEDS_LOCK') break;
      if (outcome !== 'CHANGED') return outcome;
    }
    this.recent.forget(commandId);
    return this.updateLocked(gateway, commandId, update);
  }

  private async updateUnlocked(gateway: GatewayPrincipal, commandId: string, update: GatewayUpdate, mayUseKnown: boolean): Promise<{ applied: boolean } | 'CHANGED' | 'NEEDS_LOCK'> {
    let target = mayUseKnown ? this.recent.find(commandId, gateway.gatewayId) : undefined;
    let decision = target && decideUpdate(target.command, update);
    // Only a change is decided on a remembered command (its write checks the version); nothing to
    // do, or a refusal, is decided on the row as it is now.
    if (!target || decision?.kind !== 'CHANGE') {
      target = await this.findGatewayCommand(this.dataSource.manager, gateway, commandId, false);
      decision = decideUpdate(target.command, update);
    }
    const { command, version } = target;
    if (decision.kind === 'REJECTED') throw CommandErrors.alreadyEnded(command.state);
    if (decision.kind === 'NONE') return { applied: false };
    if (!this.lifecycle.canMoveUnlocked(command, decision.to)) return 'NEEDS_LOCK';
    const after = new AfterCommit();
    const savedVersion = await this.lifecycle.moveIfUnchanged(command, version, decision.to, updateDetails(gateway, update), after);
    if (!savedVersion) {
      this.recent.forget(commandId);
      return 'CHANGED';
    }
    if (isEnded(command.state)) this.recent.forget(commandId);
    else this.recent.remember(command, savedVersion);
    await after.run();
    return { applied: true };
  }

  /** The gateway's command with its row version, locked for `manager`'s transaction if asked; 404 for any other. */
  private async findGatewayCommand(manager: EntityManager, gateway: GatewayPrincipal, commandId: string, lock: boolean): Promise<KnownCommand> {
    const [row] = isUuid(commandId)
      ? await queryReturning<CommandRow & { version: string }>(manager, lock ? LOCK_GATEWAY_COMMAND : READ_GATEWAY_COMMAND, [commandId, gateway.gatewayId])
      : [];
    if (!row) throw CommandErrors.notFound();
    return { command: commandFromRow(row), version: row.version };
  }

  private updateLocked(gateway: GatewayPrincipal, commandId: string, update: GatewayUpdate): Promise<{ applied: boolean }> {
    return transactionWithEffects(this.dataSource, async (manager, after) => {
      const { command } = await this.findGatewayCommand(manager, gateway, commandId, true);
      const decision = decideUpdate(command, update);
      if (decision.kind === 'REJECTED') throw CommandErrors.alreadyEnded(command.state);
      if (decision.kind === 'NONE') return { applied: false };
      const details = updateDetails(gateway, update);
      if (decision.to) await this.lifecycle.move(manager, command, decision.to, details, after);
      else await this.lifecycle.progress(manager, command, details);
      return { applied: true };
    });
  }

  /** Applies a timer or system event to one command, if it still applies (handlers of the commands queue). */
  async applySystemEvent(commandId: string, event: CommandEvent): Promise<boolean> {
    return transactionWithEffects(this.dataSource, async (manager, after) => {
      const command = await manager.findOne(CommandEntity, { where: { id: commandId }, lock: { mode: 'pessimistic_write' } });
      if (!command) return false;
      const outcome = next(command.state, event);
      if (outcome.kind !== 'MOVED') return false;
      await this.lifecycle.move(manager, command, outcome.to, { actor: { type: 'system', id: null }, errorCode: outcome.errorCode }, after);
      return true;
    });
  }

  /** Every command not over ends ABORTED, in the de-registration's transaction. */
  private async abortAll(manager: EntityManager, gateway: DeregisteredGateway): Promise<void> {
    await this.applyToOpen(manager, gateway.id, { type: 'GATEWAY_DEREGISTERED' }, ['QUEUED', 'DELIVERED', 'ACKNOWLEDGED', 'RUNNING']);
  }

  /** Work acknowledged or running under the old boot ended with the gateway manager: FAILED, INTERRUPTED. */
  private async interrupt(manager: EntityManager, gateway: RestartedGateway): Promise<void> {
    await this.applyToOpen(manager, gateway.id, { type: 'GATEWAY_RESTARTED' }, ['ACKNOWLEDGED', 'RUNNING']);
  }

  private async applyToOpen(manager: EntityManager, gatewayId: string, event: CommandEvent, states: CommandEntity['state'][]): Promise<void> {
    const commands = await manager.find(CommandEntity, { where: { gatewayId, state: In(states) }, lock: { mode: 'pessimistic_write' }, order: { sequence: 'ASC' } });
    // The caller's transaction commits these; its side effects (bulk advance wake-ups) follow it.
    const after = new AfterCommit();
    for (const command of commands) {
      const outcome = next(command.state, event);
      if (outcome.kind === 'MOVED') await this.lifecycle.move(manager, command, outcome.to, { actor: { type: 'system', id: null }, errorCode: outcome.errorCode }, after);
    }
    // Runs at once: the wake-ups it holds are harmless if the caller then rolls back (a wake finds nothing).
    await after.run();
  }
}
