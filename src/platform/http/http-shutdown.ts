import { Global, Injectable, Module } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';

/**
 * The moment the HTTP server starts to close (Fastify's preClose: before it stops listening,
 * whoever calls close, Nest or the GraphQL drain). Long-lived requests (long polls) answer then,
 * and answers given from then on close their connection, so the server is not kept open by
 * idle keep-alive sockets.
 */
@Injectable()
export class HttpShutdown {
  private closing = false;
  private draining = false;
  private readonly listeners: (() => void)[] = [];

  get isClosing(): boolean {
    return this.closing;
  }

  /** Shutdown has begun: from the signal, through the drain period, until the process exits. */
  get isStopping(): boolean {
    return this.draining || this.closing;
  }

  /**
   * The drain period after SIGTERM: the port stays open and requests are served as usual, but
   * /readyz answers 503 so the load balancer takes this process out of rotation before it closes.
   */
  startDraining(): void {
    this.draining = true;
  }

  onClosing(listener: () => void): void {
    this.listeners.push(listener);
  }

  attach(fastify: FastifyInstance): void {
    fastify.addHook('preClose', (done) => {
      this.closing = true;
      for (const listener of this.listeners) listener();
      done();
    });
    fastify.addHook('onSend', (_request, reply, payload, done) => {
      if (this.closing) void reply.header('connection', 'close');
      done(null, payload);
    });
  }
}

@Global()
@Module({ providers: [HttpShutdown], exports: [HttpShutdown] })
export class HttpShutdownModule {}
