import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { loggableError } from './loggable-error.js';
import { toProblem } from './problem-details.js';

/** Answers every failed REST and gateway-protocol request with application/problem+json. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(private readonly options: { retryAfterSeconds?: number } = {}) {}

  catch(error: unknown, host: ArgumentsHost): void {
    // GraphQL errors are shaped by the GraphQL formatter, not here.
    if (host.getType() !== 'http') throw error;
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const { problem, headers, unexpected } = toProblem(error, this.options);
    if (unexpected) this.logger.error({ err: loggableError(error), reqId: request.id }, 'unexpected error');
    else if (problem.status === 503) this.logger.warn({ err: loggableError(error), reqId: request.id }, 'dependency unavailable');
    void reply
      .status(problem.status)
      .headers({ ...headers, 'content-type': 'application/problem+json' })
      .send(problem);
  }
}
