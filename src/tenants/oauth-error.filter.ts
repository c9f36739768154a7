import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DomainError } from '../platform/errors/domain-error.js';
import { ProblemDetailsFilter } from '../platform/errors/problem-details.filter.js';
import { OAuthError } from './oauth-token-request.js';
import { TenantErrorCode } from './tenants.errors.js';

/** The service's refusals of a token request, as RFC 6749 §5.2 names them. */
function asOAuthError(error: unknown): OAuthError | undefined {
  if (error instanceof OAuthError) return error;
  if (error instanceof DomainError && error.code === TenantErrorCode.INVALID_CLIENT) return new OAuthError('invalid_client', error.message);
  if (error instanceof DomainError && error.code === TenantErrorCode.TENANT_SUSPENDED)
    return new OAuthError('unauthorized_client', error.message);
  return undefined;
}

/**
 * The token endpoint answers errors as RFC 6749 §5.2 has them (`{ error, error_description }`,
 * invalid_client as 401 with `WWW-Authenticate`), which OAuth client libraries read; anything
 * else (503 while a dependency is down, 413) stays problem+json.
 */
@Catch()
export class OAuthErrorFilter implements ExceptionFilter {
  private readonly problems = new ProblemDetailsFilter();

  catch(exception: unknown, host: ArgumentsHost): void {
    const error = asOAuthError(exception);
    if (!error) return this.problems.catch(exception, host);
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (error.status === 401) void reply.header('www-authenticate', 'Basic realm="gateway-control-plane", charset="UTF-8"');
    void reply
      .status(error.status)
      .headers({ 'cache-control': 'no-store', pragma: 'no-cache', 'content-type': 'application/json' })
      .send({ error: error.error, error_description: error.description });
  }
}
