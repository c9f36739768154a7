import { Global, Inject, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';

/** Injection token of the shared ioredis client for commands (not for blocking or subscribing). */
export const REDIS = Symbol('REDIS');

/**
 * Makes Redis connections and names keys. Every key goes through `key()`, so REDIS_KEY_PREFIX
 * separates deployments and test files sharing one Redis.
 */
@Injectable()
export class RedisConnections implements OnApplicationShutdown {
  private readonly logger = new Logger('Redis');
  private readonly opened: Redis[] = [];

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** A new connection; BullMQ workers and subscribers need their own. */
  open(purpose: string, options: { forBullMq?: boolean; autoPipelining?: boolean } = {}): Redis {
    const connection = new Redis(this.config.redis.url, {
      connectionName: `gcp:${purpose}`,
      // BullMQ's blocking workers require this to be null; plain clients fail fast instead.
      maxRetriesPerRequest: options.forBullMq ? null : 3,
      enableReadyCheck: true,
      lazyConnect: false,
      // Commands issued in one tick share one write: under load, one syscall serves many
      // heartbeats (system calls are the largest single cost of a heartbeat on our VMs).
      enableAutoPipelining: options.autoPipelining ?? false,
      // Reconnects back off (0.1 s, 0.2 s … at most 5 s, jittered) instead of hammering a Redis that is down.
      retryStrategy: (times: number) => Math.round(Math.min(5_000, 100 * 2 ** Math.min(times - 1, 6)) * (0.75 + Math.random() * 0.5)),
    });
    // ioredis reconnects on its own and readiness reports the outage; the log says so once per outage.
    let down = false;
    connection.on('error', (error: Error) => {
      if (down) return;
      down = true;
      this.logger.warn({ connection: purpose, err: error.message }, 'Redis connection lost; reconnecting with back-off');
    });
    connection.on('ready', () => {
      if (down) this.logger.log({ connection: purpose }, 'Redis connection back');
      down = false;
    });
    this.opened.push(connection);
    return connection;
  }

  key(...parts: string[]): string {
    return [this.config.redis.keyPrefix, ...parts].join(':');
  }

  get prefix(): string {
    return this.config.redis.keyPrefix;
  }

  // Closed at the very end of shutdown, after in-flight requests and jobs are done with them.
  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.opened.map((connection) => connection.quit().catch(() => connection.disconnect())));
  }
}

@Global()
@Module({
  providers: [
    RedisConnections,
    { provide: REDIS, inject: [RedisConnections], useFactory: (connections: RedisConnections) => connections.open('commands', { autoPipelining: true }) },
  ],
  exports: [RedisConnections, REDIS],
})
export class RedisModule {}
