import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ChangeRecorder } from '../platform/audit/change-recorder.js';
import type { Actor } from '../platform/auth/principal.js';
import { isUuid } from '../platform/database/uuid.js';
import { Reactions, ReactsTo } from '../platform/reactions/reactions.js';
import { EventTopic } from '../platform/events/topics.js';
import { GatewayLiveState } from './gateway-live-state.js';
import type { GatewayStatusChangedEvent } from './gateway-status-writer.service.js';
import { GatewayEntity } from './gateway.entity.js';
import { GatewayErrors } from './gateways.errors.js';

export type DeregistrationReason = 'BY_USER' | 'BY_GATEWAY' | 'MIGRATION' | 'REPLACEMENT';

/**
 * De-registration, from any side: the gateway's credential stops working at once, its waiting
 * commands end ABORTED, the profile becomes NOT_REGISTERED (and keeps its configuration), and the
 * gateway row stays for history.
 */
@Injectable()
export class DeregistrationService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(GatewayLiveState) private readonly live: GatewayLiveState,
    @Inject(Reactions) private readonly reactions: Reactions,
    @Inject(ChangeRecorder) private readonly changes: ChangeRecorder,
  ) {}

  /** The Redis tombstone is also applied from the outbox, so it survives a crash right after the commit. */
  @ReactsTo('outbox.gateway-status-changed')
  async tombstoneFromOutbox(change: GatewayStatusChangedEvent): Promise<void> {
    if (change.status === 'DEREGISTERED') await this.live.markDeregistered(change.gatewayId);
  }

  /** De-registers a gateway of the tenant; doing it twice changes nothing the second time. */
  async deregister(tenantId: string, gatewayId: string, actor: Actor, reason: DeregistrationReason): Promise<GatewayEntity> {
    const gateway = await this.dataSource.transaction((manager) => this.deregisterWithin(manager, tenantId, gatewayId, actor, reason));
    await this.live.markDeregistered(gateway.id);
    return gateway;
  }

  /** The same inside a caller's transaction (a migration's step, a replacement's registration). */
  async deregisterWithin(
    manager: EntityManager,
    tenantId: string,
    gatewayId: string,
    actor: Actor,
    reason: DeregistrationReason,
  ): Promise<GatewayEntity> {
    const gateway = isUuid(gatewayId)
      ? await manager.findOne(GatewayEntity, { where: { id: gatewayId, tenantId }, lock: { mode: 'pessimistic_write' } })
      : null;
    if (!gateway) throw GatewayErrors.notFound();
    if (gateway.status === 'DEREGISTERED') return gateway;
    const previousStatus = gateway.status;
    const now = new Date();
    Object.assign(gateway, {
      status: 'DEREGISTERED',
      statusSeq: String(Number(gateway.statusSeq) + 1),
      health: 'DOWN',
      deregisteredAt: now,
      deregisteredBy: actor.id ? `${actor.type}:${actor.id}` : actor.type,
      deregistrationReason: reason,
    });
    await manager.update(
      GatewayEntity,
      { id: gateway.id },
      {
        status: gateway.status,
        statusSeq: gateway.statusSeq,
        health: gateway.health,
        deregisteredAt: now,
        deregisteredBy: gateway.deregisteredBy,
        deregistrationReason: reason,
      },
    );
    await this.reactions.run('gateway.deregistered', { manager, id: gateway.id, tenantId, profileId: gateway.profileId, actor });
    const event: GatewayStatusChangedEvent = {
      gatewayId: gateway.id,
      profileId: gateway.profileId,
      tenantId,
      previousStatus,
      status: 'DEREGISTERED',
      lastHeartbeatAt: gateway.lastHeartbeatAt?.toISOString() ?? null,
      changedAt: now.toISOString(),
    };
    await this.changes.record(manager, {
      tenantId,
      actor,
      action: 'gateway.deregistered',
      targetType: 'gateway',
      targetId: gateway.id,
      before: { status: previousStatus },
      after: { status: 'DEREGISTERED', reason },
      event: { topic: EventTopic.GatewayStatusChanged, payload: event },
    });
    return gateway;
  }
}
