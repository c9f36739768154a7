import { AsyncResource } from 'node:async_hooks';
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
import { CommandWakeups, type Waiter } from './command-wakeups.js';
import { DeadlineClock, type Timed } from './deadline-clock.js';
import { Metrics } from '../../platform/metrics/catalog.js';
import { CommandTraces } from '../command-traces.js';
import { loggableError } from '../../platform/errors/loggable-error.js';
import { tracingOn } from '../../platform/tracing/tracing.js';

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
    /** Read by the held polls (HeldPoll, below). */
    @Inject(CommandWakeups) readonly wakeups: CommandWakeups,
    @Inject(ChangeRecorder) private readonly changes: ChangeRecorder,
    /** What this process last wrote of the commands it handed out, for their gateways' updates. */
    @Inject(RecentCommands) private readonly recent: RecentCommands,
    @Inject(CommandTraces) private readonly traces: CommandTraces,
  ) {}

  /** The deadlines of the held polls, on one timer. */
  readonly clock = new DeadlineClock<HeldPoll>();

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

  /** Read by the held polls: writing a poll's answer threw (what it handed out is redelivered). */
  answerFailed(gatewayId: string, error: unknown): void {
    this.logger.error({ err: loggableError(error), gatewayId }, 'a long poll could not be answered');
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
   * wait ends; `answer` gets the commands, or the error that ended the poll. Returns at once: the
   * poll is held by a small object (HeldPoll), not by a suspended call. `connection` (the request)
   * emits 'close' when the gateway hangs up while it waits.
   */
  longPoll(gateway: GatewayPrincipal, waitSeconds: number, answer: PollAnswer, connection?: HangUpSource): void {
    new HeldPoll(this, gateway.gatewayId, gateway.tenantId, Date.now() + waitSeconds * 1000, answer, connection).start();
  }
}

/** What ends a long poll: its commands (maybe none), or the error it failed with. */
export type PollAnswer = (error: unknown, commands: ProtocolCommand[]) => void;

const CHECKING = 0;
const WAITING = 1;
const DONE = 2;

/**
 * One held long poll. Ten thousand are held at once, so while it waits it is this object, one
 * listener on the request, a place on the wake-ups' map and one on the deadline clock: no suspended
 * async function, promise chain or timer of its own (those were most of a held poll's heap after
 * Node's and Fastify's own request objects). It looks at the queue when it starts, when woken, and
 * once more when the wait ends, as the loop it replaces did:
 *
 * - a wake-up that arrives while it looks is kept, and it looks again at once;
 * - a gateway that hung up gets nothing more (a command handed to a closed socket would wait a minute
 *   to come back); a look already under way when it hangs up still answers what it claimed;
 * - at shutdown it answers with what it has, and the gateway polls another process.
 */
class HeldPoll implements Waiter, Timed {
  private state = CHECKING;
  /** Woken while looking at the queue: look again before waiting. */
  private woken = false;
  private hungUp = false;
  clockSlot = -1;
  private readonly onHangUp = (): void => {
    this.hungUp = true;
    this.wake();
  };
  /** With tracing on, the queue is looked at in the request's context (its spans link to the request). */
  private readonly scope = tracingOn() ? new AsyncResource('gcp.long-poll') : undefined;

  constructor(
    private readonly host: CommandHandOut,
    /** The gateway, as `handOut` takes it. */
    readonly id: string,
    readonly tenantId: string,
    private readonly deadline: number,
    private readonly answer: PollAnswer,
    private readonly connection: HangUpSource | undefined,
  ) {}

  start(): void {
    this.host.wakeups.add(this.id, this);
    this.connection?.once('close', this.onHangUp);
    Metrics.longPollsHeld.inc();
    this.look();
  }

  wake(): void {
    if (this.state === WAITING) {
      this.host.clock.cancel(this);
      this.resume();
    } else if (this.state === CHECKING) this.woken = true;
  }

  /** The wait is over: one last look at the queue. */
  due(): void {
    if (this.state === WAITING) this.resume();
  }

  private resume(): void {
    if (this.hungUp || this.host.wakeups.isClosing) this.finish(null, []);
    else if (this.scope) this.scope.runInAsyncScope(() => this.look());
    else this.look();
  }

  private look(): void {
    this.state = CHECKING;
    this.woken = false;
    this.host.handOut(this).then(
      (commands) => this.looked(commands),
      // A rejection is always an error for the answer, even a falsy one.
      (error: unknown) => this.finish(error ?? new Error('the hand-out failed'), []),
    );
  }

  private looked(commands: ProtocolCommand[]): void {
    if (commands.length || this.hungUp || this.host.wakeups.isClosing || Date.now() >= this.deadline) {
      this.finish(null, commands);
    } else if (this.woken) {
      this.look();
    } else {
      this.state = WAITING;
      this.host.clock.add(this, this.deadline);
    }
  }

  private finish(error: unknown, commands: ProtocolCommand[]): void {
    this.state = DONE;
    this.host.clock.cancel(this);
    this.host.wakeups.remove(this.id, this);
    this.connection?.removeListener('close', this.onHangUp);
    Metrics.longPollsHeld.dec();
    try {
      this.answer(error, commands);
    } catch (failure) {
      // Thrown from a promise callback (the look's), it would be an unhandled rejection.
      this.host.answerFailed(this.id, failure);
    }
  }
}
