import type { ClusterReport, HeartbeatRequest, NodeReport } from '../protocol/types.js';

/**
 * What a gateway reports about itself: its nodes (sections 1 and 3), for a cluster its load
 * balancer and shared storage (section 1), and any further optional heartbeat fields.
 */
export type InventoryReport = { nodes: NodeReport[]; cluster?: ClusterReport } & Partial<
  Omit<HeartbeatRequest, 'bootId' | 'sequence' | 'sentAt' | 'softwareVersion' | 'configurationVersion' | 'nodes'>
>;

/** Where the agent's node report comes from; asked before registering and before each heartbeat. */
export interface InventoryProvider {
  collect(): Promise<InventoryReport>;
}
