import { describe, expect, it } from 'vitest';
import {
  canTransition,
  ENDED_MIGRATION_STATES,
  isFinal,
  isRunning,
  MIGRATION_STATES,
  MIGRATION_STEPS,
  MIGRATION_TRANSITIONS,
  next,
  nextStep,
  type MigrationEvent,
  type MigrationOutcome,
  type MigrationState,
} from './migration-state.js';

const EVENTS = {
  STEP_DONE: { type: 'STEP_DONE' },
  'STEP_DONE(from PENDING)': { type: 'STEP_DONE', from: 'PENDING' },
  'STEP_DONE(from AWAITING_TARGET)': { type: 'STEP_DONE', from: 'AWAITING_TARGET' },
  FAIL: { type: 'FAIL', reason: 'the target did not register within 24 h' },
  'FAIL(no reason)': { type: 'FAIL', reason: ' ' },
  ROLL_BACK: { type: 'ROLL_BACK' },
} as const satisfies Record<string, MigrationEvent>;
type EventName = keyof typeof EVENTS;
const EVENT_NAMES = Object.keys(EVENTS) as EventName[];

/** Shorthand for the table: `-` ignored, a state moved to, or the reason of a rejection. */
type Cell = '-' | MigrationState | 'MIGRATION_IN_PROGRESS' | 'MIGRATION_ALREADY_ROLLED_BACK' | 'FAILURE_REASON_REQUIRED';

// prettier-ignore
const TABLE: Record<MigrationState, Record<EventName, Cell>> = {
  PENDING:               { STEP_DONE: 'SOURCE_DEREGISTERED',   'STEP_DONE(from PENDING)': 'SOURCE_DEREGISTERED', 'STEP_DONE(from AWAITING_TARGET)': '-',                 FAIL: 'FAILED', 'FAIL(no reason)': 'FAILURE_REASON_REQUIRED', ROLL_BACK: 'MIGRATION_IN_PROGRESS' },
  SOURCE_DEREGISTERED:   { STEP_DONE: 'AWAITING_TARGET',       'STEP_DONE(from PENDING)': '-',                   'STEP_DONE(from AWAITING_TARGET)': '-',                 FAIL: 'FAILED', 'FAIL(no reason)': 'FAILURE_REASON_REQUIRED', ROLL_BACK: 'MIGRATION_IN_PROGRESS' },
  AWAITING_TARGET:       { STEP_DONE: 'TARGET_REGISTERED',     'STEP_DONE(from PENDING)': '-',                   'STEP_DONE(from AWAITING_TARGET)': 'TARGET_REGISTERED', FAIL: 'FAILED', 'FAIL(no reason)': 'FAILURE_REASON_REQUIRED', ROLL_BACK: 'MIGRATION_IN_PROGRESS' },
  TARGET_REGISTERED:     { STEP_DONE: 'CONFIGURATION_APPLIED', 'STEP_DONE(from PENDING)': '-',                   'STEP_DONE(from AWAITING_TARGET)': '-',                 FAIL: 'FAILED', 'FAIL(no reason)': 'FAILURE_REASON_REQUIRED', ROLL_BACK: 'MIGRATION_IN_PROGRESS' },
  CONFIGURATION_APPLIED: { STEP_DONE: 'COMPLETED',             'STEP_DONE(from PENDING)': '-',                   'STEP_DONE(from AWAITING_TARGET)': '-',                 FAIL: 'FAILED', 'FAIL(no reason)': 'FAILURE_REASON_REQUIRED', ROLL_BACK: 'MIGRATION_IN_PROGRESS' },
  COMPLETED:             { STEP_DONE: '-',                     'STEP_DONE(from PENDING)': '-',                   'STEP_DONE(from AWAITING_TARGET)': '-',                 FAIL: '-',      'FAIL(no reason)': '-',                       ROLL_BACK: 'ROLLED_BACK' },
  FAILED:                { STEP_DONE: '-',                     'STEP_DONE(from PENDING)': '-',                   'STEP_DONE(from AWAITING_TARGET)': '-',                 FAIL: '-',      'FAIL(no reason)': '-',                       ROLL_BACK: 'ROLLED_BACK' },
  ROLLED_BACK:           { STEP_DONE: '-',                     'STEP_DONE(from PENDING)': '-',                   'STEP_DONE(from AWAITING_TARGET)': '-',                 FAIL: '-',      'FAIL(no reason)': '-',                       ROLL_BACK: 'MIGRATION_ALREADY_ROLLED_BACK' },
};

