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
export const healthyNodes = (type: GatewayType): NodeReport[] => (type === 'CLASSIC' ? [healthyNode(1)] : [healthyNode(1), healthyNode(2), healthyNode(3)]);

/** A protocol session (the agent's wire layer) reporting healthy nodes, and for a cluster its load balancer and storage. */
export function healthySession(baseUrl: string, gatewayType: GatewayType, nodes: NodeReport[] = healthyNodes(gatewayType), options: { name?: string; instanceId?: string } = {}): GatewaySession {
  const session = new GatewaySession(baseUrl, { gatewayType, ...options }, nodes);
  if (gatewayType === 'CLUSTER') session.cluster = SAMPLE_CLUSTER;
  return session;
}
