import { Module, type DynamicModule } from '@nestjs/common';
import type { Writable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import type { AppConfig } from '../../config/app-config.js';
import { requestIdOf } from '../http/request-id.js';

const QUIET_ROUTES = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * JSON logs (pino) with a request id on every line of a request. Secrets never reach a log:
 * headers that carry them are redacted and bodies are not logged.
 */
@Module({})
export class LoggingModule {
  /** `stream`: where the JSON lines go (default stdout); tests pass one to read what was logged. */
  static forRoot(config: AppConfig, stream?: Writable): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            ...(stream ? { stream } : {}),
            // Fastify made the id (see request-id.ts); the logger reuses it so both agree.
            genReqId: (request: IncomingMessage & { id?: string }) => request.id ?? requestIdOf(request),
            redact: {
              paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["idempotency-key"]', 'res.headers["set-cookie"]'],
              censor: '[redacted]',
            },
            serializers: {
              req: (request: { id: string; method: string; url: string }) => ({ id: request.id, method: request.method, url: request.url.split('?')[0] }),
            },
            autoLogging: { ignore: (request: IncomingMessage) => QUIET_ROUTES.has((request.url ?? '').split('?')[0]!) },
            // Heartbeats and long polls are the bulk of the traffic: logged at debug, errors still at warn.
            customLogLevel: (request: IncomingMessage, response: { statusCode: number }, error?: Error) =>
              error || response.statusCode >= 500
                ? 'error'
                : response.statusCode >= 400
                  ? 'warn'
                  : (request.url ?? '').startsWith('/gateway/v1/')
                    ? 'debug'
                    : 'info',
          },
        }),
      ],
    };
  }
}