function outcomeOf(cell: Cell): MigrationOutcome {
  if (cell === '-') return { kind: 'IGNORED' };
  if (cell === 'MIGRATION_IN_PROGRESS' || cell === 'MIGRATION_ALREADY_ROLLED_BACK' || cell === 'FAILURE_REASON_REQUIRED')
    return { kind: 'REJECTED', reason: cell };
  return { kind: 'MOVED', to: cell };
}

const ALL_PAIRS = MIGRATION_STATES.flatMap((state) => EVENT_NAMES.map((event) => [state, event, TABLE[state][event]] as const));

describe('migration state machine', () => {
  it('goes through the steps domain.md lists, in order, and has FAILED and ROLLED_BACK besides', () => {
    expect(MIGRATION_STEPS).toEqual([
      'PENDING',
      'SOURCE_DEREGISTERED',
      'AWAITING_TARGET',
      'TARGET_REGISTERED',
      'CONFIGURATION_APPLIED',
      'COMPLETED',
    ]);
    expect(MIGRATION_STATES).toEqual([...MIGRATION_STEPS, 'FAILED', 'ROLLED_BACK']);
  });

  it.each([
    ['PENDING', true, false],
    ['SOURCE_DEREGISTERED', true, false],
    ['AWAITING_TARGET', true, false],
    ['TARGET_REGISTERED', true, false],
    ['CONFIGURATION_APPLIED', true, false],
    ['COMPLETED', false, false],
    ['FAILED', false, false],
    ['ROLLED_BACK', false, true],
  ] as const)('%s: running %s, final %s', (state, running, final) => {
    expect(isRunning(state)).toBe(running);
    expect(isFinal(state)).toBe(final);
    expect(ENDED_MIGRATION_STATES.has(state)).toBe(!running);
  });

  it.each([
    ['PENDING', 'SOURCE_DEREGISTERED'],
    ['SOURCE_DEREGISTERED', 'AWAITING_TARGET'],
    ['AWAITING_TARGET', 'TARGET_REGISTERED'],
    ['TARGET_REGISTERED', 'CONFIGURATION_APPLIED'],
    ['CONFIGURATION_APPLIED', 'COMPLETED'],
    ['COMPLETED', null],
    ['FAILED', null],
    ['ROLLED_BACK', null],
  ] as const)('the step after %s is %s', (state, step) => {
    expect(nextStep(state)).toBe(step);
  });

  it('tests every state against every kind of event', () => {
    expect(Object.keys(TABLE)).toEqual([...MIGRATION_STATES]);
    expect(new Set(EVENT_NAMES.map((name) => EVENTS[name].type))).toEqual(new Set(['STEP_DONE', 'FAIL', 'ROLL_BACK']));
    expect(ALL_PAIRS).toHaveLength(MIGRATION_STATES.length * EVENT_NAMES.length);
  });

  describe('next', () => {
    it.each(ALL_PAIRS)('%s + %s → %s', (state, event, cell) => {
      expect(next(state, EVENTS[event])).toEqual(outcomeOf(cell));
    });
  });

  describe('rules the table encodes, spelled out', () => {
    it('walks a migration from PENDING to COMPLETED one STEP_DONE at a time', () => {
      let state: MigrationState = 'PENDING';
      const visited: MigrationState[] = [state];
      for (let outcome = next(state, { type: 'STEP_DONE' }); outcome.kind === 'MOVED'; outcome = next(state, { type: 'STEP_DONE' })) {
        state = outcome.to;
        visited.push(state);
      }
      expect(visited).toEqual([...MIGRATION_STEPS]);
    });

    it('advances when the job names the step it finished, and ignores a retried job naming a step already left', () => {
      for (const state of MIGRATION_STATES.filter(isRunning)) {
        expect(next(state, { type: 'STEP_DONE', from: state })).toEqual({ kind: 'MOVED', to: nextStep(state) });
        for (const other of MIGRATION_STATES.filter((s) => s !== state))
          expect(next(state, { type: 'STEP_DONE', from: other })).toEqual({ kind: 'IGNORED' });
      }
    });

    it('fails a running migration from any step, and needs a reason to do it', () => {
      for (const state of MIGRATION_STATES.filter(isRunning)) {
        expect(next(state, { type: 'FAIL', reason: 'source de-registration failed' })).toEqual({ kind: 'MOVED', to: 'FAILED' });
        expect(next(state, { type: 'FAIL', reason: '' })).toEqual({ kind: 'REJECTED', reason: 'FAILURE_REASON_REQUIRED' });
      }
    });

    it('ignores a failure reported after the migration ended, such as a deadline firing after completion', () => {
      for (const state of ENDED_MIGRATION_STATES)
        expect(next(state, { type: 'FAIL', reason: 'target deadline passed' })).toEqual({ kind: 'IGNORED' });
    });

    it('refuses to roll back a running migration with MIGRATION_IN_PROGRESS', () => {
      for (const state of MIGRATION_STATES.filter(isRunning))
        expect(next(state, { type: 'ROLL_BACK' })).toEqual({ kind: 'REJECTED', reason: 'MIGRATION_IN_PROGRESS' });
    });

    it('rolls back a completed or failed migration, once', () => {
      expect(next('COMPLETED', { type: 'ROLL_BACK' })).toEqual({ kind: 'MOVED', to: 'ROLLED_BACK' });
      expect(next('FAILED', { type: 'ROLL_BACK' })).toEqual({ kind: 'MOVED', to: 'ROLLED_BACK' });
      expect(next('ROLLED_BACK', { type: 'ROLL_BACK' })).toEqual({ kind: 'REJECTED', reason: 'MIGRATION_ALREADY_ROLLED_BACK' });
    });

    it('never moves a migration out of ROLLED_BACK', () => {
      for (const event of EVENT_NAMES) expect(next('ROLLED_BACK', EVENTS[event]).kind).not.toBe('MOVED');
    });
  });

  describe('canTransition', () => {
    it('allows exactly the moves some event makes', () => {
      const events: MigrationEvent[] = [
        ...EVENT_NAMES.map((name) => EVENTS[name]),
        ...MIGRATION_STATES.map((from) => ({ type: 'STEP_DONE', from }) as const),
      ];
      const moves = new Set(
        MIGRATION_STATES.flatMap((state) =>
          events.flatMap((event) => {
            const outcome = next(state, event);
            return outcome.kind === 'MOVED' ? [`${state}->${outcome.to}`] : [];
          }),
        ),
      );
      for (const from of MIGRATION_STATES) {
        for (const to of MIGRATION_STATES) expect(canTransition(from, to), `${from}->${to}`).toBe(moves.has(`${from}->${to}`));
      }
    });

    it.each([
      ['PENDING', 'SOURCE_DEREGISTERED', true],
      ['PENDING', 'AWAITING_TARGET', false],
      ['AWAITING_TARGET', 'SOURCE_DEREGISTERED', false],
      ['CONFIGURATION_APPLIED', 'FAILED', true],
      ['COMPLETED', 'FAILED', false],
      ['COMPLETED', 'ROLLED_BACK', true],
      ['FAILED', 'ROLLED_BACK', true],
      ['AWAITING_TARGET', 'ROLLED_BACK', false],
      ['ROLLED_BACK', 'PENDING', false],
    ] as const)('%s -> %s is %s', (from, to, allowed) => {
      expect(canTransition(from, to)).toBe(allowed);
    });

    it('lists no move out of ROLLED_BACK', () => {
      expect(MIGRATION_TRANSITIONS.ROLLED_BACK).toEqual([]);
    });
  });
});
