import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { assessGateway, type Assessment } from './cluster-assessment.js';
import { GatewayNodeEntity } from './gateway-node.entity.js';
import { GatewaysStore } from './gateways.store.js';
import type { GatewayType } from '../profiles/profile-status.js';
import { nodeKey, type NodeReport } from './node-report.js';

/**
 * The nodes of a gateway as reported: upserted by (hostname, address); a node absent from a report
 * becomes MISSING and stays until a user removes it. Returns the assessment of the result.
 */
@Injectable()
export class NodeInventory {
  constructor(@Inject(GatewaysStore) private readonly store: GatewaysStore) {}

  async record(
    manager: EntityManager,
    gateway: { id: string; tenantId: string; type: GatewayType },
    reported: NodeReport[],
    connected: boolean,
    at: Date,
  ): Promise<Assessment> {
    // Exact duplicates (same hostname and address twice) are one node; the assessment still sees both.
    const unique = [...new Map(reported.map((node) => [nodeKey(node), node])).values()];
    if (unique.length) await this.store.upsertNodes(manager, gateway, unique, at);
    await this.store.markMissingNodes(manager, gateway.id, unique);
    const missing = await manager.find(GatewayNodeEntity, { where: { gatewayId: gateway.id, state: 'MISSING' } });
    return assessGateway({
      gatewayType: gateway.type,
      connected,
      nodes: [...reported.map((node) => ({ ...node, state: 'ACTIVE' as const })), ...missing.map(asReport)],
    });
  }

  /** The assessment from the stored nodes (after a status change, or a node's removal). */
  async reassess(manager: EntityManager, gateways: { id: string; type: GatewayType; connected: boolean }[]): Promise<Map<string, Assessment>> {
    const ids = gateways.map((gateway) => gateway.id);
    const nodes = ids.length ? await manager.createQueryBuilder(GatewayNodeEntity, 'n').where('n.gateway_id = ANY(:ids)', { ids }).getMany() : [];
    return new Map(
      gateways.map((gateway) => [
        gateway.id,
        assessGateway({ gatewayType: gateway.type, connected: gateway.connected, nodes: nodes.filter((n) => n.gatewayId === gateway.id).map(asReport) }),
      ]),
    );
  }
}

const asReport = (node: GatewayNodeEntity) => ({
  hostname: node.hostname,
  ipAddress: node.ipAddress,
  cpuCores: node.cpuCores,
  memoryMb: node.memoryMb,
  diskGb: node.diskGb,
  ready: node.ready,
  state: node.state,
});
