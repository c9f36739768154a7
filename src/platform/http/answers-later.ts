import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const ANSWERS_LATER = 'gcpAnswersLater';

/**
 * A route whose handler answers through the reply (`@Res()`) after it has returned: the long poll.
 * Its handler runs the whole NestJS pipeline as usual (guard, pipes, exception filter for what they
 * throw), registers what it waits for and returns, so nothing of that pipeline (its async functions,
 * promises and closures, a few KiB per request) stays alive while ten thousand polls are held.
 * The answer, or the error that ends the wait, is given to the reply later: `reply.send(error)` goes
 * through Fastify's error handler, which is NestJS's exception layer with the same global filter.
 */
export const AnswersLater = () => RouteConfig({ [ANSWERS_LATER]: true });

type Handler = (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) => unknown;

/**
 * Fastify answers an async handler when its promise settles, with an empty 200 when the handler did
 * not send: NestJS's handler is such a promise, settled as soon as the controller returned. For the
 * routes marked `@AnswersLater()` the handler's promise is therefore kept from Fastify, which then
 * waits for `reply.send`. Registered before NestJS registers its routes (onRoute sees each one).
 */
export function registerAnswersLater(fastify: FastifyInstance): void {
  fastify.addHook('onRoute', (route) => {
    if (!(route.config as Record<string, unknown> | undefined)?.[ANSWERS_LATER]) return;
    const handler = route.handler as Handler;
    route.handler = function answersLater(this: FastifyInstance, request, reply) {
      // A Fastify reply is a thenable that settles when the response has been sent, and NestJS's
      // handler ends by returning the reply from an async function: that adopts the thenable, so
      // NestJS's frames (and all they reference) stayed suspended until the answer was sent, however
      // early the controller returned. For NestJS this reply is a plain value.
      Object.defineProperty(reply, 'then', { value: undefined, configurable: true, writable: true });
      // NestJS's exception filter answers whatever the pipeline throws; this is the backstop for a
      // failure of the filter itself.
      Promise.resolve(handler.call(this, request, reply)).catch((error: unknown) => {
        if (!reply.sent) void reply.send(error);
      });
    };
  });
}
