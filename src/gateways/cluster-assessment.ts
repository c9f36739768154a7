import type { GatewayType } from '../profiles/profile-status.js';
import type { NodeState } from './gateway-node.entity.js';
import type { Health } from './gateway-status.js';
import type { NodeFacts } from './node-report.js';

/** Prerequisites of a gateway node and of a highly available cluster (domain.md, "Cluster assessment"). */
export const MIN_CPU_CORES = 4;
export const MIN_MEMORY_MB = 8192;
export const MIN_DISK_GB = 40;
export const MIN_HA_NODES = 3;
/** The hypervisor the guide supports, and its oldest version. */
export const SUPPORTED_HYPERVISOR = { product: 'VMware vSphere ESXi', match: /esxi/i, minimum: [6, 0] as const };
/** MicroK8s add-ons every node needs, with the command that enables each. */
export const REQUIRED_ADDONS = [
  { name: 'dns', enable: 'microk8s enable dns' },
  { name: 'metallb', enable: 'microk8s enable metallb:<first address>-<last address>' },
] as const;
/** Helm releases a cluster needs, with how the guide installs each. */
export const REQUIRED_RELEASES = [
  {
    name: 'gateway-persistent-storage',
    install: 'helm install gateway-persistent-storage <chart> --set nfs.server=<NFS server>,nfs.path=<export path>',
  },
  { name: 'gateway-manager', install: 'helm install gateway-manager <chart>' },
] as const;

/** Check kinds in the order the assessment lists them. */
export const ASSESSMENT_CHECKS = [
  'NODE_SIZE',
  'UNIQUE_HOSTNAMES',
  'UNIQUE_ADDRESSES',
  'STATIC_ADDRESSES',
  'HIGH_AVAILABILITY',
  'DISTINCT_HOSTS',
  'HYPERVISOR_VERSION',
  'SHARED_STORAGE',
  'PEER_RESOLUTION',
  'EGRESS',
  'CLUSTER_ADDONS',
  'RELEASES',
  'UNIFORM_SOFTWARE',
  'READINESS',
  'CONNECTIVITY',
] as const;
export type AssessmentCheckKind = (typeof ASSESSMENT_CHECKS)[number];

/**
 * PASSED and FAILED as usual; UNKNOWN: the gateway does not report the facts the check needs (an
 * older gateway manager), never a failure; NOT_SUPPORTED: the gateway works but the guide's model
 * does not offer this (high availability on a single-node cluster), not a failure to fix either.
 */
export const CHECK_OUTCOMES = ['PASSED', 'FAILED', 'UNKNOWN', 'NOT_SUPPORTED'] as const;
export type CheckOutcome = (typeof CHECK_OUTCOMES)[number];

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
  kubernetesVersion?: string | null;
  /** The prerequisite facts the node reported; absent or null: it reported none. */
  facts?: NodeFacts | null;
}

export interface AssessmentInput {
  gatewayType: GatewayType;
  connected: boolean;
  nodes: readonly AssessedNode[];
  /** Endpoints every node must reach (the registries of this deployment); default none. */
  egressEndpoints?: readonly string[];
  /** The NFS volume the cluster registered with, when it said. */
  sharedStorage?: { server?: string; path?: string } | null;
}

export interface AssessmentCheck {
  check: AssessmentCheckKind;
  outcome: CheckOutcome;
  /** False only when the check FAILED (UNKNOWN and NOT_SUPPORTED are not failures). */
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
  const cluster = input.gatewayType === 'CLUSTER';
  const several = cluster && reported.length > 1;
  const found: Ranked[] = [
    ...nodeSizeFailures(reported),
    ...duplicateHostnameFailures(reported),
    ...duplicateAddressFailures(reported),
    ...staticAddressFailures(input.nodes),
    ...(cluster ? highAvailabilityFailures(reported) : []),
    ...(several ? distinctHostFindings(reported) : []),
    ...hypervisorFindings(reported),
    ...(cluster ? sharedStorageFindings(reported, input.sharedStorage ?? null) : []),
    ...(several ? peerFindings(reported) : []),
    ...egressFindings(reported, input.egressEndpoints ?? []),
    ...(cluster ? addonFindings(reported) : []),
    ...(cluster ? releaseFindings(reported) : []),
    ...(several ? uniformSoftwareFindings(reported) : []),
    ...readinessFailures(input.nodes),
    ...connectivityFailures(input.connected),
  ];

