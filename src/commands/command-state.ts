/**
 * The life of one command to one gateway (domain.md, "Command"; gateway-protocol.md, 5 and 6).
 * Plain data plus pure functions: services decide what happened, this decides what it means.
 */
export const COMMAND_STATES = [
  'QUEUED',
  'DELIVERED',
  'ACKNOWLEDGED',
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
  'EXPIRED',
  'TIMED_OUT',
  'CANCELLED',
  'ABORTED',
] as const;
export type CommandState = (typeof COMMAND_STATES)[number];

export const ENDED_STATES: ReadonlySet<CommandState> = new Set<CommandState>([
  'SUCCEEDED',
  'FAILED',
  'EXPIRED',
  'TIMED_OUT',
  'CANCELLED',
  'ABORTED',
]);
export const isEnded = (state: CommandState): boolean => ENDED_STATES.has(state);

/** The states a gateway may report in an update (protocol 6). */
export const GATEWAY_UPDATE_STATES = ['ACKNOWLEDGED', 'RUNNING', 'SUCCEEDED', 'FAILED'] as const;
export type GatewayUpdateState = (typeof GATEWAY_UPDATE_STATES)[number];

/** A delivered command not acknowledged in time is handed out again, at most this many times in all. */
export const MAX_DELIVERIES = 3;

export const COMMAND_ERROR_CODES = ['DELIVERY_FAILED', 'INTERRUPTED'] as const;
export type CommandErrorCode = (typeof COMMAND_ERROR_CODES)[number];

export const COMMAND_EVENT_TYPES = [
  'DELIVER',
  'REDELIVER_TIMEOUT',
  'GATEWAY_UPDATE',
  'DELIVER_BY_PASSED',
  'TIME_LIMIT_PASSED',
  'CANCEL',
  'GATEWAY_DEREGISTERED',
  'GATEWAY_RESTARTED',
] as const;
export type CommandEventType = (typeof COMMAND_EVENT_TYPES)[number];

export type CommandEvent =
  /** Handed out to the gateway in a heartbeat answer or a long poll. */
  | { type: 'DELIVER' }
  /** Not acknowledged within the redelivery delay; `deliveries` counts hand-outs so far, this one included. */
  | { type: 'REDELIVER_TIMEOUT'; deliveries: number }
  | { type: 'GATEWAY_UPDATE'; state: GatewayUpdateState }
  | { type: 'DELIVER_BY_PASSED' }
  | { type: 'TIME_LIMIT_PASSED' }
  | { type: 'CANCEL' }
  | { type: 'GATEWAY_DEREGISTERED' }
  /** A heartbeat arrived with a new bootId: work under the old boot is lost. */
  | { type: 'GATEWAY_RESTARTED' };

export const COMMAND_REJECTIONS = ['COMMAND_ALREADY_ENDED'] as const;
export type CommandRejection = (typeof COMMAND_REJECTIONS)[number];

export type CommandOutcome =
  | { kind: 'MOVED'; to: CommandState; errorCode?: CommandErrorCode }
  /** Nothing to do: a repeated or older update, or a timer that fired after the command moved on. */
  | { kind: 'IGNORED' }
  /** The caller asked for something the command can no longer do; the API answers 409 with `reason`. */
  | { kind: 'REJECTED'; reason: CommandRejection };

const IGNORED: CommandOutcome = { kind: 'IGNORED' };
const ALREADY_ENDED: CommandOutcome = { kind: 'REJECTED', reason: 'COMMAND_ALREADY_ENDED' };
const moved = (to: CommandState, errorCode?: CommandErrorCode): CommandOutcome =>
  errorCode ? { kind: 'MOVED', to, errorCode } : { kind: 'MOVED', to };

/**
 * How far along a command is, for "updates only move forward". QUEUED sits below DELIVERED so that
 * a command put back in the queue still accepts an update from its earlier delivery.
 */
