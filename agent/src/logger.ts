import { appendFileSync, renameSync, statSync } from 'node:fs';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const LEVELS: Record<LogLevel, number> = { debug: 20, info: 30, warn: 40, error: 50 };

export interface LogLine {
  time: string;
  level: LogLevel;
  msg: string;
  [field: string]: unknown;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Where each JSON line goes; default standard output. `null`: nowhere (the lines are still kept). */
  write?: ((line: string) => void) | null;
  /** Also append the lines to this file (rotated to `<file>.1` past `maxFileBytes`). */
  file?: string;
  maxFileBytes?: number;
  /** How many recent lines are kept in memory for COLLECT_LOGS. */
  keepLines?: number;
  /** Fields on every line. */
  base?: Record<string, unknown>;
}

/**
 * The agent's log: one JSON object a line (`time`, `level`, `msg`, fields), to standard output and
 * optionally a file, with the recent lines kept so the COLLECT_LOGS command can return them.
 */
export class Logger {
  private readonly threshold: number;
  private readonly recent: LogLine[];
  private readonly shared: { recent: LogLine[] };

  constructor(
    private readonly options: LoggerOptions = {},
    shared?: { recent: LogLine[] },
  ) {
    this.threshold = LEVELS[options.level ?? 'info'];
    this.shared = shared ?? { recent: [] };
    this.recent = this.shared.recent;
  }

  /** A logger whose lines carry `fields` too, sharing this one's outputs and memory. */
  child(fields: Record<string, unknown>): Logger {
    return new Logger({ ...this.options, base: { ...this.options.base, ...fields } }, this.shared);
  }

  debug(msg: string, fields?: Record<string, unknown>): void {
    this.emit('debug', msg, fields);
  }
  info(msg: string, fields?: Record<string, unknown>): void {
    this.emit('info', msg, fields);
  }
  warn(msg: string, fields?: Record<string, unknown>): void {
    this.emit('warn', msg, fields);
  }
  error(msg: string, fields?: Record<string, unknown>): void {
    this.emit('error', msg, fields);
  }

  /** The kept lines written at or after `since`, oldest first. */
  linesSince(since: Date): LogLine[] {
    const from = since.toISOString();
    return this.recent.filter((line) => line.time >= from);
  }

  private emit(level: LogLevel, msg: string, fields?: Record<string, unknown>): void {
    if (LEVELS[level] < this.threshold) return;
    const line: LogLine = { time: new Date().toISOString(), level, msg, ...this.options.base, ...fields };
    this.recent.push(line);
    const keep = this.options.keepLines ?? 2_000;
    if (this.recent.length > keep) this.recent.splice(0, this.recent.length - keep);
    const text = JSON.stringify(line, (_key, value: unknown) => (value instanceof Error ? value.message : value));
    if (this.options.write !== null) (this.options.write ?? ((out: string) => process.stdout.write(`${out}\n`)))(text);
    if (this.options.file) this.append(this.options.file, text);
  }

  private append(file: string, text: string): void {
    try {
      const max = this.options.maxFileBytes ?? 5 * 1024 * 1024;
      if ((statSync(file, { throwIfNoEntry: false })?.size ?? 0) > max) renameSync(file, `${file}.1`);
      appendFileSync(file, `${text}\n`, { mode: 0o600 });
    } catch {
      // A full or read-only disk must not stop the agent; standard output still has the line.
    }
  }
}