  for (const kind of ASSESSMENT_CHECKS.filter((kind) => applies(kind, input.gatewayType, several))) {
    if (!found.some(({ check }) => check.check === kind)) found.push({ check: passedCheck(kind, input, reported), tieBreak: '' });
  }

  const checks = found.sort(byKindThenNode).map(({ check }) => check);
  return { health: healthOf(input, checks), checks };
}

/** Classic gateways have no cluster checks; the checks between nodes need at least two of them. */
function applies(kind: AssessmentCheckKind, type: GatewayType, several: boolean): boolean {
  switch (kind) {
    case 'HIGH_AVAILABILITY':
    case 'SHARED_STORAGE':
    case 'CLUSTER_ADDONS':
    case 'RELEASES':
      return type === 'CLUSTER';
    case 'DISTINCT_HOSTS':
    case 'PEER_RESOLUTION':
    case 'UNIFORM_SOFTWARE':
      return several;
    default:
      return true;
  }
}

function healthOf(input: AssessmentInput, checks: readonly AssessmentCheck[]): Health {
  const anyNodeReady = input.nodes.some((node) => node.ready && !isMissing(node));
  if (!input.connected || !anyNodeReady) return 'DOWN';
  return checks.every((check) => check.outcome !== 'FAILED') ? 'HEALTHY' : 'DEGRADED';
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
  return { check, outcome: 'FAILED', passed: false, node, expected, actual, message };
}

/** Names in prose: "a", "a and b", "a, b and c". */
const names = (values: readonly string[]) => {
  const sorted = [...values].sort(compareText);
  return sorted.length <= 1 ? (sorted[0] ?? '') : `${sorted.slice(0, -1).join(', ')} and ${sorted.at(-1)}`;
};

/**
 * The UNKNOWN finding of a check for the nodes that did not report what it needs (one entry, not a
 * failure). `what` is the fact in words, `field` its protocol field.
 */
function unknownFor(
  check: AssessmentCheckKind,
  silentNodes: readonly AssessedNode[],
  all: readonly AssessedNode[],
  expected: string,
  what: string,
  field: string,
): Ranked[] {
  if (!silentNodes.length) return [];
  // Nodes sharing a hostname are named once.
  const silent = [...new Map(silentNodes.map((node) => [node.hostname, node])).values()];
  const who =
    silentNodes.length === all.length
      ? 'No node reports'
      : `${names(silent.map((n) => n.hostname))} ${silent.length === 1 ? 'does' : 'do'} not report`;
  const entry: AssessmentCheck = {
    check,
    outcome: 'UNKNOWN',
    passed: true,
    node: null,
    expected,
    actual: `not reported by ${sortedList(silent.map((n) => n.hostname))}`,
    message: `${who} ${what}, so this is unknown (not a failure); a gateway manager that reports \`${field}\` is checked`,
  };
  return [{ check: entry, tieBreak: '\uffff' }];
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
  if (nodes.length === 1) {
    // The guide's single-node model: it works, and high availability is simply not offered.
    const check: AssessmentCheck = {
      check: 'HIGH_AVAILABILITY',
      outcome: 'NOT_SUPPORTED',
      passed: true,
      node: null,
      expected: `at least ${plural(MIN_HA_NODES, 'node')}`,
      actual: '1 node',
      message: `A single-node cluster works, but high availability is not supported in this model: it stops when its node or its host fails. For high availability, add ${plural(MIN_HA_NODES - 1, 'more node', 'more nodes')}, each on its own host`,
    };
    return [{ check, tieBreak: '' }];
  }
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
    return [
      {
        check: failed(
          'READINESS',
          null,
          'every node ready',
          'no nodes reported',
          'The gateway reported no nodes; check its gateway manager',
        ),
        tieBreak: '',
      },
    ];
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
    return [
      {
        check: failed('READINESS', node.hostname, 'ready', 'not ready', `${node.hostname} is not ready; check the node and its services`),
        tieBreak: node.ipAddress,
      },
    ];
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
  const pass = (expected: string, actual: string, message: string): AssessmentCheck => ({
    check: kind,
    outcome: 'PASSED',
    passed: true,
    node: null,
    expected,
    actual,
    message,
  });
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
    case 'STATIC_ADDRESSES':
      return pass('each node keeps its IP address', `${nodes}, no address changed`, 'No node changed its IP address');
    case 'DISTINCT_HOSTS':
      return pass(
        'each node on its own physical host',
        `${nodes} on ${plural(reported.length, 'host')}`,
        'Every node runs on its own physical host',
      );
    case 'HYPERVISOR_VERSION':
      return pass(HYPERVISOR_EXPECTED, `${nodes} on a supported hypervisor`, `Every node runs on ${HYPERVISOR_EXPECTED}`);
    case 'SHARED_STORAGE':
      return pass(STORAGE_EXPECTED, `${nodes} mounting it read/write`, 'Every node mounts the shared NFS volume with read/write access');
    case 'PEER_RESOLUTION':
      return pass(
        PEERS_EXPECTED,
        `${nodes} resolve and reach each other`,
        'Every node resolves and pings every other node by hostname and address',
      );
    case 'EGRESS':
      return pass(EGRESS_EXPECTED, `${nodes} reach every endpoint`, 'Every node reaches the service and the registries');
    case 'CLUSTER_ADDONS':
      return pass(
        ADDONS_EXPECTED,
        `MicroK8s running with ${REQUIRED_ADDONS.map((a) => a.name).join(' and ')} on ${nodes}`,
        'MicroK8s runs on every node with the add-ons the gateway needs',
      );
    case 'RELEASES':
      return pass(RELEASES_EXPECTED, 'both installed', 'The gateway releases are installed');
    case 'UNIFORM_SOFTWARE':
      return pass(UNIFORM_EXPECTED, `${nodes} on the same versions`, 'Every node runs the same software versions');
  }
}

