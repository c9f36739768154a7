import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { assessGateway, type Assessment, type AssessedNode } from './cluster-assessment.js';
import { GatewayNodeEntity } from './gateway-node.entity.js';
import type { ClusterSettings } from './gateway.entity.js';
import { GatewaysStore } from './gateways.store.js';
import type { GatewayType } from '../profiles/profile-status.js';
import { canonicalFacts, nodeKey, type NodeReport } from './node-report.js';

/**
 * The nodes of a gateway as reported: upserted by (hostname, address); a node absent from a report
 * becomes MISSING and stays until a user removes it. Returns the assessment of the result.
 */
@Injectable()
export class NodeInventory {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(GatewaysStore) private readonly store: GatewaysStore,
  ) {}

  async record(
    manager: EntityManager,
    gateway: { id: string; tenantId: string; type: GatewayType; cluster?: ClusterSettings | null },
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
      ...this.context(gateway.cluster ?? null),
      gatewayType: gateway.type,
      connected,
      nodes: [
        ...reported.map((node): AssessedNode => ({ ...node, facts: canonicalFacts(node), state: 'ACTIVE' })),
        ...missing.map(asReport),
      ],
    });
  }

  /**
   * A new gateway's assessment: nothing is stored for it yet, so no node can be MISSING and the
   * reported nodes are all there is (what `record` answers for it, without its two statements);
   * registration writes it with the gateway's row.
   */
  assessNew(gateway: { type: GatewayType; cluster?: ClusterSettings | null }, reported: NodeReport[], connected: boolean): Assessment {
    return assessGateway({
      ...this.context(gateway.cluster ?? null),
      gatewayType: gateway.type,
      connected,
      nodes: reported.map((node): AssessedNode => ({ ...node, facts: canonicalFacts(node), state: 'ACTIVE' })),
    });
  }

  /** A new gateway's nodes as reported: one statement (nothing of it to mark MISSING). */
  async insertNew(manager: EntityManager, gateway: { id: string; tenantId: string }, reported: NodeReport[], at: Date): Promise<void> {
    const unique = [...new Map(reported.map((node) => [nodeKey(node), node])).values()];
    if (unique.length) await this.store.upsertNodes(manager, gateway, unique, at);
  }

  /** What the assessment needs beyond the nodes: this deployment's egress endpoints, the cluster's registered volume. */
  private context(cluster: ClusterSettings | null) {
    return {
      egressEndpoints: this.config.cluster.egressEndpoints,
      sharedStorage: cluster && (cluster.nfsServer || cluster.nfsPath) ? { server: cluster.nfsServer, path: cluster.nfsPath } : null,
    };
  }

  /** The assessment from the stored nodes (after a status change, or a node's removal). */
  async reassess(
    manager: EntityManager,
    gateways: { id: string; type: GatewayType; connected: boolean }[],
  ): Promise<Map<string, Assessment>> {
    const ids = gateways.map((gateway) => gateway.id);
    const nodes = ids.length
      ? await manager.createQueryBuilder(GatewayNodeEntity, 'n').where('n.gateway_id = ANY(:ids)', { ids }).getMany()
      : [];
    const clusters: { id: string; cluster: ClusterSettings | null }[] = ids.length
      ? await manager.query(`SELECT id, cluster FROM gateways WHERE id = ANY($1::uuid[])`, [ids])
      : [];
    const clusterOf = new Map(clusters.map((row) => [row.id, row.cluster]));
    const nodesOf = new Map<string, GatewayNodeEntity[]>();
    for (const node of nodes) nodesOf.set(node.gatewayId, [...(nodesOf.get(node.gatewayId) ?? []), node]);
    return new Map(
      gateways.map((gateway) => [
        gateway.id,
        assessGateway({
          ...this.context(clusterOf.get(gateway.id) ?? null),
          gatewayType: gateway.type,
          connected: gateway.connected,
          nodes: (nodesOf.get(gateway.id) ?? []).map(asReport),
        }),
      ]),
    );
  }
}

const asReport = (node: GatewayNodeEntity): AssessedNode => ({
  hostname: node.hostname,
  ipAddress: node.ipAddress,
  cpuCores: node.cpuCores,
  memoryMb: node.memoryMb,
  diskGb: node.diskGb,
  ready: node.ready,
  state: node.state,
  kubernetesVersion: node.kubernetesVersion,
  facts: node.facts,
});
