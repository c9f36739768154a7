import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { assessGateway, type Assessment } from './cluster-assessment.js';
import { GatewayNodeEntity } from './gateway-node.entity.js';
import type { GatewayType } from '../profiles/profile-status.js';
import { nodeKey, type NodeReport } from './node-report.js';

/**
 * The nodes of a gateway as reported: upserted by (hostname, address); a node absent from a report
 * becomes MISSING and stays until a user removes it. Returns the assessment of the result.
 */
@Injectable()
export class NodeInventory {
  async record(
    manager: EntityManager,
    gateway: { id: string; tenantId: string; type: GatewayType },
    reported: NodeReport[],
    connected: boolean,
    at: Date,
  ): Promise<Assessment> {
    // Exact duplicates (same hostname and address twice) are one node; the assessment still sees both.
    const unique = [...new Map(reported.map((node) => [nodeKey(node), node])).values()];
    if (unique.length) {
      await manager.query(
        `INSERT INTO gateway_nodes (tenant_id, gateway_id, hostname, ip_address, cpu_cores, memory_mb, disk_gb, ready, kubernetes_version, apps, state, last_reported_at)
         SELECT $1, $2, n.hostname, n.ip_address, n.cpu_cores, n.memory_mb, n.disk_gb, n.ready, n.kubernetes_version, n.apps, 'ACTIVE', $3
         FROM unnest($4::text[], $5::text[], $6::int[], $7::int[], $8::int[], $9::bool[], $10::text[], $11::jsonb[])
           AS n(hostname, ip_address, cpu_cores, memory_mb, disk_gb, ready, kubernetes_version, apps)
         ON CONFLICT (gateway_id, hostname, ip_address) DO UPDATE SET
           cpu_cores = excluded.cpu_cores, memory_mb = excluded.memory_mb, disk_gb = excluded.disk_gb, ready = excluded.ready,
           kubernetes_version = excluded.kubernetes_version, apps = excluded.apps, state = 'ACTIVE',
           last_reported_at = excluded.last_reported_at, updated_at = now()`,
        [
          gateway.tenantId,
          gateway.id,
          at,
          unique.map((n) => n.hostname),
          unique.map((n) => n.ipAddress),
          unique.map((n) => n.cpuCores),
          unique.map((n) => n.memoryMb),
          unique.map((n) => n.diskGb),
          unique.map((n) => n.ready),
          unique.map((n) => n.kubernetesVersion ?? null),
          unique.map((n) => JSON.stringify(n.apps ?? [])),
        ],
      );
    }
    await manager.query(
      `UPDATE gateway_nodes SET state = 'MISSING', ready = false, updated_at = now()
       WHERE gateway_id = $1 AND state = 'ACTIVE'
         AND (hostname, ip_address) NOT IN (SELECT * FROM unnest($2::text[], $3::text[]))`,
      [gateway.id, unique.map((n) => n.hostname), unique.map((n) => n.ipAddress)],
    );
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