const PROGRESS: Readonly<Record<CommandState, number>> = {
  QUEUED: 0,
  DELIVERED: 1,
  ACKNOWLEDGED: 2,
  RUNNING: 3,
  SUCCEEDED: 4,
  FAILED: 4,
  EXPIRED: 4,
  TIMED_OUT: 4,
  CANCELLED: 4,
  ABORTED: 4,
};

export function next(state: CommandState, event: CommandEvent): CommandOutcome {
  switch (event.type) {
    case 'DELIVER':
      // Anything but QUEUED is already out (at most one hand-out at a time) or over: do not hand it out.
      return state === 'QUEUED' ? moved('DELIVERED') : IGNORED;
    case 'REDELIVER_TIMEOUT':
      if (state !== 'DELIVERED') return IGNORED; // acknowledged (or ended) before the timer fired
      return event.deliveries >= MAX_DELIVERIES ? moved('FAILED', 'DELIVERY_FAILED') : moved('QUEUED');
    case 'GATEWAY_UPDATE':
      return gatewayUpdate(state, event.state);
    case 'DELIVER_BY_PASSED':
      return state === 'QUEUED' || state === 'DELIVERED' ? moved('EXPIRED') : IGNORED;
    case 'TIME_LIMIT_PASSED':
      return state === 'ACKNOWLEDGED' || state === 'RUNNING' ? moved('TIMED_OUT') : IGNORED;
    case 'CANCEL':
      if (!isEnded(state)) return moved('CANCELLED');
      // Cancelling twice is the same wish, already granted; cancelling what ended otherwise is a conflict.
      return state === 'CANCELLED' ? IGNORED : ALREADY_ENDED;
    case 'GATEWAY_DEREGISTERED':
      return isEnded(state) ? IGNORED : moved('ABORTED');
    case 'GATEWAY_RESTARTED':
      return state === 'ACKNOWLEDGED' || state === 'RUNNING' ? moved('FAILED', 'INTERRUPTED') : IGNORED;
  }
}

function gatewayUpdate(state: CommandState, reported: GatewayUpdateState): CommandOutcome {
  if (isEnded(state)) {
    // A retried final report (its answer was lost) is a repeat, and that gateway has stopped anyway.
    // Anything else tells the gateway, by 409, to stop work the service has ended.
    return reported === state ? IGNORED : ALREADY_ENDED;
  }
  return PROGRESS[reported] > PROGRESS[state] ? moved(reported) : IGNORED;
}

/** Every move `next` can make, as data: for each state, the states some event leads to. */
export const COMMAND_TRANSITIONS: Readonly<Record<CommandState, readonly CommandState[]>> = {
  QUEUED: ['DELIVERED', 'ACKNOWLEDGED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'EXPIRED', 'CANCELLED', 'ABORTED'],
  DELIVERED: ['QUEUED', 'ACKNOWLEDGED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'EXPIRED', 'CANCELLED', 'ABORTED'],
  ACKNOWLEDGED: ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'CANCELLED', 'ABORTED'],
  RUNNING: ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'CANCELLED', 'ABORTED'],
  SUCCEEDED: [],
  FAILED: [],
  EXPIRED: [],
  TIMED_OUT: [],
  CANCELLED: [],
  ABORTED: [],
};

export const canTransition = (from: CommandState, to: CommandState): boolean => COMMAND_TRANSITIONS[from].includes(to);

/** The states in which `event` moves a command: the state machine's answer, for statements that select those rows. */
export const statesMovedBy = (event: CommandEvent): CommandState[] => COMMAND_STATES.filter((state) => next(state, event).kind === 'MOVED');

/**
 * A hand-out (the DELIVER event) as data for the statement that claims commands: the states it takes
 * commands from, and the one state it leaves them in.
 */
export const HAND_OUT: { from: readonly CommandState[]; to: CommandState } = (() => {
  const from = statesMovedBy({ type: 'DELIVER' });
  const targets = new Set(from.map((state) => (next(state, { type: 'DELIVER' }) as { to: CommandState }).to));
  if (targets.size !== 1) throw new Error('a hand-out must lead to one state');
  return { from, to: [...targets][0]! };
})();
