import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { CommandRedisRebuild } from '../commands/system-events/command-redis-rebuild.js';
import { runsWorkers, type AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { MigrationWorkflow } from '../gateway-migrations/migration-workflow.service.js';
import { LivenessService } from '../gateways/liveness.service.js';
import { QueueWorkers } from '../platform/queues/queue-workers.service.js';
import { REDIS, RedisConnections } from '../platform/redis/redis.module.js';

/** How often a worker process looks whether Redis lost its data while the service runs. */
const CHECK_EVERY_MS = 15_000;
/** A rebuild that dies half-way leaves the claim to expire, and another process takes it. */
const REBUILD_CLAIM_SECONDS = 300;

export interface RedisRebuild {
  gatewaysSeeded: number;
  openCommands: number;
  flaggedGateways: number;
  migrationsSwept: number;
}

/**
 * Redis holds nothing that Postgres cannot give back (docs/operations.md). A marker key says that
 * this Redis has the service's state; when it is missing (a new, flushed or replaced Redis), one
 * worker process claims the rebuild and puts back, from Postgres: the repeatable jobs, the live
 * state of every gateway (with a fresh silence deadline), every open command's deadline jobs and
 * "commands waiting" flags, and the migrations' pending steps. Checked at start and every 15 s.
 */
@Injectable()
export class RedisRecovery implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RedisRecovery.name);
  private readonly marker: string;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<boolean> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(RedisConnections) connections: RedisConnections,
    @Inject(QueueWorkers) private readonly workers: QueueWorkers,
    @Inject(LivenessService) private readonly liveness: LivenessService,
    @Inject(CommandRedisRebuild) private readonly commands: CommandRedisRebuild,
    @Inject(MigrationWorkflow) private readonly migrations: MigrationWorkflow,
  ) {
    this.marker = connections.key('state-marker');
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!runsWorkers(this.config)) return;
    await this.check();
    this.timer = setInterval(() => {
      this.check().catch((error: unknown) => this.logger.error({ err: error }, 'could not check or rebuild the Redis state'));
    }, CHECK_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Rebuilds when this Redis does not carry the marker; answers whether it did. */
  check(): Promise<boolean> {
    this.running ??= this.claimAndRebuild().finally(() => (this.running = null));
    return this.running;
  }

  private async claimAndRebuild(): Promise<boolean> {
    const claimed = await this.redis.set(this.marker, `rebuilding since ${new Date().toISOString()}`, 'EX', REBUILD_CLAIM_SECONDS, 'NX');
    if (claimed !== 'OK') return false;
    const rebuilt = await this.rebuild();
    await this.redis.set(this.marker, `rebuilt from Postgres at ${new Date().toISOString()}`);
    if (rebuilt.gatewaysSeeded || rebuilt.openCommands || rebuilt.migrationsSwept) {
      this.logger.warn({ ...rebuilt }, 'Redis had none of the service state: rebuilt it from Postgres');
    }
    return true;
  }

  async rebuild(): Promise<RedisRebuild> {
    await this.workers.ensureSchedulers();
    const gatewaysSeeded = await this.liveness.reconcile();
    const { commands: openCommands, flaggedGateways } = await this.commands.rebuild();
    const migrationsSwept = await this.migrations.sweep();
    return { gatewaysSeeded, openCommands, flaggedGateways, migrationsSwept };
  }
}
