import type { GatewayType } from '../profiles/profile-status.js';
import type { NodeState } from './gateway-node.entity.js';
import type { Health } from './gateway-status.js';

/** Prerequisites of a gateway node and of a highly available cluster (domain.md, "Cluster assessment"). */
export const MIN_CPU_CORES = 4;
export const MIN_MEMORY_MB = 8192;
export const MIN_DISK_GB = 40;
export const MIN_HA_NODES = 3;

/** Check kinds in the order the assessment lists them. */
export const ASSESSMENT_CHECKS = [
  'NODE_SIZE',
  'UNIQUE_HOSTNAMES',
  'UNIQUE_ADDRESSES',
  'HIGH_AVAILABILITY',
  'READINESS',
  'CONNECTIVITY',
] as const;
export type AssessmentCheckKind = (typeof ASSESSMENT_CHECKS)[number];

/** A node as the assessment needs it: the report's facts plus whether the latest report still had it. */
export interface AssessedNode {
  hostname: string;
  ipAddress: string;
  cpuCores: number;
  memoryMb: number;
  diskGb: number;
  ready: boolean;
  /** MISSING: kept by the service but absent from the latest report. Absent means ACTIVE. */
  state?: NodeState;
}

export interface AssessmentInput {
  gatewayType: GatewayType;
  connected: boolean;
  nodes: readonly AssessedNode[];
}

export interface AssessmentCheck {
  check: AssessmentCheckKind;
  passed: boolean;
  /** The node the check is about; null when it is about the gateway as a whole or several nodes. */
  node: string | null;
  expected: string;
  actual: string;
  message: string;
}

export interface Assessment {
  health: Health;
  checks: AssessmentCheck[];
}

/**
 * Assesses a gateway from its latest node report. Failures name the node, what was expected and
 * what was found, so the UI can say exactly what to fix; a check kind with no failure appears once
 * as passed (node null) so the UI can show the green list too.
 *
 * MISSING nodes count only as not ready: size, uniqueness and HA are judged on the nodes in the
 * latest report, since a replaced node kept as MISSING may legitimately share the new one's address.
 */
export function assessGateway(input: AssessmentInput): Assessment {
  const reported = input.nodes.filter((node) => !isMissing(node));
  const found: Ranked[] = [
    ...nodeSizeFailures(reported),
    ...duplicateHostnameFailures(reported),
    ...duplicateAddressFailures(reported),
    ...(input.gatewayType === 'CLUSTER' ? highAvailabilityFailures(reported) : []),
    ...readinessFailures(input.nodes),
    ...connectivityFailures(input.connected),
  ];

  const applicable = ASSESSMENT_CHECKS.filter((kind) => kind !== 'HIGH_AVAILABILITY' || input.gatewayType === 'CLUSTER');
  for (const kind of applicable) {
    if (!found.some(({ check }) => check.check === kind)) found.push({ check: passedCheck(kind, input, reported), tieBreak: '' });
  }

  const checks = found.sort(byKindThenNode).map(({ check }) => check);
  return { health: healthOf(input, checks), checks };
}

function healthOf(input: AssessmentInput, checks: readonly AssessmentCheck[]): Health {
  const anyNodeReady = input.nodes.some((node) => node.ready && !isMissing(node));
  if (!input.connected || !anyNodeReady) return 'DOWN';
  return checks.every((check) => check.passed) ? 'HEALTHY' : 'DEGRADED';
}

/** A check plus what orders it after kind and node (a resource, a duplicated value). */
interface Ranked {
  check: AssessmentCheck;
  tieBreak: string;
}

function byKindThenNode(a: Ranked, b: Ranked): number {
  return (
    ASSESSMENT_CHECKS.indexOf(a.check.check) - ASSESSMENT_CHECKS.indexOf(b.check.check) ||
    // Failures about several nodes (node null) follow those about one node.
    compareText(a.check.node ?? '\uffff', b.check.node ?? '\uffff') ||
    compareText(a.tieBreak, b.tieBreak)
  );
}

// Code-unit order, not locale order, so the result is the same on every machine.
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const isMissing = (node: AssessedNode) => node.state === 'MISSING';

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

function failed(check: AssessmentCheckKind, node: string | null, expected: string, actual: string, message: string): AssessmentCheck {
  return { check, passed: false, node, expected, actual, message };
}

/** One resource of the node size rule; the index orders a node's failures cpu, memory, disk. */
const NODE_RESOURCES = [
  { read: (n: AssessedNode) => n.cpuCores, minimum: MIN_CPU_CORES, amount: (v: number) => plural(v, 'CPU core'), need: `${MIN_CPU_CORES}` },
  { read: (n: AssessedNode) => n.memoryMb, minimum: MIN_MEMORY_MB, amount: (v: number) => `${v} MB memory`, need: `${MIN_MEMORY_MB} MB` },
  { read: (n: AssessedNode) => n.diskGb, minimum: MIN_DISK_GB, amount: (v: number) => `${v} GB disk`, need: `${MIN_DISK_GB} GB` },
] as const;

