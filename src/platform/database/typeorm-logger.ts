import { Logger } from '@nestjs/common';
import type { Logger as TypeOrmLoggerContract } from 'typeorm';

/** The one line of SQL a log entry shows: whitespace folded, cut at 500 characters. */
const oneLine = (query: string) => String(query).replace(/\s+/g, ' ').trim().slice(0, 500);

/**
 * TypeORM's messages through the application's JSON logger. TypeORM's own loggers print coloured
 * text with the query's parameters (hashes of secrets among them) and report every failed query,
 * even those the caller expects and answers (a unique name taken is a 409, not an incident). Here a
 * failed query is a debug line with its SQL and SQLSTATE, never its parameters; what the caller does
 * not handle reaches the error filter, which logs it with the request id.
 */
export class TypeOrmLogger implements TypeOrmLoggerContract {
  private readonly logger = new Logger('Database');

  logQuery(): void {}

  // The parameters are left out on purpose (see above).
  logQueryError(error: string | Error, query: string, _parameters?: unknown): void {
    const code = typeof error === 'object' ? (error as Error & { code?: string }).code : undefined;
    this.logger.debug({ code, query: oneLine(query), err: typeof error === 'string' ? error : error.message }, 'query failed');
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn({ ms: time, query: oneLine(query) }, 'slow query');
  }

  logSchemaBuild(): void {}

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(message);
    else this.logger.log(message);
  }
}
