import { describe, expect, it } from 'vitest';
import {
  canTransition,
  COMMAND_EVENT_TYPES,
  COMMAND_STATES,
  COMMAND_TRANSITIONS,
  ENDED_STATES,
  GATEWAY_UPDATE_STATES,
  isEnded,
  MAX_DELIVERIES,
  next,
  type CommandEvent,
  type CommandOutcome,
  type CommandState,
} from './command-state.js';

/** Every event shape, with the delivery counts either side of the limit. */
const EVENTS = {
  DELIVER: { type: 'DELIVER' },
  'REDELIVER_TIMEOUT(1)': { type: 'REDELIVER_TIMEOUT', deliveries: 1 },
  'REDELIVER_TIMEOUT(2)': { type: 'REDELIVER_TIMEOUT', deliveries: 2 },
  'REDELIVER_TIMEOUT(3)': { type: 'REDELIVER_TIMEOUT', deliveries: 3 },
  'REDELIVER_TIMEOUT(4)': { type: 'REDELIVER_TIMEOUT', deliveries: 4 },
  'UPDATE(ACKNOWLEDGED)': { type: 'GATEWAY_UPDATE', state: 'ACKNOWLEDGED' },
  'UPDATE(RUNNING)': { type: 'GATEWAY_UPDATE', state: 'RUNNING' },
  'UPDATE(SUCCEEDED)': { type: 'GATEWAY_UPDATE', state: 'SUCCEEDED' },
  'UPDATE(FAILED)': { type: 'GATEWAY_UPDATE', state: 'FAILED' },
  DELIVER_BY_PASSED: { type: 'DELIVER_BY_PASSED' },
  TIME_LIMIT_PASSED: { type: 'TIME_LIMIT_PASSED' },
  CANCEL: { type: 'CANCEL' },
  GATEWAY_DEREGISTERED: { type: 'GATEWAY_DEREGISTERED' },
  GATEWAY_RESTARTED: { type: 'GATEWAY_RESTARTED' },
} as const satisfies Record<string, CommandEvent>;
type EventName = keyof typeof EVENTS;
const EVENT_NAMES = Object.keys(EVENTS) as EventName[];

/** Shorthand for the table: `-` ignored, `409` rejected as COMMAND_ALREADY_ENDED, else the state moved to (`STATE/ERROR_CODE`). */
type Cell = '-' | '409' | CommandState | `${CommandState}/${string}`;

