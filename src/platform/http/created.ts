import {
  applyDecorators,
  HttpCode,
  UseInterceptors,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
  type Type,
} from '@nestjs/common';
import { ApiCreatedResponse } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { map, type Observable } from 'rxjs';

/** `{tenantId}` or `{activationToken.id}`: from the answer's fields first, then the path's parameters. */
function fill(template: string, body: unknown, params: Record<string, string>): string {
  return template.replace(/\{([\w.]+)\}/g, (_, name: string) => {
    const fromBody = name
      .split('.')
      .reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), body);
    const value = fromBody ?? params[name];
    if (typeof value !== 'string') throw new Error(`Location template ${template}: no value for ${name}`);
    return encodeURIComponent(value);
  });
}

/** Sets `Location` on a 201 answer from a template over the answer and the path parameters. */
class LocationInterceptor implements NestInterceptor {
  constructor(private readonly template: string) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const params = (http.getRequest<FastifyRequest>().params ?? {}) as Record<string, string>;
    return next.handle().pipe(
      map((body: unknown) => {
        if (reply.statusCode === 201) void reply.header('location', fill(this.template, body, params));
        return body;
      }),
    );
  }
}

/**
 * A create: 201 with the object and `Location` (RFC 9110 §10.2.2), the URL of what was created,
 * e.g. `@Created(CommandView, '/api/v1/tenants/{tenantId}/commands/{id}')`. A handler that answers
 * 200 for a repeat (idempotency, a registration retry) sets that status itself; then no Location.
 */
export const Created = (type: Type<unknown>, location: string, description?: string) =>
  applyDecorators(
    HttpCode(201),
    UseInterceptors(new LocationInterceptor(location)),
    ApiCreatedResponse({
      type,
      ...(description ? { description } : {}),
      headers: {
        Location: { required: true, description: `the created object: ${location}`, schema: { type: 'string', format: 'uri-reference' } },
      },
    }),
  );
