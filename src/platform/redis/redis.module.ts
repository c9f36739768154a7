import { Global, Inject, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Cluster, Redis } from 'ioredis';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';

/** Injection token of the shared ioredis client for commands (not for blocking or subscribing). */
export const REDIS = Symbol('REDIS');

/** A connection to one Redis primary, or to a Redis Cluster (REDIS_CLUSTER_NODES). */
export type RedisClient = Redis | Cluster;

/**
 * Makes Redis connections and names keys. Every key goes through `key()` or `tagged()`, so
 * REDIS_KEY_PREFIX separates deployments and test files sharing one Redis.
 *
 * On Redis Cluster, keys that one script, transaction or multi-key command uses together must
 * hash to one slot: `tagged()` puts such keys under one hash tag (`gcp:{tag}:…`; only the part
 * in braces is hashed). Everything else is a plain key and spreads over the cluster.
 */
@Injectable()
export class RedisConnections implements OnApplicationShutdown {
  private readonly logger = new Logger('Redis');
  private readonly opened: RedisClient[] = [];

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** A new connection; BullMQ workers and subscribers need their own. */
  open(purpose: string, options: { forBullMq?: boolean; autoPipelining?: boolean } = {}): RedisClient {
    const common = {
      connectionName: `gcp:${purpose}`,
      // BullMQ's blocking workers require this to be null; plain clients fail fast instead.
      maxRetriesPerRequest: options.forBullMq ? null : 3,
      // While Redis is down a plain command would wait for three reconnections (up to 15 s): a
      // request answers 503 within 2 s instead (platform/errors/outage.ts).
      ...(options.forBullMq ? {} : { commandTimeout: 2_000 }),
      enableReadyCheck: true,
    };
    // Auto-pipelining sends the commands of one tick in one write, but each of those writes is an
    // ioredis Pipeline that copies every script defined on the connection onto itself, with a
    // getter of its own: on the shared connection (a dozen scripts) that cost more than the write
    // it saves and left old-generation garbage behind (docs/performance.md, "Auto-pipelining").
    // Only a connection with few scripts and bursts of commands asks for it.
    const enableAutoPipelining = options.autoPipelining ?? false;
    // Reconnects back off (0.1 s, 0.2 s … at most 5 s, jittered) instead of hammering a Redis that is down.
    const backOff = (times: number) => Math.round(Math.min(5_000, 100 * 2 ** Math.min(times - 1, 6)) * (0.75 + Math.random() * 0.5));
    const { url, clusterNodes } = this.config.redis;
    const connection: RedisClient = clusterNodes
      ? new Cluster(clusterNodes, {
          redisOptions: common,
          enableAutoPipelining,
          enableReadyCheck: true,
          clusterRetryStrategy: backOff,
          // The slot map is asked for at connect and after a MOVED; a busy node may take more than the 1 s default.
          slotsRefreshTimeout: 5_000,
          // A node that is restarting or failing over: wait for the new slot map, then retry.
          retryDelayOnFailover: 200,
          retryDelayOnClusterDown: 300,
          retryDelayOnTryAgain: 100,
        })
      : new Redis(url!, { ...common, lazyConnect: false, enableAutoPipelining, retryStrategy: backOff });
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

  /** A key in hash tag `tag`: every key with the same tag lands in one cluster slot. */
  tagged(tag: string, ...parts: string[]): string {
    return [this.config.redis.keyPrefix, `{${tag}}`, ...parts].join(':');
  }

  get isCluster(): boolean {
    return this.config.redis.clusterNodes !== null;
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
    {
      provide: REDIS,
      inject: [RedisConnections],
      useFactory: (connections: RedisConnections) => connections.open('commands'),
    },
  ],
  exports: [RedisConnections, REDIS],
})
export class RedisModule {}