// prettier-ignore
const TABLE: Record<CommandState, Record<EventName, Cell>> = {
  QUEUED: {
    DELIVER: 'DELIVERED',
    'REDELIVER_TIMEOUT(1)': '-', 'REDELIVER_TIMEOUT(2)': '-', 'REDELIVER_TIMEOUT(3)': '-', 'REDELIVER_TIMEOUT(4)': '-',
    'UPDATE(ACKNOWLEDGED)': 'ACKNOWLEDGED', 'UPDATE(RUNNING)': 'RUNNING', 'UPDATE(SUCCEEDED)': 'SUCCEEDED', 'UPDATE(FAILED)': 'FAILED',
    DELIVER_BY_PASSED: 'EXPIRED', TIME_LIMIT_PASSED: '-', CANCEL: 'CANCELLED', GATEWAY_DEREGISTERED: 'ABORTED', GATEWAY_RESTARTED: '-',
  },
  DELIVERED: {
    DELIVER: '-',
    'REDELIVER_TIMEOUT(1)': 'QUEUED', 'REDELIVER_TIMEOUT(2)': 'QUEUED',
    'REDELIVER_TIMEOUT(3)': 'FAILED/DELIVERY_FAILED', 'REDELIVER_TIMEOUT(4)': 'FAILED/DELIVERY_FAILED',
    'UPDATE(ACKNOWLEDGED)': 'ACKNOWLEDGED', 'UPDATE(RUNNING)': 'RUNNING', 'UPDATE(SUCCEEDED)': 'SUCCEEDED', 'UPDATE(FAILED)': 'FAILED',
    DELIVER_BY_PASSED: 'EXPIRED', TIME_LIMIT_PASSED: '-', CANCEL: 'CANCELLED', GATEWAY_DEREGISTERED: 'ABORTED', GATEWAY_RESTARTED: '-',
  },
  ACKNOWLEDGED: {
    DELIVER: '-',
    'REDELIVER_TIMEOUT(1)': '-', 'REDELIVER_TIMEOUT(2)': '-', 'REDELIVER_TIMEOUT(3)': '-', 'REDELIVER_TIMEOUT(4)': '-',
    'UPDATE(ACKNOWLEDGED)': '-', 'UPDATE(RUNNING)': 'RUNNING', 'UPDATE(SUCCEEDED)': 'SUCCEEDED', 'UPDATE(FAILED)': 'FAILED',
    DELIVER_BY_PASSED: '-', TIME_LIMIT_PASSED: 'TIMED_OUT', CANCEL: 'CANCELLED', GATEWAY_DEREGISTERED: 'ABORTED', GATEWAY_RESTARTED: 'FAILED/INTERRUPTED',
  },
  RUNNING: {
    DELIVER: '-',
    'REDELIVER_TIMEOUT(1)': '-', 'REDELIVER_TIMEOUT(2)': '-', 'REDELIVER_TIMEOUT(3)': '-', 'REDELIVER_TIMEOUT(4)': '-',
    'UPDATE(ACKNOWLEDGED)': '-', 'UPDATE(RUNNING)': '-', 'UPDATE(SUCCEEDED)': 'SUCCEEDED', 'UPDATE(FAILED)': 'FAILED',
    DELIVER_BY_PASSED: '-', TIME_LIMIT_PASSED: 'TIMED_OUT', CANCEL: 'CANCELLED', GATEWAY_DEREGISTERED: 'ABORTED', GATEWAY_RESTARTED: 'FAILED/INTERRUPTED',
  },
  SUCCEEDED: {
    DELIVER: '-',
    'REDELIVER_TIMEOUT(1)': '-', 'REDELIVER_TIMEOUT(2)': '-', 'REDELIVER_TIMEOUT(3)': '-', 'REDELIVER_TIMEOUT(4)': '-',
    'UPDATE(ACKNOWLEDGED)': '409', 'UPDATE(RUNNING)': '409', 'UPDATE(SUCCEEDED)': '-', 'UPDATE(FAILED)': '409',
    DELIVER_BY_PASSED: '-', TIME_LIMIT_PASSED: '-', CANCEL: '409', GATEWAY_DEREGISTERED: '-', GATEWAY_RESTARTED: '-',
  },
  FAILED: {
    DELIVER: '-',
    'REDELIVER_TIMEOUT(1)': '-', 'REDELIVER_TIMEOUT(2)': '-', 'REDELIVER_TIMEOUT(3)': '-', 'REDELIVER_TIMEOUT(4)': '-',
    'UPDATE(ACKNOWLEDGED)': '409', 'UPDATE(RUNNING)': '409', 'UPDATE(SUCCEEDED)': '409', 'UPDATE(FAILED)': '-',
    DELIVER_BY_PASSED: '-', TIME_LIMIT_PASSED: '-', CANCEL: '409', GATEWAY_DEREGISTERED: '-', GATEWAY_RESTARTED: '-',
  },
  EXPIRED: {
    DELIVER: '-',
    'REDELIVER_TIMEOUT(1)': '-', 'REDELIVER_TIMEOUT(2)': '-', 'REDELIVER_TIMEOUT(3)': '-', 'REDELIVER_TIMEOUT(4)': '-',
    'UPDATE(ACKNOWLEDGED)': '409', 'UPDATE(RUNNING)': '409', 'UPDATE(SUCCEEDED)': '409', 'UPDATE(FAILED)': '409',
    DELIVER_BY_PASSED: '-', TIME_LIMIT_PASSED: '-', CANCEL: '409', GATEWAY_DEREGISTERED: '-', GATEWAY_RESTARTED: '-',
  },
  TIMED_OUT: {
    DELIVER: '-',
    'REDELIVER_TIMEOUT(1)': '-', 'REDELIVER_TIMEOUT(2)': '-', 'REDELIVER_TIMEOUT(3)': '-', 'REDELIVER_TIMEOUT(4)': '-',
    'UPDATE(ACKNOWLEDGED)': '409', 'UPDATE(RUNNING)': '409', 'UPDATE(SUCCEEDED)': '409', 'UPDATE(FAILED)': '409',
    DELIVER_BY_PASSED: '-', TIME_LIMIT_PASSED: '-', CANCEL: '409', GATEWAY_DEREGISTERED: '-', GATEWAY_RESTARTED: '-',
  },
  CANCELLED: {
    DELIVER: '-',
    'REDELIVER_TIMEOUT(1)': '-', 'REDELIVER_TIMEOUT(2)': '-', 'REDELIVER_TIMEOUT(3)': '-', 'REDELIVER_TIMEOUT(4)': '-',
    'UPDATE(ACKNOWLEDGED)': '409', 'UPDATE(RUNNING)': '409', 'UPDATE(SUCCEEDED)': '409', 'UPDATE(FAILED)': '409',
    DELIVER_BY_PASSED: '-', TIME_LIMIT_PASSED: '-', CANCEL: '-', GATEWAY_DEREGISTERED: '-', GATEWAY_RESTARTED: '-',
  },
  ABORTED: {
    DELIVER: '-',
    'REDELIVER_TIMEOUT(1)': '-', 'REDELIVER_TIMEOUT(2)': '-', 'REDELIVER_TIMEOUT(3)': '-', 'REDELIVER_TIMEOUT(4)': '-',
    'UPDATE(ACKNOWLEDGED)': '409', 'UPDATE(RUNNING)': '409', 'UPDATE(SUCCEEDED)': '409', 'UPDATE(FAILED)': '409',
    DELIVER_BY_PASSED: '-', TIME_LIMIT_PASSED: '-', CANCEL: '409', GATEWAY_DEREGISTERED: '-', GATEWAY_RESTARTED: '-',
  },
};

