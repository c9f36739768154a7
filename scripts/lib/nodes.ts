import { GatewaySession, type ClusterReport, type GatewayType, type NodeReport } from '@gateway-control-plane/agent';

/** Test and simulation data: a healthy node of a gateway, numbered from 1. */
export const healthyNode = (index: number, overrides: Partial<NodeReport> = {}): NodeReport => ({
  hostname: `gw-node-${index}`,
  ipAddress: `10.20.0.${10 + index}`,
  cpuCores: 4,
  memoryMb: 8192,
  diskGb: 40,
  ready: true,
  kubernetesVersion: '1.28.3',
  apps: [{ name: 'vprobe', status: 'RUNNING', restarts: 0 }],
  ...overrides,
});

export const SAMPLE_CLUSTER: ClusterReport = { loadBalancerIp: '172.25.252.5', nfsServer: '172.26.111.203', nfsPath: '/shared/gw-1' };

/** One healthy node for a classic gateway, three for a cluster. */
export const healthyNodes = (type: GatewayType): NodeReport[] =>
  type === 'CLASSIC' ? [healthyNode(1)] : [healthyNode(1), healthyNode(2), healthyNode(3)];

/** A protocol session (the agent's wire layer) reporting healthy nodes, and for a cluster its load balancer and storage. */
export function healthySession(
  baseUrl: string,
  gatewayType: GatewayType,
  nodes: NodeReport[] = healthyNodes(gatewayType),
  options: { name?: string; instanceId?: string } = {},
): GatewaySession {
  const session = new GatewaySession(baseUrl, { gatewayType, ...options }, nodes);
  if (gatewayType === 'CLUSTER') session.cluster = SAMPLE_CLUSTER;
  return session;
}

/** The registries the simulated nodes report reaching (the service's default EGRESS_ENDPOINTS). */
export const SAMPLE_EGRESS = ['registry-1.docker.io:443', 'quay.io:443'];

/**
 * The nodes reporting every prerequisite of the cluster guide met (protocol v1's optional facts):
 * each on its own ESXi 7 host, the shared NFS volume mounted read/write, every peer resolved and
 * pinged, the registries reachable, MicroK8s with dns and metallb, both gateway releases, one version.
 */
export function withPrerequisites(nodes: NodeReport[], egress: string[] = SAMPLE_EGRESS): NodeReport[] {
  return nodes.map((node) => ({
    ...node,
    softwareVersion: '0.9.6',
    hypervisorHost: { id: `host-${node.hostname}`, name: `esx-${node.hostname}.example.net` },
    hypervisor: { product: 'VMware ESXi', version: '7.0.3' },
    storage: { server: SAMPLE_CLUSTER.nfsServer, path: SAMPLE_CLUSTER.nfsPath, mounted: true, writable: true },
    peers: nodes
      .filter((other) => other !== node)
      .map((other) => ({ hostname: other.hostname, address: other.ipAddress, resolves: true, reachable: true })),
    egress: egress.map((endpoint) => ({ endpoint, reachable: true })),
    microk8s: { running: true, version: '1.28.3', addons: ['dns', 'metallb', 'hostpath-storage'] },
    releases: [
      { name: 'gateway-persistent-storage', version: '1.2.0' },
      { name: 'gateway-manager', version: '0.9.6' },
    ],
  }));
}

/** Every node on one physical host: the cluster survives no host failure (DISTINCT_HOSTS fails). */
export const onOneHost = (nodes: NodeReport[], host = 'host-shared'): NodeReport[] =>
  nodes.map((node) => ({ ...node, hypervisorHost: { id: host, name: `esx-${host}.example.net` } }));

/**
 * One bad value of each fact, spread over the nodes (at least 3): an old ESXi and a read-only
 * mount on the first, an unresolved peer, a blocked registry and no metallb on the second, an older
 * gateway version on the third, and the persistent-storage release missing from the cluster.
 */
export function withBadPrerequisites(reported: NodeReport[]): NodeReport[] {
  const nodes = reported.map((node) => ({ ...node, releases: [{ name: 'gateway-manager', version: '0.9.6' }] }));
  const [first, second, third] = nodes;
  return nodes.map((node) => {
    if (node === first)
      return { ...node, hypervisor: { product: 'VMware ESXi', version: '5.5.0' }, storage: { ...node.storage!, writable: false } };
    if (node === second) {
      return {
        ...node,
        peers: node.peers?.map((peer) =>
          peer.hostname === third?.hostname ? { hostname: peer.hostname, resolves: false, reachable: peer.reachable } : peer,
        ),
        egress: node.egress?.map((entry, i) => (i === node.egress!.length - 1 ? { ...entry, reachable: false } : entry)),
        microk8s: { ...node.microk8s!, addons: ['dns'] },
      };
    }
    if (node === third) return { ...node, softwareVersion: '0.9.5' };
    return node;
  });
}