// ---- the cluster guide's further prerequisites --------------------------------------------------

const HYPERVISOR_EXPECTED = `${SUPPORTED_HYPERVISOR.product} ${SUPPORTED_HYPERVISOR.minimum.join('.')} or later`;
const STORAGE_EXPECTED = 'the same NFS volume mounted with read/write access on every node';
const PEERS_EXPECTED = 'every other node resolved by hostname and pingable at its address';
const EGRESS_EXPECTED = 'outbound access to the service and to the registries';
const ADDONS_EXPECTED = `MicroK8s running with the ${REQUIRED_ADDONS.map((a) => a.name).join(' and ')} add-ons`;
const RELEASES_EXPECTED = `the ${REQUIRED_RELEASES.map((r) => r.name).join(' and ')} releases installed`;
const UNIFORM_EXPECTED = 'the same software versions on every node (identical VMs from one OVA)';

const facts = (node: AssessedNode): NodeFacts => node.facts ?? {};

/** A node whose hostname the latest report has at another address than the one it had (kept as MISSING). */
function staticAddressFailures(nodes: readonly AssessedNode[]): Ranked[] {
  const missing = nodes.filter(isMissing);
  return nodes
    .filter((node) => !isMissing(node))
    .flatMap((node) =>
      missing
        .filter((old) => old.hostname === node.hostname && old.ipAddress !== node.ipAddress)
        .map((old) => ({
          check: failed(
            'STATIC_ADDRESSES',
            node.hostname,
            `a static IP address (${old.ipAddress})`,
            `was ${old.ipAddress}, now ${node.ipAddress}`,
            `${node.hostname}'s IP address changed from ${old.ipAddress} to ${node.ipAddress} between reports; gateway nodes need static IP addresses: configure a static address (or a DHCP reservation) on ${node.hostname}, update /etc/hosts on the other nodes, then remove its old entry (${old.ipAddress})`,
          ),
          tieBreak: `${node.ipAddress}\u0000${old.ipAddress}`,
        })),
    );
}

function distinctHostFindings(nodes: readonly AssessedNode[]): Ranked[] {
  const known = nodes.filter((node) => facts(node).hypervisorHost);
  const groups = new Map<string, AssessedNode[]>();
  for (const node of known) {
    const id = facts(node).hypervisorHost!.id;
    groups.set(id, [...(groups.get(id) ?? []), node]);
  }
  const failures = [...groups]
    .filter(([, group]) => group.length > 1)
    .map(([id, group]): Ranked => {
      const hostName = group.map((n) => facts(n).hypervisorHost!.name).find(Boolean);
      const host = hostName ? `${hostName} (${id})` : id;
      const who = names(group.map((n) => n.hostname));
      return {
        check: failed(
          'DISTINCT_HOSTS',
          null,
          'each node on its own physical host',
          `${sortedList(group.map((n) => n.hostname))} run on host ${host}`,
          `${who} run on the same physical host ${host}: a failure of that host stops all of them, so the cluster is not highly available against a host failure. Run each gateway node on its own ESXi host (at least ${MIN_HA_NODES} hosts, one node on each): move the VMs with vMotion and keep them apart with a VM-VM anti-affinity rule`,
        ),
        tieBreak: id,
      };
    });
  return [
    ...failures,
    ...unknownFor(
      'DISTINCT_HOSTS',
      nodes.filter((n) => !facts(n).hypervisorHost),
      nodes,
      'each node on its own physical host',
      'its physical host',
      'hypervisorHost',
    ),
  ];
}

