import { hash } from 'node:crypto';
import type { AppReport } from './gateway-node.entity.js';

/** What a node reports about the cluster guide's prerequisites (all optional: unreported is unknown). */
export interface NodeFacts {
  softwareVersion?: string;
  hypervisorHost?: { id: string; name?: string };
  hypervisor?: { product: string; version: string };
  storage?: { server?: string; path?: string; mounted: boolean; writable: boolean };
  peers?: { hostname: string; address?: string | null; resolves: boolean; reachable: boolean }[];
  egress?: { endpoint: string; reachable: boolean }[];
  microk8s?: { running: boolean; version?: string; addons?: string[] };
  releases?: { name: string; version?: string }[];
}

export const NODE_FACT_KEYS = [
  'softwareVersion',
  'hypervisorHost',
  'hypervisor',
  'storage',
  'peers',
  'egress',
  'microk8s',
  'releases',
] as const satisfies readonly (keyof NodeFacts)[];

const byText =
  <T>(key: (item: T) => string) =>
  (a: T, b: T) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

/**
 * The facts in a canonical form (fixed key order, lists sorted, absent as absent), or null when the
 * node reported none: what is stored, and what the report hash covers.
 */
export function canonicalFacts(node: NodeFacts): NodeFacts | null {
  const facts: NodeFacts = {};
  if (node.softwareVersion !== undefined) facts.softwareVersion = node.softwareVersion;
  if (node.hypervisorHost)
    facts.hypervisorHost = {
      id: node.hypervisorHost.id,
      ...(node.hypervisorHost.name !== undefined ? { name: node.hypervisorHost.name } : {}),
    };
  if (node.hypervisor) facts.hypervisor = { product: node.hypervisor.product, version: node.hypervisor.version };
  if (node.storage) {
    const { server, path, mounted, writable } = node.storage;
    facts.storage = { ...(server !== undefined ? { server } : {}), ...(path !== undefined ? { path } : {}), mounted, writable };
  }
  if (node.peers) {
    facts.peers = node.peers
      .map(({ hostname, address, resolves, reachable }) => ({ hostname, address: address ?? null, resolves, reachable }))
      .sort(byText((p) => p.hostname));
  }
  if (node.egress) facts.egress = node.egress.map(({ endpoint, reachable }) => ({ endpoint, reachable })).sort(byText((e) => e.endpoint));
  if (node.microk8s) {
    const { running, version, addons } = node.microk8s;
    facts.microk8s = { running, ...(version !== undefined ? { version } : {}), ...(addons ? { addons: [...addons].sort() } : {}) };
  }
  if (node.releases)
    facts.releases = node.releases
      .map(({ name, version }) => ({ name, ...(version !== undefined ? { version } : {}) }))
      .sort(byText((r) => r.name));
  return Object.keys(facts).length ? facts : null;
}

/** One node as a gateway reports it, at registration or in a heartbeat. */
export interface NodeReport extends NodeFacts {
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
export function canonicalReport(report: GatewayReport): GatewayReport & { nodes: (NodeReport & { facts: NodeFacts | null })[] } {
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
      facts: canonicalFacts(node),
    }))
    .sort((a, b) => (nodeKey(a) < nodeKey(b) ? -1 : nodeKey(a) > nodeKey(b) ? 1 : 0));
  return { softwareVersion: report.softwareVersion, configurationVersion: report.configurationVersion, nodes };
}

/**
 * What decides whether a heartbeat writes to Postgres: any change of a node (readiness, size,
 * an app's status or restarts, any of its prerequisite facts), of the software or of the
 * configuration version. An unchanged report is not assessed again.
 */
export function reportHash(report: GatewayReport): string {
  return hash('sha1', JSON.stringify(canonicalReport(report)), 'base64url');
}
