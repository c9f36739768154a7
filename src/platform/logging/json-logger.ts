import type { LoggerService } from '@nestjs/common';
import { pino, type DestinationStream, type Level, type Logger } from 'pino';

export type LogLevel = Level | 'silent';

/**
 * The process's one pino logger: JSON lines on stdout (or `stream`), never colours. It exists
 * before Nest does, so a start-up failure, a configuration error and the shutdown are written in
 * the same format as everything else.
 */
export function createRootLogger(level: LogLevel, stream?: DestinationStream): Logger {
  // Synchronous writes: a line logged just before the process exits (a failed start, the end of a
  // shutdown) is never lost in a buffer. A line costs one write(2) (a few µs); the bulk of the
  // traffic (heartbeats, polls) is not logged at the default levels.
  return pino({ level, base: { pid: process.pid } }, stream ?? pino.destination({ dest: 1, sync: true }));
}

const NEST_LEVELS = { log: 'info', error: 'error', warn: 'warn', debug: 'debug', verbose: 'trace', fatal: 'fatal' } as const;

/**
 * Nest's LoggerService over pino. Nest's `Logger` calls it as `(message, ...params, context)`:
 * the last string is the logger's context; an object message (`{ err }`, fields) becomes fields of
 * the line and the next string its message; `error(message, stack)` keeps the stack.
 */
export class JsonLogger implements LoggerService {
  constructor(readonly pino: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('log', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('verbose', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(method: keyof typeof NEST_LEVELS, message: unknown, params: unknown[]): void {
    const level = NEST_LEVELS[method];
    if (!this.pino.isLevelEnabled(level)) return;
    const rest = [...params];
    // Nest appends the context of a named Logger last (an unnamed one appends nothing).
    const context = rest.length && typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const fields: Record<string, unknown> = context ? { context } : {};
    let text: string | undefined;
    if (message instanceof Error) fields.err = message;
    else if (message && typeof message === 'object') Object.assign(fields, message);
    else text = String(message);
    const next = rest.find((value) => value !== undefined);
    if (typeof next === 'string') {
      if (text === undefined) text = next;
      else if (method === 'error' || method === 'fatal') fields.stack = next;
    } else if (next instanceof Error) fields.err = next;
    this.pino[level](fields, text ?? (fields.err instanceof Error ? fields.err.message : ''));
  }
}
