import { Global, Inject, Injectable, Module, type BeforeApplicationShutdown, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';

/** Injection token of the root pino logger (see json-logger.ts). */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/** The start of a shutdown in the log, in the same JSON as the rest (main.ts logs its end). */
@Injectable()
class LifecycleLog implements BeforeApplicationShutdown {
  constructor(@Inject(ROOT_LOGGER) private readonly logger: Logger) {}

  beforeApplicationShutdown(signal?: string): void {
    this.logger.info({ context: 'Main', signal }, 'shutting down');
  }
}

/**
 * JSON logs (pino). The root logger is made before Nest (createHttpApp, createWorkerContext) and
 * provided here; requests are logged by request-log.ts. Secrets never reach a log: bodies and
 * headers are not logged, and SQL parameters neither (see typeorm-logger.ts).
 */
@Global()
@Module({})
export class LoggingModule {
  static forRoot(logger: Logger): DynamicModule {
    return { module: LoggingModule, providers: [{ provide: ROOT_LOGGER, useValue: logger }, LifecycleLog], exports: [ROOT_LOGGER] };
  }
}
