import type { NodeReport } from '@gateway-control-plane/agent';
import { healthyNode, withPrerequisites } from '../../scripts/lib/nodes.js';

/** `count` nodes reporting every prerequisite of the cluster guide met (scripts/lib/nodes.ts, withPrerequisites). */
export function wellReportedNodes(count: number, egress?: string[]): NodeReport[] {
  return withPrerequisites(
    Array.from({ length: count }, (_, i) => healthyNode(i + 1)),
    egress,
  );
}
