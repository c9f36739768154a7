import type { NodeReport } from '@gateway-control-plane/agent';
import { healthyNode } from '../../scripts/lib/nodes.js';

/**
 * Nodes that report every prerequisite of the cluster guide met (protocol v1 additions): each on its
 * own ESXi 7 host, the shared NFS volume mounted read/write, every peer resolved and pinged, the
 * registries reachable, MicroK8s with dns and metallb, both gateway releases, one software version.
 */
export function wellReportedNodes(count: number, egress: string[] = ['registry-1.docker.io:443', 'quay.io:443']): NodeReport[] {
  const nodes = Array.from({ length: count }, (_, i) => healthyNode(i + 1));
  return nodes.map((node) => ({
    ...node,
    softwareVersion: '0.9.6',
    hypervisorHost: { id: `host-${node.hostname}`, name: `esx-${node.hostname}.example.net` },
    hypervisor: { product: 'VMware ESXi', version: '7.0.3' },
    storage: { server: '172.26.111.203', path: '/shared/gw-1', mounted: true, writable: true },
    peers: nodes.filter((other) => other !== node).map((other) => ({ hostname: other.hostname, address: other.ipAddress, resolves: true, reachable: true })),
    egress: egress.map((endpoint) => ({ endpoint, reachable: true })),
    microk8s: { running: true, version: '1.28.3', addons: ['dns', 'metallb', 'hostpath-storage'] },
    releases: [
      { name: 'gateway-persistent-storage', version: '1.2.0' },
      { name: 'gateway-manager', version: '0.9.6' },
    ],
  }));
}