/** "7.0.3" → [7, 0, 3]; null when it does not start with a number. */
function versionParts(version: string): number[] | null {
  const match = /^\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(version);
  return match ? match.slice(1).map((part) => Number(part ?? 0)) : null;
}

function atLeast(version: readonly number[], minimum: readonly number[]): boolean {
  for (let i = 0; i < minimum.length; i += 1) {
    const part = version[i] ?? 0;
    if (part !== minimum[i]) return part > minimum[i];
  }
  return true;
}

function hypervisorFindings(nodes: readonly AssessedNode[]): Ranked[] {
  const failures = nodes.flatMap((node): Ranked[] => {
    const hypervisor = facts(node).hypervisor;
    if (!hypervisor) return [];
    const found = `${hypervisor.product} ${hypervisor.version}`;
    if (!SUPPORTED_HYPERVISOR.match.test(hypervisor.product)) {
      return [
        {
          check: failed(
            'HYPERVISOR_VERSION',
            node.hostname,
            HYPERVISOR_EXPECTED,
            found,
            `${node.hostname} runs on ${found}; gateway nodes are supported on ${HYPERVISOR_EXPECTED} only: deploy the gateway OVA on an ESXi host`,
          ),
          tieBreak: node.ipAddress,
        },
      ];
    }
    const parts = versionParts(hypervisor.version);
    if (parts && atLeast(parts, SUPPORTED_HYPERVISOR.minimum)) return [];
    return [
      {
        check: failed(
          'HYPERVISOR_VERSION',
          node.hostname,
          HYPERVISOR_EXPECTED,
          found,
          `${node.hostname} runs on ${found}; gateway nodes need ${HYPERVISOR_EXPECTED}: upgrade the host, or move the VM to a host with ESXi ${SUPPORTED_HYPERVISOR.minimum.join('.')} or later`,
        ),
        tieBreak: node.ipAddress,
      },
    ];
  });
  return [
    ...failures,
    ...unknownFor(
      'HYPERVISOR_VERSION',
      nodes.filter((n) => !facts(n).hypervisor),
      nodes,
      HYPERVISOR_EXPECTED,
      'its hypervisor',
      'hypervisor',
    ),
  ];
}

const volumeOf = (storage: { server?: string; path?: string }) => `${storage.server ?? '?'}:${storage.path ?? '?'}`;

function sharedStorageFindings(nodes: readonly AssessedNode[], registered: { server?: string; path?: string } | null): Ranked[] {
  const reporting = nodes.filter((n) => facts(n).storage);
  // The volume every node should mount: the one the cluster registered with, else the one most nodes mount.
  const counts = new Map<string, number>();
  for (const node of reporting) {
    const storage = facts(node).storage!;
    if (storage.mounted && (storage.server || storage.path)) counts.set(volumeOf(storage), (counts.get(volumeOf(storage)) ?? 0) + 1);
  }
  const majority = [...counts].sort((a, b) => b[1] - a[1] || compareText(a[0], b[0]))[0]?.[0] ?? null;
  const expectedVolume = registered && (registered.server || registered.path) ? volumeOf(registered) : majority;
  const failures = reporting.flatMap((node): Ranked[] => {
    const storage = facts(node).storage!;
    const volume = storage.server || storage.path ? volumeOf(storage) : (expectedVolume ?? 'the shared NFS volume');
    const fail = (actual: string, message: string, order: number): Ranked => ({
      check: failed(
        'SHARED_STORAGE',
        node.hostname,
        expectedVolume ? `${expectedVolume} mounted read/write` : STORAGE_EXPECTED,
        actual,
        message,
      ),
      tieBreak: `${node.ipAddress}\u0000${order}`,
    });
    if (!storage.mounted) {
      return [
        fail(
          `${volume} not mounted`,
          `${node.hostname} has not mounted the shared NFS volume ${volume}; every node needs it: check that the NFS server exports it to ${node.ipAddress} and mount it on ${node.hostname}`,
          0,
        ),
      ];
    }
    const found: Ranked[] = [];
    if (expectedVolume && (storage.server || storage.path) && volumeOf(storage) !== expectedVolume) {
      found.push(
        fail(
          `mounts ${volumeOf(storage)}`,
          `${node.hostname} mounts ${volumeOf(storage)}, not the cluster's volume ${expectedVolume}; every node must mount the same NFS volume: mount ${expectedVolume} on ${node.hostname}`,
          1,
        ),
      );
    }
    if (!storage.writable) {
      found.push(
        fail(
          `${volume} mounted read-only`,
          `${node.hostname} cannot write to ${volume}; the guide needs read/write access from every node: export the volume with rw (and no root squash) to ${node.ipAddress}`,
          2,
        ),
      );
    }
    return found;
  });
  return [
    ...failures,
    ...unknownFor(
      'SHARED_STORAGE',
      nodes.filter((n) => !facts(n).storage),
      nodes,
      STORAGE_EXPECTED,
      'its shared storage mount',
      'storage',
    ),
  ];
}

