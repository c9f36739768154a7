import { hash } from 'node:crypto';
import type { AppReport } from './gateway-node.entity.js';

/** One node as a gateway reports it, at registration or in a heartbeat. */
export interface NodeReport {
  hostname: string;
  ipAddress: string;
  cpuCores: number;
  memoryMb: number;
  diskGb: number;
  ready: boolean;
  kubernetesVersion?: string | null;
  apps?: AppReport[];
}

export interface GatewayReport {
  softwareVersion: string;
  configurationVersion: number | null;
  nodes: NodeReport[];
}

/** A node's identity across reports: hostname and address together (either may be duplicated). */
export const nodeKey = (node: Pick<NodeReport, 'hostname' | 'ipAddress'>) => `${node.hostname}\u0000${node.ipAddress}`;

/** The report in a canonical order, so that the same facts always give the same hash. */
export function canonicalReport(report: GatewayReport): GatewayReport {
  const nodes = report.nodes
    .map((node) => ({
      hostname: node.hostname,
      ipAddress: node.ipAddress,
      cpuCores: node.cpuCores,
      memoryMb: node.memoryMb,
      diskGb: node.diskGb,
      ready: node.ready,
      kubernetesVersion: node.kubernetesVersion ?? null,
      apps: [...(node.apps ?? [])]
        .map((app) => ({ name: app.name, status: app.status, restarts: app.restarts }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    }))
    .sort((a, b) => (nodeKey(a) < nodeKey(b) ? -1 : nodeKey(a) > nodeKey(b) ? 1 : 0));
  return { softwareVersion: report.softwareVersion, configurationVersion: report.configurationVersion, nodes };
}

/**
 * What decides whether a heartbeat writes to Postgres: any change of a node (readiness, size,
 * an app's status or restarts), of the software or of the configuration version.
 */
export function reportHash(report: GatewayReport): string {
  return hash('sha1', JSON.stringify(canonicalReport(report)), 'base64url');
}