function outcomeOf(cell: Cell): CommandOutcome {
  if (cell === '-') return { kind: 'IGNORED' };
  if (cell === '409') return { kind: 'REJECTED', reason: 'COMMAND_ALREADY_ENDED' };
  const [to, errorCode] = cell.split('/') as [CommandState, string | undefined];
  return errorCode ? ({ kind: 'MOVED', to, errorCode } as CommandOutcome) : { kind: 'MOVED', to };
}

const ALL_PAIRS = COMMAND_STATES.flatMap((state) => EVENT_NAMES.map((event) => [state, event, TABLE[state][event]] as const));

describe('command state machine', () => {
  it('has the ends domain.md lists, and isEnded agrees with them', () => {
    expect([...ENDED_STATES].sort()).toEqual(['ABORTED', 'CANCELLED', 'EXPIRED', 'FAILED', 'SUCCEEDED', 'TIMED_OUT']);
    expect(COMMAND_STATES.filter(isEnded)).toEqual(['SUCCEEDED', 'FAILED', 'EXPIRED', 'TIMED_OUT', 'CANCELLED', 'ABORTED']);
    expect(MAX_DELIVERIES).toBe(3);
  });

  it('tests every state against every kind of event and every update state', () => {
    expect(Object.keys(TABLE)).toEqual([...COMMAND_STATES]);
    expect(new Set(EVENT_NAMES.map((name) => EVENTS[name].type))).toEqual(new Set(COMMAND_EVENT_TYPES));
    const updates = EVENT_NAMES.map((name) => EVENTS[name]).flatMap((event) => (event.type === 'GATEWAY_UPDATE' ? [event.state] : []));
    expect(updates).toEqual([...GATEWAY_UPDATE_STATES]);
    expect(ALL_PAIRS).toHaveLength(COMMAND_STATES.length * EVENT_NAMES.length);
  });

  describe('next', () => {
    it.each(ALL_PAIRS)('%s + %s → %s', (state, event, cell) => {
      expect(next(state, EVENTS[event])).toEqual(outcomeOf(cell));
    });
  });

  describe('rules the table encodes, spelled out', () => {
    it('fails a command with DELIVERY_FAILED once it has been delivered MAX_DELIVERIES times without an acknowledgement', () => {
      expect(next('DELIVERED', { type: 'REDELIVER_TIMEOUT', deliveries: MAX_DELIVERIES - 1 })).toEqual({ kind: 'MOVED', to: 'QUEUED' });
      expect(next('DELIVERED', { type: 'REDELIVER_TIMEOUT', deliveries: MAX_DELIVERIES })).toEqual({
        kind: 'MOVED',
        to: 'FAILED',
        errorCode: 'DELIVERY_FAILED',
      });
    });

    it('accepts an acknowledgement from an earlier delivery of a command put back in the queue', () => {
      expect(next('QUEUED', { type: 'GATEWAY_UPDATE', state: 'ACKNOWLEDGED' })).toEqual({ kind: 'MOVED', to: 'ACKNOWLEDGED' });
    });

    it('lets an update skip ahead but never go back or repeat', () => {
      expect(next('DELIVERED', { type: 'GATEWAY_UPDATE', state: 'SUCCEEDED' })).toEqual({ kind: 'MOVED', to: 'SUCCEEDED' });
      expect(next('RUNNING', { type: 'GATEWAY_UPDATE', state: 'ACKNOWLEDGED' })).toEqual({ kind: 'IGNORED' });
      expect(next('RUNNING', { type: 'GATEWAY_UPDATE', state: 'RUNNING' })).toEqual({ kind: 'IGNORED' });
    });

    it('tells a gateway that updates a command ended by the service to stop, with COMMAND_ALREADY_ENDED', () => {
      for (const state of ['CANCELLED', 'TIMED_OUT', 'EXPIRED', 'ABORTED'] as const) {
        expect(next(state, { type: 'GATEWAY_UPDATE', state: 'RUNNING' })).toEqual({ kind: 'REJECTED', reason: 'COMMAND_ALREADY_ENDED' });
      }
    });

    it('treats a retried final report as a repeat, so a lost answer can be retried safely', () => {
      expect(next('SUCCEEDED', { type: 'GATEWAY_UPDATE', state: 'SUCCEEDED' })).toEqual({ kind: 'IGNORED' });
      expect(next('FAILED', { type: 'GATEWAY_UPDATE', state: 'FAILED' })).toEqual({ kind: 'IGNORED' });
    });

    it('ignores timers that fire after the command moved on, never treating them as errors', () => {
      expect(next('RUNNING', { type: 'DELIVER_BY_PASSED' })).toEqual({ kind: 'IGNORED' });
      expect(next('ACKNOWLEDGED', { type: 'REDELIVER_TIMEOUT', deliveries: 1 })).toEqual({ kind: 'IGNORED' });
      expect(next('SUCCEEDED', { type: 'TIME_LIMIT_PASSED' })).toEqual({ kind: 'IGNORED' });
      const timers: CommandEvent[] = [
        { type: 'DELIVER_BY_PASSED' },
        { type: 'TIME_LIMIT_PASSED' },
        { type: 'REDELIVER_TIMEOUT', deliveries: 3 },
      ];
      for (const state of COMMAND_STATES) for (const timer of timers) expect(next(state, timer).kind).not.toBe('REJECTED');
    });

    it('fails acknowledged and running commands as INTERRUPTED when the gateway manager restarts, and leaves the rest alone', () => {
      for (const state of COMMAND_STATES) {
        const expected =
          state === 'ACKNOWLEDGED' || state === 'RUNNING' ? { kind: 'MOVED', to: 'FAILED', errorCode: 'INTERRUPTED' } : { kind: 'IGNORED' };
        expect(next(state, { type: 'GATEWAY_RESTARTED' })).toEqual(expected);
      }
    });

    it('aborts every command that has not ended when its gateway is de-registered', () => {
      for (const state of COMMAND_STATES) {
        expect(next(state, { type: 'GATEWAY_DEREGISTERED' })).toEqual(
          isEnded(state) ? { kind: 'IGNORED' } : { kind: 'MOVED', to: 'ABORTED' },
        );
      }
    });

    it('refuses to cancel a command that ended otherwise, and takes a second cancel as already done', () => {
      expect(next('SUCCEEDED', { type: 'CANCEL' })).toEqual({ kind: 'REJECTED', reason: 'COMMAND_ALREADY_ENDED' });
      expect(next('CANCELLED', { type: 'CANCEL' })).toEqual({ kind: 'IGNORED' });
    });

    it('never moves a command out of an end', () => {
      for (const state of ENDED_STATES) for (const event of EVENT_NAMES) expect(next(state, EVENTS[event]).kind).not.toBe('MOVED');
    });

    it('gives an error code only when the service, not the gateway, decides the command failed', () => {
      for (const [state, event] of ALL_PAIRS) {
        const outcome = next(state, EVENTS[event]);
        if (outcome.kind === 'MOVED' && outcome.errorCode) expect(outcome.to).toBe('FAILED');
        if (EVENTS[event].type === 'GATEWAY_UPDATE' && outcome.kind === 'MOVED') expect(outcome).not.toHaveProperty('errorCode');
      }
    });
  });

  describe('canTransition', () => {
    it('allows exactly the moves some event makes', () => {
      const moves = new Set(
        ALL_PAIRS.flatMap(([state, event]) => {
          const outcome = next(state, EVENTS[event]);
          return outcome.kind === 'MOVED' ? [`${state}->${outcome.to}`] : [];
        }),
      );
      for (const from of COMMAND_STATES) {
        for (const to of COMMAND_STATES) expect(canTransition(from, to), `${from}->${to}`).toBe(moves.has(`${from}->${to}`));
      }
    });

    it.each([
      ['QUEUED', 'DELIVERED', true],
      ['DELIVERED', 'QUEUED', true],
      ['QUEUED', 'ACKNOWLEDGED', true],
      ['RUNNING', 'ACKNOWLEDGED', false],
      ['QUEUED', 'TIMED_OUT', false],
      ['RUNNING', 'EXPIRED', false],
      ['SUCCEEDED', 'FAILED', false],
      ['CANCELLED', 'CANCELLED', false],
      ['RUNNING', 'RUNNING', false],
    ] as const)('%s -> %s is %s', (from, to, allowed) => {
      expect(canTransition(from, to)).toBe(allowed);
    });

    it('lists no move out of an end', () => {
      for (const state of ENDED_STATES) expect(COMMAND_TRANSITIONS[state]).toEqual([]);
    });
  });
});
