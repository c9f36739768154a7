import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { assessGateway, type Assessment, type AssessedNode } from './cluster-assessment.js';
import type { ClusterSettings } from './gateway.entity.js';
import { GatewaysStore, type StoredNodeRow } from './gateways.store.js';
import type { GatewayType } from '../profiles/profile-status.js';
import { canonicalFacts, nodeKey, type NodeReport } from './node-report.js';

/** One gateway's reported nodes, for `recordAll`. */
export interface GatewayNodesReport {
  gateway: { id: string; tenantId: string; type: GatewayType; cluster?: ClusterSettings | null };
  reported: NodeReport[];
  connected: boolean;
  /** When it was reported (the nodes' last report time). */
  at: Date;
}

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

  /**
   * The reports of many gateways in one statement (a power cut's reconnect storm: every gateway on
   * a new boot at once), each gateway's assessment by its id. The caller holds the gateways' row locks.
   */
  async recordAll(manager: EntityManager, reports: GatewayNodesReport[]): Promise<Map<string, Assessment>> {
    if (!reports.length) return new Map();
    // Exact duplicates (same hostname and address twice) are one node; the assessment still sees both.
    const nodes = reports.flatMap(({ gateway, reported, at }) =>
      [...new Map(reported.map((node) => [nodeKey(node), node])).values()].map((node) => ({
        gatewayId: gateway.id,
        tenantId: gateway.tenantId,
        node,
        at,
      })),
    );
    const missing = groupByGateway(
      await this.store.recordNodes(
        manager,
        reports.map(({ gateway }) => gateway.id),
        nodes,
      ),
    );
    return new Map(
      reports.map(({ gateway, reported, connected }) => [
        gateway.id,
        assessGateway({
          ...this.context(gateway.cluster ?? null),
          gatewayType: gateway.type,
          connected,
          nodes: [
            ...reported.map((node): AssessedNode => ({ ...node, facts: canonicalFacts(node), state: 'ACTIVE' })),
            ...(missing.get(gateway.id) ?? []).map(asReport),
          ],
        }),
      ]),
    );
  }

  /**
   * A new gateway's assessment: nothing is stored for it yet, so no node can be MISSING and the
   * reported nodes are all there is (what `recordAll` answers for it, without reading anything back);
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

  /**
   * A new gateway's nodes as they are stored (GatewaysStore.registerGateway writes them with its
   * row): exact duplicates (same hostname and address twice) are one node, as in `recordAll`.
   */
  newNodes(reported: NodeReport[]): NodeReport[] {
    return [...new Map(reported.map((node) => [nodeKey(node), node])).values()];
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
    // One statement for the nodes and cluster settings of them all: read as plain rows, not
    // entities (hydrating a storm's thousands of node entities cost more CPU than the read).
    const inputs = gateways.length
      ? await this.store.reassessmentInputs(
          manager,
          gateways.map((gateway) => gateway.id),
        )
      : new Map<string, { cluster: ClusterSettings | null; nodes: StoredNodeRow[] }>();
    return new Map(
      gateways.map((gateway) => {
        const input = inputs.get(gateway.id);
        return [
          gateway.id,
          assessGateway({
            ...this.context(input?.cluster ?? null),
            gatewayType: gateway.type,
            connected: gateway.connected,
            nodes: (input?.nodes ?? []).map(asReport),
          }),
        ];
      }),
    );
  }
}

function groupByGateway(rows: StoredNodeRow[]): Map<string, StoredNodeRow[]> {
  const byGateway = new Map<string, StoredNodeRow[]>();
  for (const row of rows) {
    const list = byGateway.get(row.gateway_id);
    if (list) list.push(row);
    else byGateway.set(row.gateway_id, [row]);
  }
  return byGateway;
}

const asReport = (node: StoredNodeRow): AssessedNode => ({
  hostname: node.hostname,
  ipAddress: node.ip_address,
  cpuCores: node.cpu_cores,
  memoryMb: node.memory_mb,
  diskGb: node.disk_gb,
  ready: node.ready,
  state: node.state,
  kubernetesVersion: node.kubernetes_version,
  facts: node.facts,
});
