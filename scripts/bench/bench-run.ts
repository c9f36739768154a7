import { constants } from 'node:os';
import { round } from './stats.js';

/**
 * What every benchmark's main needs around it: a log line with the elapsed time, the teardown
 * steps (undone last-in first-out on success, errors and signals alike) and the environment check.
 */
export class BenchRun {
  private readonly startedAt = performance.now();
  private readonly teardown: (() => Promise<unknown>)[] = [];
  private teardownDone: Promise<void> | null = null;
  private interrupted = false;

  constructor(private readonly command: string) {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        this.interrupted = true;
        this.log(`${signal}: stopping and cleaning up`);
        void this.runTeardown().finally(() => process.exit(128 + constants.signals[signal]));
      });
    }
  }

  log = (message: string): void => {
    console.error(`[bench ${round((performance.now() - this.startedAt) / 1000, 0)}s] ${message}`);
  };

  /** Seconds since the benchmark started. */
  get elapsedSeconds(): number {
    return (performance.now() - this.startedAt) / 1000;
  }

  onTeardown(step: () => Promise<unknown>): void {
    this.teardown.push(step);
  }

  requiredEnv(name: string): string {
    const value = process.env[name];
    if (!value)
      throw new Error(`${name} is not set: run this with \`${this.command}\` (it provisions Postgres and Redis with scripts/stack.sh)`);
    return value;
  }

  private runTeardown(): Promise<void> {
    this.teardownDone ??= (async () => {
      for (let step = this.teardown.pop(); step; step = this.teardown.pop()) {
        await step().catch((error: unknown) => console.error('cleanup failed:', error));
      }
    })();
    return this.teardownDone;
  }

  /** Runs the benchmark, then the teardown; a failure sets the exit code. */
  run(main: () => Promise<void>): void {
    main()
      .catch((error: unknown) => {
        // After a signal, main fails only because its servers were stopped under it.
        if (!this.interrupted) console.error('the benchmark failed:', error);
        process.exitCode = 1;
      })
      .finally(() => this.runTeardown());
  }
}