function peerFindings(nodes: readonly AssessedNode[]): Ranked[] {
  const failures: Ranked[] = [];
  const silent: AssessedNode[] = [];
  for (const node of nodes) {
    const peers = facts(node).peers;
    if (!peers) {
      silent.push(node);
      continue;
    }
    let missingPeer = false;
    for (const other of nodes) {
      if (other === node || other.hostname === node.hostname) continue;
      const peer = peers.find((p) => p.hostname === other.hostname);
      if (!peer) {
        missingPeer = true;
        continue;
      }
      const hostsLine = `\`${other.ipAddress} ${other.hostname}\``;
      const fail = (actual: string, message: string, order: number) =>
        failures.push({
          check: failed('PEER_RESOLUTION', node.hostname, `resolves and pings ${other.hostname} (${other.ipAddress})`, actual, message),
          tieBreak: `${other.hostname}\u0000${order}`,
        });
      if (!peer.resolves) {
        fail(
          `cannot resolve ${other.hostname}`,
          `${node.hostname} cannot resolve the hostname ${other.hostname}; every node must reach the others by hostname: add ${hostsLine} to /etc/hosts on ${node.hostname} (or a DNS record)`,
          0,
        );
      } else if (peer.address && peer.address !== other.ipAddress) {
        fail(
          `resolves ${other.hostname} to ${peer.address}`,
          `${node.hostname} resolves ${other.hostname} to ${peer.address}, but ${other.hostname} is at ${other.ipAddress}: correct the entry in /etc/hosts on ${node.hostname} (or the DNS record) to ${hostsLine}`,
          1,
        );
      }
      if (!peer.reachable) {
        fail(
          `cannot ping ${other.hostname} at ${other.ipAddress}`,
          `${node.hostname} cannot ping ${other.hostname} at ${other.ipAddress}; the nodes must reach each other: allow ICMP and the cluster's traffic between them (firewall, VLAN or port group)`,
          2,
        );
      }
    }
    if (missingPeer) silent.push(node);
  }
  return [...failures, ...unknownFor('PEER_RESOLUTION', silent, nodes, PEERS_EXPECTED, 'every other node among its peers', 'peers')];
}

const endpointKey = (endpoint: string) => endpoint.trim().toLowerCase();

function egressFindings(nodes: readonly AssessedNode[], required: readonly string[]): Ranked[] {
  const failures: Ranked[] = [];
  const silent: AssessedNode[] = [];
  for (const node of nodes) {
    const egress = facts(node).egress;
    if (!egress) {
      silent.push(node);
      continue;
    }
    for (const entry of egress) {
      if (entry.reachable) continue;
      failures.push({
        check: failed(
          'EGRESS',
          node.hostname,
          `reaches ${entry.endpoint}`,
          `cannot reach ${entry.endpoint}`,
          `${node.hostname} cannot reach ${entry.endpoint}; every node needs outbound access to the service and to the registries its applications are pulled from: allow it in the firewall (or the proxy) for ${node.ipAddress}`,
        ),
        tieBreak: endpointKey(entry.endpoint),
      });
    }
    const seen = new Set(egress.map((entry) => endpointKey(entry.endpoint)));
    if (required.some((endpoint) => !seen.has(endpointKey(endpoint)))) silent.push(node);
  }
  const what = required.length ? `whether it reaches ${sortedList(required)}` : 'its outbound access';
  return [...failures, ...unknownFor('EGRESS', silent, nodes, EGRESS_EXPECTED, what, 'egress')];
}

