/**
 * The life of one migration (or rollback) of a profile's gateway (domain.md, "Migration").
 * Plain data plus pure functions: the workflow's jobs report what happened, this decides what it means.
 */

/** The steps in the order a migration goes through them; each is named after what has been done. */
export const MIGRATION_STEPS = [
  'PENDING',
  'SOURCE_DEREGISTERED',
  'AWAITING_TARGET',
  'TARGET_REGISTERED',
  'CONFIGURATION_APPLIED',
  'COMPLETED',
] as const;
export type MigrationStep = (typeof MIGRATION_STEPS)[number];

export const MIGRATION_STATES = [...MIGRATION_STEPS, 'FAILED', 'ROLLED_BACK'] as const;
export type MigrationState = (typeof MIGRATION_STATES)[number];

/** Not running: no step left to take. COMPLETED and FAILED can still be rolled back; ROLLED_BACK is final. */
export const ENDED_MIGRATION_STATES: ReadonlySet<MigrationState> = new Set<MigrationState>(['COMPLETED', 'FAILED', 'ROLLED_BACK']);
export const isRunning = (state: MigrationState): boolean => !ENDED_MIGRATION_STATES.has(state);
export const isFinal = (state: MigrationState): boolean => state === 'ROLLED_BACK';

export type MigrationEvent =
  /**
   * The current step's work is done. `from` is the state the job read before doing it: when given
   * and no longer current (a retried job reporting twice), the report is stale and ignored, so a
   * duplicate can never skip a step.
   */
  | { type: 'STEP_DONE'; from?: MigrationState }
  | { type: 'FAIL'; reason: string }
  /** A rollback migration was started for this one. */
  | { type: 'ROLL_BACK' };

export const MIGRATION_REJECTIONS = ['MIGRATION_IN_PROGRESS', 'MIGRATION_ALREADY_ROLLED_BACK', 'FAILURE_REASON_REQUIRED'] as const;
export type MigrationRejection = (typeof MIGRATION_REJECTIONS)[number];

export type MigrationOutcome =
  | { kind: 'MOVED'; to: MigrationState }
  /** Nothing to do: a late or repeated report about a migration that moved on. */
  | { kind: 'IGNORED' }
  /** The caller asked for something the migration cannot do now; the API answers 409 with `reason`. */
  | { kind: 'REJECTED'; reason: MigrationRejection };

const IGNORED: MigrationOutcome = { kind: 'IGNORED' };
const rejected = (reason: MigrationRejection): MigrationOutcome => ({ kind: 'REJECTED', reason });
const moved = (to: MigrationState): MigrationOutcome => ({ kind: 'MOVED', to });

/** The step after `state`, or null when it has none (the last step, FAILED, ROLLED_BACK). */
export function nextStep(state: MigrationState): MigrationStep | null {
  const index = (MIGRATION_STEPS as readonly MigrationState[]).indexOf(state);
  return index >= 0 ? (MIGRATION_STEPS[index + 1] ?? null) : null;
}

export function next(state: MigrationState, event: MigrationEvent): MigrationOutcome {
  switch (event.type) {
    case 'STEP_DONE': {
      if (!isRunning(state) || (event.from !== undefined && event.from !== state)) return IGNORED;
      const step = nextStep(state);
      return step ? moved(step) : IGNORED;
    }
    case 'FAIL':
      // A late failure (the target deadline firing after completion) must not undo an end.
      if (!isRunning(state)) return IGNORED;
      // The reason is what the user will read; a failure without one cannot be acted on.
      return event.reason.trim() === '' ? rejected('FAILURE_REASON_REQUIRED') : moved('FAILED');
    case 'ROLL_BACK':
      if (isRunning(state)) return rejected('MIGRATION_IN_PROGRESS');
      return state === 'ROLLED_BACK' ? rejected('MIGRATION_ALREADY_ROLLED_BACK') : moved('ROLLED_BACK');
  }
}

/** Every move `next` can make, as data: for each state, the states some event leads to. */
export const MIGRATION_TRANSITIONS: Readonly<Record<MigrationState, readonly MigrationState[]>> = {
  PENDING: ['SOURCE_DEREGISTERED', 'FAILED'],
  SOURCE_DEREGISTERED: ['AWAITING_TARGET', 'FAILED'],
  AWAITING_TARGET: ['TARGET_REGISTERED', 'FAILED'],
  TARGET_REGISTERED: ['CONFIGURATION_APPLIED', 'FAILED'],
  CONFIGURATION_APPLIED: ['COMPLETED', 'FAILED'],
  COMPLETED: ['ROLLED_BACK'],
  FAILED: ['ROLLED_BACK'],
  ROLLED_BACK: [],
};

export const canTransition = (from: MigrationState, to: MigrationState): boolean => MIGRATION_TRANSITIONS[from].includes(to);
