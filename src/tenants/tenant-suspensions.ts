import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { REDIS, RedisConnections, type RedisClient } from '../platform/redis/redis.module.js';
import { TenantEntity } from './tenant.entity.js';

/**
 * Which tenants are suspended, as Redis marks that the gateway protocol's hot path reads in the
 * same round trip as the gateway's own state (the heartbeat script, the credential check).
 * Postgres (`tenants.status`) stays the truth: the tenants service sets or clears a mark after the
 * change commits, and every process copies the suspended tenants to Redis when it starts, so a
 * Redis that lost its data is repaired by the next start.
 */
@Injectable()
export class TenantSuspensions implements OnApplicationBootstrap {
  private readonly logger = new Logger(TenantSuspensions.name);

  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(RedisConnections) private readonly connections: RedisConnections,
    @InjectRepository(TenantEntity) private readonly tenants: Repository<TenantEntity>,
  ) {}

  key(tenantId: string): string {
    return this.connections.key('tenant-suspended', tenantId);
  }

  async mark(tenantIds: string[], suspended: boolean): Promise<void> {
    if (!tenantIds.length) return;
    // One key per command: on Redis Cluster the marks live in different slots.
    await Promise.all(tenantIds.map((id) => (suspended ? this.redis.set(this.key(id), '1') : this.redis.del(this.key(id)))));
  }

  async isSuspended(tenantId: string): Promise<boolean> {
    return (await this.redis.exists(this.key(tenantId))) === 1;
  }

  async onApplicationBootstrap(): Promise<void> {
    try {
      const suspended = await this.tenants.find({ where: { status: 'SUSPENDED' }, select: { id: true } });
      await this.mark(
        suspended.map((tenant) => tenant.id),
        true,
      );
    } catch (error) {
      // Start anyway: the marks of a tenant suspended from now on are set when it is suspended.
      this.logger.warn({ err: (error as Error).message }, 'could not copy suspended tenants to Redis');
    }
  }
}