function addonFindings(nodes: readonly AssessedNode[]): Ranked[] {
  const failures = nodes.flatMap((node): Ranked[] => {
    const microk8s = facts(node).microk8s;
    if (!microk8s) return [];
    if (!microk8s.running) {
      return [
        {
          check: failed(
            'CLUSTER_ADDONS',
            node.hostname,
            ADDONS_EXPECTED,
            'MicroK8s not running',
            `MicroK8s is not running on ${node.hostname}; start it (\`microk8s start\`) and wait until \`microk8s status --wait-ready\` reports it running`,
          ),
          tieBreak: node.ipAddress,
        },
      ];
    }
    const enabled = new Set((microk8s.addons ?? []).map((addon) => addon.toLowerCase()));
    const absent = REQUIRED_ADDONS.filter((addon) => !enabled.has(addon.name));
    if (!absent.length) return [];
    return [
      {
        check: failed(
          'CLUSTER_ADDONS',
          node.hostname,
          ADDONS_EXPECTED,
          `${absent.map((a) => a.name).join(' and ')} not enabled`,
          `MicroK8s on ${node.hostname} lacks the ${names(absent.map((a) => a.name))} add-on${absent.length > 1 ? 's' : ''}; enable ${absent.length > 1 ? 'them' : 'it'}: ${absent.map((a) => `\`${a.enable}\``).join(', ')}`,
        ),
        tieBreak: node.ipAddress,
      },
    ];
  });
  return [
    ...failures,
    ...unknownFor(
      'CLUSTER_ADDONS',
      nodes.filter((n) => !facts(n).microk8s),
      nodes,
      ADDONS_EXPECTED,
      'MicroK8s',
      'microk8s',
    ),
  ];
}

/** Releases belong to the cluster: what any node reports counts for all. */
function releaseFindings(nodes: readonly AssessedNode[]): Ranked[] {
  const reporting = nodes.filter((n) => facts(n).releases);
  if (!reporting.length) return unknownFor('RELEASES', nodes, nodes, RELEASES_EXPECTED, 'the Helm releases installed', 'releases');
  const installed = new Set(reporting.flatMap((n) => facts(n).releases!.map((r) => r.name)));
  return REQUIRED_RELEASES.filter((release) => !installed.has(release.name)).map((release) => ({
    check: failed(
      'RELEASES',
      null,
      `the ${release.name} release installed`,
      `${release.name} not installed`,
      `The ${release.name} release is not installed in the cluster; install it as the guide describes: \`${release.install}\``,
    ),
    tieBreak: release.name,
  }));
}

/** Facts that must be equal on every node, since every node is the same VM from one OVA. */
const UNIFORM_FACTS = [
  { what: 'gateway software versions', read: (n: AssessedNode) => facts(n).softwareVersion },
  { what: 'MicroK8s versions', read: (n: AssessedNode) => facts(n).microk8s?.version },
  { what: 'Kubernetes versions', read: (n: AssessedNode) => n.kubernetesVersion ?? undefined },
] as const;

function uniformSoftwareFindings(nodes: readonly AssessedNode[]): Ranked[] {
  const failures = UNIFORM_FACTS.flatMap((fact, index): Ranked[] => {
    const byValue = new Map<string, string[]>();
    for (const node of nodes) {
      const value = fact.read(node);
      if (value) byValue.set(value, [...(byValue.get(value) ?? []), node.hostname]);
    }
    if (byValue.size < 2) return [];
    const groups = [...byValue].sort((a, b) => b[1].length - a[1].length || compareText(a[0], b[0]));
    const [common] = groups[0];
    const outliers = groups.slice(1).flatMap(([, hosts]) => hosts);
    const found = groups.map(([value, hosts]) => `${sortedList(hosts)}: ${value}`).join('; ');
    return [
      {
        check: failed(
          'UNIFORM_SOFTWARE',
          null,
          UNIFORM_EXPECTED,
          found,
          `The nodes run different ${fact.what} (${found}); every node must be an identical VM deployed from the same OVA: upgrade or redeploy ${names(outliers)} to ${common}`,
        ),
        tieBreak: String(index),
      },
    ];
  });
  return [
    ...failures,
    ...unknownFor(
      'UNIFORM_SOFTWARE',
      nodes.filter((n) => !facts(n).softwareVersion),
      nodes,
      UNIFORM_EXPECTED,
      'its gateway software version',
      'softwareVersion',
    ),
  ];
}
