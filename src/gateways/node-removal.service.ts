import { EventTopic } from '../platform/events/topics.js';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ChangeRecorder } from '../platform/audit/change-recorder.js';
import type { TenantScope } from '../platform/auth/tenant-scope.js';
import { isUuid } from '../platform/database/uuid.js';
import { GatewayNodeEntity } from './gateway-node.entity.js';
import { isConnected } from './gateway-status.js';
import { GatewayEntity } from './gateway.entity.js';
import { GatewayErrors } from './gateways.errors.js';
import { NodeInventory } from './node-inventory.service.js';

/** A user removes a node that disappeared from the reports; the assessment is redone without it. */
@Injectable()
export class NodeRemovalService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(NodeInventory) private readonly nodes: NodeInventory,
    @Inject(ChangeRecorder) private readonly changes: ChangeRecorder,
  ) {}

  async removeMissing(scope: TenantScope, gatewayId: string, nodeId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const gateway = isUuid(gatewayId)
        ? await manager.findOne(GatewayEntity, { where: { id: gatewayId, tenantId: scope.tenantId }, lock: { mode: 'pessimistic_write' } })
        : null;
      if (!gateway) throw GatewayErrors.notFound();
      const node = isUuid(nodeId) ? await manager.findOneBy(GatewayNodeEntity, { id: nodeId, gatewayId: gateway.id }) : null;
      if (!node) throw GatewayErrors.nodeNotFound();
      if (node.state !== 'MISSING') throw GatewayErrors.nodeNotMissing();
      await manager.delete(GatewayNodeEntity, { id: node.id });
      const assessment = (
        await this.nodes.reassess(manager, [{ id: gateway.id, type: gateway.type, connected: isConnected(gateway.status) }])
      ).get(gateway.id)!;
      await manager.update(GatewayEntity, { id: gateway.id }, { assessment, health: assessment.health });
      await this.changes.record(manager, {
        tenantId: scope.tenantId,
        actor: scope.actor,
        action: 'gateway.node_removed',
        targetType: 'gateway',
        targetId: gateway.id,
        before: { node: { hostname: node.hostname, ipAddress: node.ipAddress, state: node.state }, health: gateway.health },
        after: { health: assessment.health },
        ...(assessment.health !== gateway.health
          ? {
              event: {
                topic: EventTopic.GatewayHealthChanged,
                payload: { gatewayId: gateway.id, tenantId: gateway.tenantId, health: assessment.health, previousHealth: gateway.health },
              },
            }
          : {}),
      });
    });
  }
}