function nodeSizeFailures(nodes: readonly AssessedNode[]): Ranked[] {
  return nodes.flatMap((node) =>
    NODE_RESOURCES.flatMap((resource, index) => {
      const value = resource.read(node);
      if (value >= resource.minimum) return [];
      const check = failed(
        'NODE_SIZE',
        node.hostname,
        `at least ${resource.amount(resource.minimum)}`,
        resource.amount(value),
        `${node.hostname} has ${resource.amount(value)}; a gateway node needs at least ${resource.need}`,
      );
      // Nodes sharing a hostname are told apart by address; a node's own failures go cpu, memory, disk.
      return [{ check, tieBreak: `${node.ipAddress}\u0000${index}` }];
    }),
  );
}

/** Groups nodes by a key and keeps only the keys that more than one node shares. */
function shared(nodes: readonly AssessedNode[], key: (node: AssessedNode) => string): Array<[string, AssessedNode[]]> {
  const groups = new Map<string, AssessedNode[]>();
  for (const node of nodes) groups.set(key(node), [...(groups.get(key(node)) ?? []), node]);
  return [...groups].filter(([, group]) => group.length > 1);
}

const sortedList = (values: readonly string[]) => [...values].sort(compareText).join(', ');

function duplicateHostnameFailures(nodes: readonly AssessedNode[]): Ranked[] {
  return shared(nodes, (node) => node.hostname).map(([hostname, group]) => {
    const addresses = sortedList(group.map((node) => node.ipAddress));
    const check = failed(
      'UNIQUE_HOSTNAMES',
      hostname,
      'a hostname no other node has',
      `${group.length} nodes are named ${hostname} (${addresses})`,
      `${group.length} nodes share the hostname ${hostname} (${addresses}); give each node its own hostname`,
    );
    return { check, tieBreak: '' };
  });
}

function duplicateAddressFailures(nodes: readonly AssessedNode[]): Ranked[] {
  return shared(nodes, (node) => node.ipAddress).map(([address, group]) => {
    const hostnames = sortedList(group.map((node) => node.hostname));
    // node stays null: the check is about several nodes, named in actual and message.
    const check = failed(
      'UNIQUE_ADDRESSES',
      null,
      'an IP address no other node has',
      `${address} is used by ${hostnames}`,
      `${hostnames} share the IP address ${address}; give each node its own address`,
    );
    return { check, tieBreak: address };
  });
}

function highAvailabilityFailures(nodes: readonly AssessedNode[]): Ranked[] {
  if (nodes.length >= MIN_HA_NODES) return [];
  const missing = MIN_HA_NODES - nodes.length;
  const check = failed(
    'HIGH_AVAILABILITY',
    null,
    `at least ${plural(MIN_HA_NODES, 'node')}`,
    plural(nodes.length, 'node'),
    `The cluster has ${plural(nodes.length, 'node')}; it works, but high availability needs at least ${MIN_HA_NODES}: add ${plural(missing, 'more node', 'more nodes')}`,
  );
  return [{ check, tieBreak: '' }];
}

function readinessFailures(nodes: readonly AssessedNode[]): Ranked[] {
  if (nodes.length === 0) {
    return [{ check: failed('READINESS', null, 'every node ready', 'no nodes reported', 'The gateway reported no nodes; check its gateway manager'), tieBreak: '' }];
  }
  return nodes.flatMap((node): Ranked[] => {
    if (isMissing(node)) {
      const check = failed(
        'READINESS',
        node.hostname,
        'ready',
        'missing from the latest report',
        `${node.hostname} is missing from the latest report; bring it back, or remove it if it was retired`,
      );
      return [{ check, tieBreak: node.ipAddress }];
    }
    if (node.ready) return [];
    return [{ check: failed('READINESS', node.hostname, 'ready', 'not ready', `${node.hostname} is not ready; check the node and its services`), tieBreak: node.ipAddress }];
  });
}

function connectivityFailures(connected: boolean): Ranked[] {
  if (connected) return [];
  const check = failed(
    'CONNECTIVITY',
    null,
    'connected',
    'disconnected',
    'The gateway is not connected: no recent heartbeat reached the service; check that its gateway manager runs and can reach the service',
  );
  return [{ check, tieBreak: '' }];
}

function passedCheck(kind: AssessmentCheckKind, input: AssessmentInput, reported: readonly AssessedNode[]): AssessmentCheck {
  const nodes = plural(reported.length, 'node');
  const pass = (expected: string, actual: string, message: string): AssessmentCheck => ({ check: kind, passed: true, node: null, expected, actual, message });
  switch (kind) {
    case 'NODE_SIZE':
      return pass(
        `each node has at least ${plural(MIN_CPU_CORES, 'CPU core')}, ${MIN_MEMORY_MB} MB memory and ${MIN_DISK_GB} GB disk`,
        `${nodes} big enough`,
        'Every node meets the minimum size',
      );
    case 'UNIQUE_HOSTNAMES':
      return pass('a hostname per node that no other node has', `${nodes}, no shared hostname`, 'Every node has its own hostname');
    case 'UNIQUE_ADDRESSES':
      return pass('an IP address per node that no other node has', `${nodes}, no shared IP address`, 'Every node has its own IP address');
    case 'HIGH_AVAILABILITY':
      return pass(`at least ${plural(MIN_HA_NODES, 'node')}`, nodes, 'The cluster is highly available');
    case 'READINESS':
      return pass('every node ready', `${input.nodes.length} of ${plural(input.nodes.length, 'node')} ready`, 'Every node is ready');
    case 'CONNECTIVITY':
      return pass('connected', 'connected', 'The gateway is connected');
  }
}
