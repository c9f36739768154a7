import { Inject, Injectable, Logger } from '@nestjs/common';
import { ChangeRecorder } from '../../platform/audit/change-recorder.js';
import type { GatewayPrincipal } from '../../platform/auth/principal.js';
import { StatementBatcher } from '../../platform/database/statement-batcher.js';
import { GatewayLiveState } from '../../gateways/gateway-live-state.js';
import type { ProtocolCommand } from '../../gateways/protocol-command.js';
import { commandFromRow, type CommandEntity } from '../command.entity.js';
import { CommandsStore, type VersionedRow } from '../commands.store.js';
import { RecentCommands } from '../gateway-updates/recent-commands.js';
import { CommandTimers } from '../lifecycle/command-timers.js';
import { CommandWakeups } from './command-wakeups.js';
import { Metrics } from '../../platform/metrics/catalog.js';
import { CommandTraces } from '../command-traces.js';
import { loggableError } from '../../platform/errors/loggable-error.js';

type ClaimedRow = VersionedRow;

/** What tells a long poll that its gateway hung up: the request (Node's IncomingMessage) emits 'close'. */
export interface HangUpSource {
  once(event: 'close', listener: () => void): unknown;
  removeListener(event: 'close', listener: () => void): unknown;
}

/** How many commands one answer carries at most; the rest follow on the next poll. */
const HAND_OUT_LIMIT = 20;

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
 * Protocol sections 4 and 5 from the service's side: handing commands out, on the heartbeat answer
 * and by long poll.
 */
@Injectable()
export class CommandHandOut {
  private readonly logger = new Logger('Commands');

  constructor(
    @Inject(CommandsStore) private readonly store: CommandsStore,
    @Inject(GatewayLiveState) private readonly live: GatewayLiveState,
    @Inject(CommandTimers) private readonly timers: CommandTimers,
    @Inject(CommandWakeups) private readonly wakeups: CommandWakeups,
    @Inject(ChangeRecorder) private readonly changes: ChangeRecorder,
    /** What this process last wrote of the commands it handed out, for their gateways' updates. */
    @Inject(RecentCommands) private readonly recent: RecentCommands,
    @Inject(CommandTraces) private readonly traces: CommandTraces,
  ) {}

  /** Hand-outs at the same moment share a statement (see claimForGateways). */
  private readonly claims = new StatementBatcher<string, ClaimedRow[]>({
    maxBatch: 200,
    // Two claims of one gateway in a statement would hand both its commands.
    keyOf: (gatewayId) => gatewayId,
    run: (gatewayIds) => this.claimForGateways(gatewayIds),
  });

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
    const rows = await this.claims.submit(gateway.id).catch(async (error: unknown) => {
      await this.live.markCommandsWaiting([gateway.id]);
      throw error;
    });
    if (!rows.length) return [];
    const commands = rows.map(commandFromRow);
    rows.forEach((row, i) => this.recent.remember(commands[i], row.version));
    // From here on the commands are DELIVERED in Postgres, the truth, and each has used one of its
    // deliveries: they go out in this answer whatever happens to the Redis bookkeeping below. Were
    // the answer a 503 instead, nobody would have seen them, yet each would wait out its
    // acknowledgement window and lose a delivery (the fault tests' finding: commands ended
    // DELIVERY_FAILED after a Redis outage). What the bookkeeping would have done, the sweep
    // (CommandDeadlinesProcessor) does if it is lost: a missing redelivery job is an overdue
    // acknowledgement there, a missing flag is raised again.
    await this.afterHandOut(gateway.id, commands);
    return commands.map(toProtocol);
  }

  private async afterHandOut(gatewayId: string, commands: CommandEntity[]): Promise<void> {
    try {
      await this.timers.redelivery(commands);
      // More than one answer's worth waits: keep the flag so the next heartbeat asks again.
      if (commands.length === HAND_OUT_LIMIT) await this.live.markCommandsWaiting([gatewayId]);
      await this.traces.handedOut(commands);
    } catch (error) {
      this.logger.warn(
        { err: loggableError(error), gatewayId, commandIds: commands.map((command) => command.id) },
        'handed out without its redelivery timer (Redis unreachable): the sweep redelivers any not acknowledged in time',
      );
    }
  }

  /**
   * Claims the waiting commands of each gateway, records the history, audits and publishes, in one
   * autocommit statement for all the gateways: a hand-out is at most one round trip to Postgres,
   * not a transaction's four, and the polls a bulk command wakes together share it.
   */
  private async claimForGateways(gatewayIds: string[]): Promise<ClaimedRow[][]> {
    const rows = await this.store.claimWaitingOfGateways(gatewayIds, HAND_OUT_LIMIT);
    if (rows.length) this.changes.eventWritten(this.store.manager);
    const byGateway = new Map<string, ClaimedRow[]>(gatewayIds.map((id) => [id, []]));
    for (const row of rows) byGateway.get(row.gateway_id)!.push(row);
    return gatewayIds.map((id) => byGateway.get(id)!);
  }

  /**
   * Section 4: answers at once when commands wait, else when one is queued (on any process) or the
   * wait ends. `connection` (the request) emits 'close' when the gateway hangs up while it waits.
   */
  async longPoll(gateway: GatewayPrincipal, waitSeconds: number, connection?: HangUpSource): Promise<ProtocolCommand[]> {
    const target = { id: gateway.gatewayId, tenantId: gateway.tenantId };
    const waiter = this.wakeups.register(gateway.gatewayId);
    let hungUp = false;
    const onHangUp = () => {
      hungUp = true;
      waiter.wake();
    };
    connection?.once('close', onHangUp);
    Metrics.longPollsHeld.inc();
    try {
      const deadline = Date.now() + waitSeconds * 1000;
      let commands = await this.handOut(target);
      while (!commands.length && Date.now() < deadline && !hungUp && !this.wakeups.isClosing) {
        await waiter.wait(deadline - Date.now());
        // A gateway that hung up gets nothing (a command handed to a closed socket would wait a minute to
        // come back); at shutdown the poll answers with what it has, and the gateway polls another process.
        if (hungUp || this.wakeups.isClosing) break;
        commands = await this.handOut(target);
      }
      return commands;
    } finally {
      Metrics.longPollsHeld.dec();
      connection?.removeListener('close', onHangUp);
      waiter.close();
    }
  }
}
