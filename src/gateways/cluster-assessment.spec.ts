import { describe, expect, it } from 'vitest';
import {
  ASSESSMENT_CHECKS,
  assessGateway,
  MIN_CPU_CORES,
  MIN_DISK_GB,
  MIN_HA_NODES,
  MIN_MEMORY_MB,
  type AssessmentCheck,
  type AssessmentInput,
  type AssessedNode,
} from './cluster-assessment.js';
import type { NodeFacts } from './node-report.js';

const node = (n: number, overrides: Partial<AssessedNode> = {}): AssessedNode => ({
  hostname: `gw-node-${n}`,
  ipAddress: `10.20.0.${10 + n}`,
  cpuCores: 4,
  memoryMb: 8192,
  diskGb: 40,
  ready: true,
  ...overrides,
});

/** Everything the cluster guide asks for, as a node of this list would report it when all is well. */
const goodFacts = (self: AssessedNode, all: readonly AssessedNode[]): NodeFacts => ({
  softwareVersion: '0.9.6',
  hypervisorHost: { id: `host-${self.hostname}-${self.ipAddress}`, name: `esx-${self.hostname}` },
  hypervisor: { product: 'VMware ESXi', version: '7.0.3' },
  storage: { server: '172.26.111.203', path: '/shared/gw-1', mounted: true, writable: true },
  peers: all
    .filter((other) => other.hostname !== self.hostname)
    .map((other) => ({ hostname: other.hostname, resolves: true, reachable: true })),
  egress: [{ endpoint: 'quay.io:443', reachable: true }],
  microk8s: { running: true, version: '1.28.3', addons: ['dns', 'metallb', 'storage'] },
  releases: [
    { name: 'gateway-persistent-storage', version: '1.2.0' },
    { name: 'gateway-manager', version: '0.9.6' },
  ],
});
/** Nodes without `facts` report every prerequisite met; `facts: null` reports none (an older gateway manager). */
const wellReported = (nodes: AssessedNode[]) => nodes.map((n) => (n.facts === undefined ? { ...n, facts: goodFacts(n, nodes) } : n));

const cluster = (nodes: AssessedNode[], connected = true): AssessmentInput => ({
  gatewayType: 'CLUSTER',
  connected,
  nodes: wellReported(nodes),
});
const classic = (nodes: AssessedNode[], connected = true): AssessmentInput => ({
  gatewayType: 'CLASSIC',
  connected,
  nodes: wellReported(nodes),
});
const healthyCluster = () => cluster([node(1), node(2), node(3)]);

const failures = (checks: AssessmentCheck[]) => checks.filter((check) => !check.passed);
const kinds = (checks: AssessmentCheck[]) => checks.map((check) => check.check);
const passedKinds = (checks: AssessmentCheck[]) => kinds(checks.filter((check) => check.passed));

describe('assessGateway', () => {
  it('exports the thresholds domain.md sets', () => {
    expect({ MIN_CPU_CORES, MIN_MEMORY_MB, MIN_DISK_GB, MIN_HA_NODES }).toEqual({
      MIN_CPU_CORES: 4,
      MIN_MEMORY_MB: 8192,
      MIN_DISK_GB: 40,
      MIN_HA_NODES: 3,
    });
  });

  describe('health', () => {
    it('is HEALTHY for a connected cluster of 3 ready nodes of minimum size, with one passed check per kind in order', () => {
      const assessment = assessGateway(healthyCluster());
      expect(assessment.health).toBe('HEALTHY');
      expect(kinds(assessment.checks)).toEqual([...ASSESSMENT_CHECKS]);
      expect(assessment.checks.every((check) => check.passed && check.node === null)).toBe(true);
    });

    it('is HEALTHY for a connected classic gateway of one good node, without a high availability check', () => {
      const assessment = assessGateway(classic([node(1)]));
      expect(assessment.health).toBe('HEALTHY');
      expect(kinds(assessment.checks)).toEqual([
        'NODE_SIZE',
        'UNIQUE_HOSTNAMES',
        'UNIQUE_ADDRESSES',
        'STATIC_ADDRESSES',
        'HYPERVISOR_VERSION',
        'EGRESS',
        'READINESS',
        'CONNECTIVITY',
      ]);
    });

    it.each([
      ['an under-sized node', cluster([node(1), node(2, { cpuCores: 2 }), node(3)])],
      ['a shared hostname', cluster([node(1), node(2, { hostname: 'gw-node-1' }), node(3)])],
      ['a shared address', cluster([node(1), node(2, { ipAddress: '10.20.0.11' }), node(3)])],
      ['a 2-node cluster', cluster([node(1), node(2)])],
      ['a node that is not ready', cluster([node(1), node(2, { ready: false }), node(3)])],
      ['a node missing from the report', cluster([node(1), node(2), node(3), node(4, { state: 'MISSING' })])],
      ['an under-sized classic node', classic([node(1, { diskGb: 20 })])],
    ])('is DEGRADED, not DOWN, for %s', (_, input) => {
      const assessment = assessGateway(input);
      expect(assessment.health).toBe('DEGRADED');
      expect(failures(assessment.checks).length).toBeGreaterThan(0);
    });

    it.each([
      ['a disconnected healthy cluster', cluster([node(1), node(2), node(3)], false)],
      ['a disconnected healthy classic gateway', classic([node(1)], false)],
      ['a cluster with no node ready', cluster([node(1, { ready: false }), node(2, { ready: false }), node(3, { ready: false })])],
      ['a classic gateway whose node is not ready', classic([node(1, { ready: false })])],
      ['a cluster whose only ready node is missing from the report', cluster([node(1, { ready: false }), node(2, { state: 'MISSING' })])],
      ['a gateway that reported no nodes', cluster([])],
    ])('is DOWN for %s', (_, input) => {
      expect(assessGateway(input).health).toBe('DOWN');
    });

    it('is HEALTHY exactly when every check passes, and DOWN only when disconnected or no node is ready', () => {
      const inputs: AssessmentInput[] = [
        healthyCluster(),
        classic([node(1)]),
        cluster([node(1), node(2)]),
        cluster([node(1, { ready: false }), node(2), node(3)]),
        cluster([node(1, { ready: false })]),
        cluster([node(1)], false),
        cluster([node(1, { memoryMb: 1 }), node(2, { hostname: 'gw-node-1', ipAddress: '10.20.0.11' }), node(3, { state: 'MISSING' })]),
        classic([node(1, { state: 'MISSING' })]),
        classic([]),
      ];
      for (const input of inputs) {
        const { health, checks } = assessGateway(input);
        const anyReady = input.nodes.some((n) => n.ready && n.state !== 'MISSING');
        expect(health === 'HEALTHY').toBe(checks.every((check) => check.passed));
        expect(health === 'DOWN').toBe(!input.connected || !anyReady);
      }
    });
  });

  describe('node size', () => {
    it('names the node, the expectation and the finding in a message a person can act on', () => {
      const { checks } = assessGateway(cluster([node(1), node(2, { cpuCores: 2 }), node(3)]));
      expect(failures(checks)).toEqual([
        {
          check: 'NODE_SIZE',
          outcome: 'FAILED',
          passed: false,
          node: 'gw-node-2',
          expected: 'at least 4 CPU cores',
          actual: '2 CPU cores',
          message: 'gw-node-2 has 2 CPU cores; a gateway node needs at least 4',
        },
      ]);
      expect(passedKinds(checks)).toEqual(ASSESSMENT_CHECKS.filter((kind) => kind !== 'NODE_SIZE'));
    });

    it.each([
      [{ cpuCores: 3 }, 'at least 4 CPU cores', '3 CPU cores', 'gw-node-1 has 3 CPU cores; a gateway node needs at least 4'],
      [{ cpuCores: 1 }, 'at least 4 CPU cores', '1 CPU core', 'gw-node-1 has 1 CPU core; a gateway node needs at least 4'],
      [
        { memoryMb: 8191 },
        'at least 8192 MB memory',
        '8191 MB memory',
        'gw-node-1 has 8191 MB memory; a gateway node needs at least 8192 MB',
      ],
      [{ diskGb: 39 }, 'at least 40 GB disk', '39 GB disk', 'gw-node-1 has 39 GB disk; a gateway node needs at least 40 GB'],
    ])('fails a node with %o', (overrides, expected, actual, message) => {
      const { checks } = assessGateway(classic([node(1, overrides)]));
      expect(failures(checks)).toEqual([
        { check: 'NODE_SIZE', outcome: 'FAILED', passed: false, node: 'gw-node-1', expected, actual, message },
      ]);
    });

    it('passes a node of exactly the minimum size and says what the minimum is', () => {
      const { checks } = assessGateway(classic([node(1, { cpuCores: 4, memoryMb: 8192, diskGb: 40 })]));
      expect(checks.find((check) => check.check === 'NODE_SIZE')).toEqual({
        check: 'NODE_SIZE',
        outcome: 'PASSED',
        passed: true,
        node: null,
        expected: 'each node has at least 4 CPU cores, 8192 MB memory and 40 GB disk',
        actual: '1 node big enough',
        message: 'Every node meets the minimum size',
      });
    });

    it('gives one failed check per node per resource, cpu then memory then disk, nodes by hostname', () => {
      const { checks } = assessGateway(cluster([node(3, { diskGb: 10 }), node(1, { cpuCores: 2, memoryMb: 4096, diskGb: 20 }), node(2)]));
      expect(failures(checks).map(({ node: name, actual }) => [name, actual])).toEqual([
        ['gw-node-1', '2 CPU cores'],
        ['gw-node-1', '4096 MB memory'],
        ['gw-node-1', '20 GB disk'],
        ['gw-node-3', '10 GB disk'],
      ]);
    });

    it('does not judge the size of a node that is missing from the latest report', () => {
      const { checks } = assessGateway(cluster([node(1), node(2), node(3), node(4, { state: 'MISSING', cpuCores: 1 })]));
      expect(checks.filter((check) => check.check === 'NODE_SIZE')).toEqual([expect.objectContaining({ passed: true })]);
    });
  });

  describe('unique hostnames', () => {
    it('gives one failed check per shared hostname, naming the hostname and the addresses of the nodes', () => {
      const { checks, health } = assessGateway(
        cluster([
          node(1),
          node(2, { hostname: 'gw-node-1' }),
          node(3, { hostname: 'gw-node-3' }),
          node(4, { hostname: 'gw-node-3' }),
          node(5, { hostname: 'gw-node-1' }),
        ]),
      );
      expect(health).toBe('DEGRADED');
      expect(checks.filter((check) => check.check === 'UNIQUE_HOSTNAMES')).toEqual([
        {
          check: 'UNIQUE_HOSTNAMES',
          outcome: 'FAILED',
          passed: false,
          node: 'gw-node-1',
          expected: 'a hostname no other node has',
          actual: '3 nodes are named gw-node-1 (10.20.0.11, 10.20.0.12, 10.20.0.15)',
          message: '3 nodes share the hostname gw-node-1 (10.20.0.11, 10.20.0.12, 10.20.0.15); give each node its own hostname',
        },
        {
          check: 'UNIQUE_HOSTNAMES',
          outcome: 'FAILED',
          passed: false,
          node: 'gw-node-3',
          expected: 'a hostname no other node has',
          actual: '2 nodes are named gw-node-3 (10.20.0.13, 10.20.0.14)',
          message: '2 nodes share the hostname gw-node-3 (10.20.0.13, 10.20.0.14); give each node its own hostname',
        },
      ]);
    });

    it('passes when every node has its own hostname', () => {
      const { checks } = assessGateway(healthyCluster());
      expect(checks.find((check) => check.check === 'UNIQUE_HOSTNAMES')).toEqual({
        check: 'UNIQUE_HOSTNAMES',
        outcome: 'PASSED',
        passed: true,
        node: null,
        expected: 'a hostname per node that no other node has',
        actual: '3 nodes, no shared hostname',
        message: 'Every node has its own hostname',
      });
    });
  });

  describe('unique addresses', () => {
    it('gives one failed check per shared address, naming the nodes that share it', () => {
      const { checks, health } = assessGateway(
        cluster([
          node(4, { ipAddress: '10.20.0.99' }),
          node(1),
          node(2, { ipAddress: '10.20.0.11' }),
          node(3, { ipAddress: '10.20.0.11' }),
          node(5, { ipAddress: '10.20.0.99' }),
        ]),
      );
      expect(health).toBe('DEGRADED');
      expect(checks.filter((check) => check.check === 'UNIQUE_ADDRESSES')).toEqual([
        {
          check: 'UNIQUE_ADDRESSES',
          outcome: 'FAILED',
          passed: false,
          node: null,
          expected: 'an IP address no other node has',
          actual: '10.20.0.11 is used by gw-node-1, gw-node-2, gw-node-3',
          message: 'gw-node-1, gw-node-2, gw-node-3 share the IP address 10.20.0.11; give each node its own address',
        },
        {
          check: 'UNIQUE_ADDRESSES',
          outcome: 'FAILED',
          passed: false,
          node: null,
          expected: 'an IP address no other node has',
          actual: '10.20.0.99 is used by gw-node-4, gw-node-5',
          message: 'gw-node-4, gw-node-5 share the IP address 10.20.0.99; give each node its own address',
        },
      ]);
    });

    it('passes when every node has its own address', () => {
      const { checks } = assessGateway(healthyCluster());
      expect(checks.find((check) => check.check === 'UNIQUE_ADDRESSES')).toEqual({
        check: 'UNIQUE_ADDRESSES',
        outcome: 'PASSED',
        passed: true,
        node: null,
        expected: 'an IP address per node that no other node has',
        actual: '3 nodes, no shared IP address',
        message: 'Every node has its own IP address',
      });
    });

    it('does not count a node missing from the latest report, which a replacement may have taken the address of', () => {
      const { checks } = assessGateway(
        cluster([node(1), node(2), node(3), node(4, { state: 'MISSING', ipAddress: '10.20.0.11', hostname: 'gw-node-old' })]),
      );
      expect(checks.filter((check) => check.check === 'UNIQUE_ADDRESSES')).toEqual([expect.objectContaining({ passed: true })]);
      expect(checks.filter((check) => check.check === 'UNIQUE_HOSTNAMES')).toEqual([expect.objectContaining({ passed: true })]);
    });
  });

  describe('high availability', () => {
    it('fails a cluster of 2 nodes and says how many to add', () => {
      const { checks, health } = assessGateway(cluster([node(1), node(2)]));
      expect(health).toBe('DEGRADED');
      expect(failures(checks)).toEqual([
        {
          check: 'HIGH_AVAILABILITY',
          outcome: 'FAILED',
          passed: false,
          node: null,
          expected: 'at least 3 nodes',
          actual: '2 nodes',
          message: 'The cluster has 2 nodes; it works, but high availability needs at least 3: add 1 more node',
        },
      ]);
    });

    it('says of a single-node cluster that high availability is not supported in this model, as its own outcome and not a failure', () => {
      const { checks, health } = assessGateway(cluster([node(1)]));
      expect(health).toBe('HEALTHY');
      expect(failures(checks)).toEqual([]);
      expect(checks.find((check) => check.check === 'HIGH_AVAILABILITY')).toEqual({
        check: 'HIGH_AVAILABILITY',
        outcome: 'NOT_SUPPORTED',
        passed: true,
        node: null,
        expected: 'at least 3 nodes',
        actual: '1 node',
        message:
          'A single-node cluster works, but high availability is not supported in this model: it stops when its node or its host fails. For high availability, add 2 more nodes, each on its own host',
      });
      // The checks between nodes have nothing to compare on one node.
      expect(kinds(checks)).not.toEqual(expect.arrayContaining(['DISTINCT_HOSTS']));
      expect(kinds(checks)).not.toContain('PEER_RESOLUTION');
      expect(kinds(checks)).not.toContain('UNIFORM_SOFTWARE');
    });

    it.each([3, 5])('passes a cluster of %i nodes', (count) => {
      const { checks } = assessGateway(cluster(Array.from({ length: count }, (_, i) => node(i + 1))));
      expect(checks.find((check) => check.check === 'HIGH_AVAILABILITY')).toEqual({
        check: 'HIGH_AVAILABILITY',
        outcome: 'PASSED',
        passed: true,
        node: null,
        expected: 'at least 3 nodes',
        actual: `${count} nodes`,
        message: 'The cluster is highly available',
      });
    });

    it('counts only the nodes in the latest report', () => {
      const { checks } = assessGateway(cluster([node(1), node(2), node(3, { state: 'MISSING' })]));
      expect(checks.find((check) => check.check === 'HIGH_AVAILABILITY')).toMatchObject({
        outcome: 'FAILED',
        passed: false,
        actual: '2 nodes',
      });
    });

    it('does not apply to a classic gateway, not even to say it passed', () => {
      for (const input of [classic([node(1)]), classic([node(1, { ready: false })], false), classic([])]) {
        expect(kinds(assessGateway(input).checks)).not.toContain('HIGH_AVAILABILITY');
      }
    });
  });

  describe('readiness', () => {
    it('fails each node that is not ready, by name', () => {
      const { checks, health } = assessGateway(cluster([node(3, { ready: false }), node(1), node(2, { ready: false })]));
      expect(health).toBe('DEGRADED');
      expect(failures(checks)).toEqual([
        {
          check: 'READINESS',
          outcome: 'FAILED',
          passed: false,
          node: 'gw-node-2',
          expected: 'ready',
          actual: 'not ready',
          message: 'gw-node-2 is not ready; check the node and its services',
        },
        {
          check: 'READINESS',
          outcome: 'FAILED',
          passed: false,
          node: 'gw-node-3',
          expected: 'ready',
          actual: 'not ready',
          message: 'gw-node-3 is not ready; check the node and its services',
        },
      ]);
    });

    it('treats a node missing from the latest report as not ready, even if it last said ready', () => {
      const { checks, health } = assessGateway(cluster([node(1), node(2), node(3), node(4, { state: 'MISSING', ready: true })]));
      expect(health).toBe('DEGRADED');
      expect(failures(checks)).toEqual([
        {
          check: 'READINESS',
          outcome: 'FAILED',
          passed: false,
          node: 'gw-node-4',
          expected: 'ready',
          actual: 'missing from the latest report',
          message: 'gw-node-4 is missing from the latest report; bring it back, or remove it if it was retired',
        },
      ]);
    });

    it('treats an explicitly ACTIVE node like one without a state', () => {
      expect(assessGateway(cluster([node(1, { state: 'ACTIVE' }), node(2, { state: 'ACTIVE' }), node(3)]))).toEqual(
        assessGateway(healthyCluster()),
      );
    });

    it('fails without naming a node when the gateway reported none', () => {
      const { checks, health } = assessGateway(classic([]));
      expect(health).toBe('DOWN');
      expect(failures(checks)).toEqual([
        {
          check: 'READINESS',
          outcome: 'FAILED',
          passed: false,
          node: null,
          expected: 'every node ready',
          actual: 'no nodes reported',
          message: 'The gateway reported no nodes; check its gateway manager',
        },
      ]);
    });

    it('fails every node when none is ready, which makes the gateway DOWN', () => {
      const { checks, health } = assessGateway(cluster([node(1, { ready: false }), node(2, { ready: false }), node(3, { ready: false })]));
      expect(health).toBe('DOWN');
      expect(failures(checks).map((check) => [check.check, check.node])).toEqual([
        ['READINESS', 'gw-node-1'],
        ['READINESS', 'gw-node-2'],
        ['READINESS', 'gw-node-3'],
      ]);
    });

    it('passes when every node is ready', () => {
      const { checks } = assessGateway(healthyCluster());
      expect(checks.find((check) => check.check === 'READINESS')).toEqual({
        check: 'READINESS',
        outcome: 'PASSED',
        passed: true,
        node: null,
        expected: 'every node ready',
        actual: '3 of 3 nodes ready',
        message: 'Every node is ready',
      });
    });
  });

  describe('connectivity', () => {
    it('fails a disconnected gateway, which is DOWN even when every other check passes', () => {
      const { checks, health } = assessGateway(cluster([node(1), node(2), node(3)], false));
      expect(health).toBe('DOWN');
      expect(failures(checks)).toEqual([
        {
          check: 'CONNECTIVITY',
          outcome: 'FAILED',
          passed: false,
          node: null,
          expected: 'connected',
          actual: 'disconnected',
          message:
            'The gateway is not connected: no recent heartbeat reached the service; check that its gateway manager runs and can reach the service',
        },
      ]);
    });

    it('passes a connected gateway', () => {
      const { checks } = assessGateway(healthyCluster());
      expect(checks.find((check) => check.check === 'CONNECTIVITY')).toEqual({
        check: 'CONNECTIVITY',
        outcome: 'PASSED',
        passed: true,
        node: null,
        expected: 'connected',
        actual: 'connected',
        message: 'The gateway is connected',
      });
    });
  });

  describe("the cluster guide's further prerequisites", () => {
    type Change = (facts: NodeFacts) => NodeFacts;
    /** A cluster of `count` nodes reporting every prerequisite met, except what `changes` alters on the nodes it numbers. */
    const reporting = (changes: Record<number, Change> = {}, count = 3, extra: Partial<AssessmentInput> = {}): AssessmentInput => {
      const nodes = Array.from({ length: count }, (_, i) => node(i + 1));
      return {
        gatewayType: 'CLUSTER',
        connected: true,
        ...extra,
        nodes: nodes.map((n, i) => ({ ...n, facts: (changes[i + 1] ?? ((f: NodeFacts) => f))(goodFacts(n, nodes)) })),
      };
    };
    const ofKind = (input: AssessmentInput, kind: AssessmentCheck['check']) =>
      assessGateway(input)
        .checks.filter((check) => check.check === kind)
        .map((check) => [check.outcome, check.node, check.actual]);
    const messageOf = (input: AssessmentInput, kind: AssessmentCheck['check'], node: string | null) =>
      assessGateway(input).checks.find((check) => check.check === kind && check.node === node && check.outcome === 'FAILED')?.message;
    const silent: Change = () => ({});
    const peer = (hostname: string, change: Partial<NonNullable<NodeFacts['peers']>[number]>) => (f: NodeFacts) => ({
      ...f,
      peers: f.peers!.map((p) => (p.hostname === hostname ? { ...p, ...change } : p)),
    });

    it.each<[string, AssessmentInput, unknown[]]>([
      ['every node on its own host', reporting(), [['PASSED', null, '3 nodes on 3 hosts']]],
      [
        'three nodes on one ESXi host',
        reporting({
          1: (f) => ({ ...f, hypervisorHost: { id: 'host-9', name: 'esx-9' } }),
          2: (f) => ({ ...f, hypervisorHost: { id: 'host-9' } }),
          3: (f) => ({ ...f, hypervisorHost: { id: 'host-9' } }),
        }),
        [['FAILED', null, 'gw-node-1, gw-node-2, gw-node-3 run on host esx-9 (host-9)']],
      ],
      [
        'two of three on one host',
        reporting({ 2: (f) => ({ ...f, hypervisorHost: { id: 'host-gw-node-1-10.20.0.11' } }) }),
        [['FAILED', null, 'gw-node-1, gw-node-2 run on host esx-gw-node-1 (host-gw-node-1-10.20.0.11)']],
      ],
      ['one node not saying', reporting({ 3: silent }), [['UNKNOWN', null, 'not reported by gw-node-3']]],
      [
        'no node saying',
        reporting({ 1: silent, 2: silent, 3: silent }),
        [['UNKNOWN', null, 'not reported by gw-node-1, gw-node-2, gw-node-3']],
      ],
    ])('DISTINCT_HOSTS: %s', (_, input, expected) => {
      expect(ofKind(input, 'DISTINCT_HOSTS')).toEqual(expected);
    });

    it.each<[string, AssessmentInput, unknown[]]>([
      ['every node mounts the volume read/write', reporting(), [['PASSED', null, '3 nodes mounting it read/write']]],
      [
        'a node has not mounted it',
        reporting({ 2: (f) => ({ ...f, storage: { mounted: false, writable: false } }) }),
        [['FAILED', 'gw-node-2', '172.26.111.203:/shared/gw-1 not mounted']],
      ],
      [
        'a node mounts it read-only',
        reporting({ 3: (f) => ({ ...f, storage: { ...f.storage!, writable: false } }) }),
        [['FAILED', 'gw-node-3', '172.26.111.203:/shared/gw-1 mounted read-only']],
      ],
      [
        'a node mounts another volume',
        reporting({ 1: (f) => ({ ...f, storage: { server: '10.9.9.9', path: '/other', mounted: true, writable: true } }) }),
        [['FAILED', 'gw-node-1', 'mounts 10.9.9.9:/other']],
      ],
      [
        'every node mounts a volume other than the one the cluster registered with',
        reporting({}, 3, { sharedStorage: { server: '172.26.111.203', path: '/shared/gw-2' } }),
        [
          ['FAILED', 'gw-node-1', 'mounts 172.26.111.203:/shared/gw-1'],
          ['FAILED', 'gw-node-2', 'mounts 172.26.111.203:/shared/gw-1'],
          ['FAILED', 'gw-node-3', 'mounts 172.26.111.203:/shared/gw-1'],
        ],
      ],
      ['a node not saying', reporting({ 2: silent }), [['UNKNOWN', null, 'not reported by gw-node-2']]],
      ['a single-node cluster mounting it', reporting({}, 1), [['PASSED', null, '1 node mounting it read/write']]],
    ])('SHARED_STORAGE: %s', (_, input, expected) => {
      expect(ofKind(input, 'SHARED_STORAGE')).toEqual(expected);
    });

    it.each<[string, AssessmentInput, unknown[]]>([
      ['every node resolves and pings every other', reporting(), [['PASSED', null, '3 nodes resolve and reach each other']]],
      [
        'a node cannot resolve a peer',
        reporting({ 1: peer('gw-node-3', { resolves: false, address: null }) }),
        [['FAILED', 'gw-node-1', 'cannot resolve gw-node-3']],
      ],
      [
        'a node resolves a peer to the wrong address',
        reporting({ 2: peer('gw-node-1', { address: '10.20.0.99' }) }),
        [['FAILED', 'gw-node-2', 'resolves gw-node-1 to 10.20.0.99']],
      ],
      [
        'a node cannot ping a peer',
        reporting({ 3: peer('gw-node-2', { reachable: false }) }),
        [['FAILED', 'gw-node-3', 'cannot ping gw-node-2 at 10.20.0.12']],
      ],
      [
        'a node neither resolves nor pings a peer',
        reporting({ 3: peer('gw-node-1', { resolves: false, reachable: false }) }),
        [
          ['FAILED', 'gw-node-3', 'cannot resolve gw-node-1'],
          ['FAILED', 'gw-node-3', 'cannot ping gw-node-1 at 10.20.0.11'],
        ],
      ],
      [
        'a node that leaves a peer out',
        reporting({ 1: (f) => ({ ...f, peers: f.peers!.filter((p) => p.hostname !== 'gw-node-2') }) }),
        [['UNKNOWN', null, 'not reported by gw-node-1']],
      ],
      ['a node not saying', reporting({ 2: silent }), [['UNKNOWN', null, 'not reported by gw-node-2']]],
    ])('PEER_RESOLUTION: %s', (_, input, expected) => {
      expect(ofKind(input, 'PEER_RESOLUTION')).toEqual(expected);
    });

    const unreachable = (endpoint: string) => (f: NodeFacts) => ({ ...f, egress: [...f.egress!, { endpoint, reachable: false }] });
    it.each<[string, AssessmentInput, unknown[]]>([
      ['every node reaches what it reports', reporting(), [['PASSED', null, '3 nodes reach every endpoint']]],
      [
        'a node cannot reach a registry',
        reporting({ 2: unreachable('ghcr.io:443') }),
        [['FAILED', 'gw-node-2', 'cannot reach ghcr.io:443']],
      ],
      [
        "a node does not report one of the deployment's endpoints",
        reporting({ 1: (f) => ({ ...f, egress: [...f.egress!, { endpoint: 'Registry.Example.com:443', reachable: true }] }) }, 3, {
          egressEndpoints: ['registry.example.com:443'],
        }),
        [['UNKNOWN', null, 'not reported by gw-node-2, gw-node-3']],
      ],
      ['a node not saying', reporting({ 3: silent }), [['UNKNOWN', null, 'not reported by gw-node-3']]],
    ])('EGRESS: %s', (_, input, expected) => {
      expect(ofKind(input, 'EGRESS')).toEqual(expected);
    });

    it.each<[string, AssessedNode[], unknown[]]>([
      ['every node keeps its address', [node(1), node(2), node(3)], [['PASSED', null, '3 nodes, no address changed']]],
      [
        'a node reported at a new address, its old one kept as MISSING',
        [node(1), node(2, { ipAddress: '10.20.0.22' }), node(3), node(2, { state: 'MISSING' })],
        [['FAILED', 'gw-node-2', 'was 10.20.0.12, now 10.20.0.22']],
      ],
      [
        'a replacement with another hostname at a MISSING node’s address',
        [node(1), node(4, { ipAddress: '10.20.0.12' }), node(3), node(2, { state: 'MISSING' })],
        [['PASSED', null, '3 nodes, no address changed']],
      ],
    ])('STATIC_ADDRESSES: %s', (_, nodes, expected) => {
      expect(ofKind(cluster(nodes), 'STATIC_ADDRESSES')).toEqual(expected);
      expect(ofKind(classic(nodes.filter((n) => n.hostname === 'gw-node-2')), 'STATIC_ADDRESSES')).toEqual(
        (expected[0] as unknown[])[0] === 'FAILED'
          ? expected
          : [
              [
                'PASSED',
                null,
                `${nodes.filter((n) => n.hostname === 'gw-node-2' && n.state !== 'MISSING').length} node${nodes.filter((n) => n.hostname === 'gw-node-2' && n.state !== 'MISSING').length === 1 ? '' : 's'}, no address changed`,
              ],
            ],
      );
    });

    const esxi = (product: string, version: string) => (f: NodeFacts) => ({ ...f, hypervisor: { product, version } });
    it.each<[string, AssessmentInput, unknown[]]>([
      ['ESXi 7.0.3 everywhere', reporting(), [['PASSED', null, '3 nodes on a supported hypervisor']]],
      [
        'ESXi 6.0, the oldest supported',
        reporting({ 1: esxi('VMware ESXi', '6.0.0'), 2: esxi('ESXi', '6.0'), 3: esxi('VMware vSphere ESXi', '8.0 Update 2') }),
        [['PASSED', null, '3 nodes on a supported hypervisor']],
      ],
      ['ESXi 5.5 on one node', reporting({ 2: esxi('VMware ESXi', '5.5.0') }), [['FAILED', 'gw-node-2', 'VMware ESXi 5.5.0']]],
      ['another hypervisor', reporting({ 3: esxi('KVM', '8.2') }), [['FAILED', 'gw-node-3', 'KVM 8.2']]],
      [
        'a version that is not a number',
        reporting({ 1: esxi('VMware ESXi', 'unknown build') }),
        [['FAILED', 'gw-node-1', 'VMware ESXi unknown build']],
      ],
      ['a node not saying', reporting({ 1: silent }), [['UNKNOWN', null, 'not reported by gw-node-1']]],
    ])('HYPERVISOR_VERSION: %s', (_, input, expected) => {
      expect(ofKind(input, 'HYPERVISOR_VERSION')).toEqual(expected);
    });

    it.each<[string, AssessmentInput, unknown[]]>([
      ['MicroK8s with dns and metallb everywhere', reporting(), [['PASSED', null, 'MicroK8s running with dns and metallb on 3 nodes']]],
      [
        'MicroK8s stopped on a node',
        reporting({ 2: (f) => ({ ...f, microk8s: { running: false } }) }),
        [['FAILED', 'gw-node-2', 'MicroK8s not running']],
      ],
      [
        'metallb not enabled',
        reporting({ 1: (f) => ({ ...f, microk8s: { running: true, addons: ['dns'] } }) }),
        [['FAILED', 'gw-node-1', 'metallb not enabled']],
      ],
      [
        'no add-on enabled',
        reporting({ 3: (f) => ({ ...f, microk8s: { running: true } }) }),
        [['FAILED', 'gw-node-3', 'dns and metallb not enabled']],
      ],
      ['a node not saying', reporting({ 3: silent }), [['UNKNOWN', null, 'not reported by gw-node-3']]],
    ])('CLUSTER_ADDONS: %s', (_, input, expected) => {
      expect(ofKind(input, 'CLUSTER_ADDONS')).toEqual(expected);
    });

    const releases =
      (...names: string[]) =>
      (f: NodeFacts) => ({ ...f, releases: names.map((name) => ({ name })) });
    it.each<[string, AssessmentInput, unknown[]]>([
      ['both releases installed', reporting(), [['PASSED', null, 'both installed']]],
      [
        'reported by one node only, the others silent',
        reporting({ 1: silent, 2: releases('gateway-manager', 'gateway-persistent-storage'), 3: silent }),
        [['PASSED', null, 'both installed']],
      ],
      [
        'the storage release missing',
        reporting({ 1: releases('gateway-manager'), 2: releases('gateway-manager'), 3: releases('gateway-manager') }),
        [['FAILED', null, 'gateway-persistent-storage not installed']],
      ],
      [
        'neither installed',
        reporting({ 1: releases(), 2: releases(), 3: releases('unrelated') }),
        [
          ['FAILED', null, 'gateway-manager not installed'],
          ['FAILED', null, 'gateway-persistent-storage not installed'],
        ],
      ],
      [
        'no node saying',
        reporting({ 1: silent, 2: silent, 3: silent }),
        [['UNKNOWN', null, 'not reported by gw-node-1, gw-node-2, gw-node-3']],
      ],
    ])('RELEASES: %s', (_, input, expected) => {
      expect(ofKind(input, 'RELEASES')).toEqual(expected);
    });

    it.each<[string, AssessmentInput, unknown[]]>([
      ['the same versions everywhere', reporting(), [['PASSED', null, '3 nodes on the same versions']]],
      [
        'one node on an older gateway version',
        reporting({ 3: (f) => ({ ...f, softwareVersion: '0.9.5' }) }),
        [['FAILED', null, 'gw-node-1, gw-node-2: 0.9.6; gw-node-3: 0.9.5']],
      ],
      [
        'one node on another MicroK8s',
        reporting({ 1: (f) => ({ ...f, microk8s: { ...f.microk8s!, version: '1.27.1' } }) }),
        [['FAILED', null, 'gw-node-2, gw-node-3: 1.28.3; gw-node-1: 1.27.1']],
      ],
      [
        'Kubernetes versions differ, and a node does not report its gateway version',
        {
          ...reporting({ 2: ({ softwareVersion: _, ...f }) => f }),
          nodes: reporting({ 2: ({ softwareVersion: _, ...f }) => f }).nodes.map((n, i) => ({
            ...n,
            kubernetesVersion: i === 0 ? '1.27.0' : '1.28.3',
          })),
        },
        [
          ['FAILED', null, 'gw-node-2, gw-node-3: 1.28.3; gw-node-1: 1.27.0'],
          ['UNKNOWN', null, 'not reported by gw-node-2'],
        ],
      ],
    ])('UNIFORM_SOFTWARE: %s', (_, input, expected) => {
      expect(ofKind(input, 'UNIFORM_SOFTWARE')).toEqual(expected);
    });

    it.each<[AssessmentCheck['check'], AssessmentInput, string | null, string]>([
      [
        'DISTINCT_HOSTS',
        reporting({ 2: (f) => ({ ...f, hypervisorHost: { id: 'host-gw-node-1-10.20.0.11' } }) }),
        null,
        'Run each gateway node on its own ESXi host (at least 3 hosts, one node on each)',
      ],
      [
        'SHARED_STORAGE',
        reporting({ 2: (f) => ({ ...f, storage: { ...f.storage!, writable: false } }) }),
        'gw-node-2',
        'export the volume with rw (and no root squash) to 10.20.0.12',
      ],
      [
        'PEER_RESOLUTION',
        reporting({ 1: peer('gw-node-3', { resolves: false }) }),
        'gw-node-1',
        'add `10.20.0.13 gw-node-3` to /etc/hosts on gw-node-1',
      ],
      [
        'EGRESS',
        reporting({ 2: unreachable('quay.io:443') }),
        'gw-node-2',
        'gw-node-2 cannot reach quay.io:443; every node needs outbound access to the service and to the registries',
      ],
      [
        'STATIC_ADDRESSES',
        cluster([node(1), node(2, { ipAddress: '10.20.0.22' }), node(3), node(2, { state: 'MISSING' })]),
        'gw-node-2',
        'configure a static address (or a DHCP reservation) on gw-node-2',
      ],
      [
        'HYPERVISOR_VERSION',
        reporting({ 2: esxi('VMware ESXi', '5.5.0') }),
        'gw-node-2',
        'gateway nodes need VMware vSphere ESXi 6.0 or later: upgrade the host',
      ],
      [
        'CLUSTER_ADDONS',
        reporting({ 1: (f) => ({ ...f, microk8s: { running: true, addons: ['dns'] } }) }),
        'gw-node-1',
        '`microk8s enable metallb:<first address>-<last address>`',
      ],
      [
        'RELEASES',
        reporting({ 1: releases('gateway-persistent-storage'), 2: silent, 3: silent }),
        null,
        '`helm install gateway-manager <chart>`',
      ],
      [
        'UNIFORM_SOFTWARE',
        reporting({ 3: (f) => ({ ...f, softwareVersion: '0.9.5' }) }),
        null,
        'identical VM deployed from the same OVA: upgrade or redeploy gw-node-3 to 0.9.6',
      ],
    ])("%s gives the reason and the guide's fix", (kind, input, node, fix) => {
      expect(messageOf(input, kind, node)).toContain(fix);
    });

    it('is HEALTHY when every prerequisite is met, DEGRADED when any fails, and never degraded by what is unknown', () => {
      expect(assessGateway(reporting()).health).toBe('HEALTHY');
      const unknown = assessGateway(reporting({ 1: silent, 2: silent, 3: silent }));
      expect(unknown.health).toBe('HEALTHY');
      expect(unknown.checks.filter((check) => check.outcome === 'UNKNOWN').map((check) => check.check)).toEqual([
        'DISTINCT_HOSTS',
        'HYPERVISOR_VERSION',
        'SHARED_STORAGE',
        'PEER_RESOLUTION',
        'EGRESS',
        'CLUSTER_ADDONS',
        'RELEASES',
        'UNIFORM_SOFTWARE',
      ]);
      expect(unknown.checks.every((check) => check.passed)).toBe(true);
      expect(unknown.checks.find((check) => check.check === 'EGRESS')?.message).toBe(
        'No node reports its outbound access, so this is unknown (not a failure); a gateway manager that reports `egress` is checked',
      );
      expect(assessGateway(reporting({ 2: (f) => ({ ...f, microk8s: { running: false } }) })).health).toBe('DEGRADED');
    });

    it('checks a classic gateway only for what applies to one VM', () => {
      const { checks } = assessGateway(
        classic([
          node(1, {
            facts: { hypervisor: { product: 'VMware ESXi', version: '5.1' }, egress: [{ endpoint: 'quay.io:443', reachable: false }] },
          }),
        ]),
      );
      expect(failures(checks).map((check) => [check.check, check.actual])).toEqual([
        ['HYPERVISOR_VERSION', 'VMware ESXi 5.1'],
        ['EGRESS', 'cannot reach quay.io:443'],
      ]);
      expect(kinds(checks)).not.toEqual(expect.arrayContaining(['SHARED_STORAGE']));
      expect(
        kinds(checks).filter((kind) =>
          ['SHARED_STORAGE', 'CLUSTER_ADDONS', 'RELEASES', 'DISTINCT_HOSTS', 'PEER_RESOLUTION', 'UNIFORM_SOFTWARE'].includes(kind),
        ),
      ).toEqual([]);
    });
  });

  describe('the list of checks', () => {
    const messy = (): AssessedNode[] => [
      node(2, { cpuCores: 2, ready: false }),
      node(9, { hostname: 'gw-node-1', ipAddress: '10.20.0.12', diskGb: 1 }),
      node(1, { memoryMb: 1024 }),
      node(7, { state: 'MISSING' }),
    ];

    it('orders checks by kind, then by node hostname, with checks about several nodes after those about one', () => {
      const { checks } = assessGateway(cluster(messy(), false));
      expect(checks.map((check) => [check.check, check.node, check.actual])).toEqual([
        ['NODE_SIZE', 'gw-node-1', '1024 MB memory'],
        ['NODE_SIZE', 'gw-node-1', '1 GB disk'],
        ['NODE_SIZE', 'gw-node-2', '2 CPU cores'],
        ['UNIQUE_HOSTNAMES', 'gw-node-1', '2 nodes are named gw-node-1 (10.20.0.11, 10.20.0.12)'],
        ['UNIQUE_ADDRESSES', null, '10.20.0.12 is used by gw-node-1, gw-node-2'],
        ['STATIC_ADDRESSES', null, '3 nodes, no address changed'],
        ['HIGH_AVAILABILITY', null, '3 nodes'],
        ['DISTINCT_HOSTS', null, '3 nodes on 3 hosts'],
        ['HYPERVISOR_VERSION', null, '3 nodes on a supported hypervisor'],
        ['SHARED_STORAGE', null, '3 nodes mounting it read/write'],
        ['PEER_RESOLUTION', null, '3 nodes resolve and reach each other'],
        ['EGRESS', null, '3 nodes reach every endpoint'],
        ['CLUSTER_ADDONS', null, 'MicroK8s running with dns and metallb on 3 nodes'],
        ['RELEASES', null, 'both installed'],
        ['UNIFORM_SOFTWARE', null, '3 nodes on the same versions'],
        ['READINESS', 'gw-node-2', 'not ready'],
        ['READINESS', 'gw-node-7', 'missing from the latest report'],
        ['CONNECTIVITY', null, 'disconnected'],
      ]);
    });

    it('is the same whatever order the nodes are reported in', () => {
      const expected = assessGateway(cluster(messy(), false));
      const nodes = messy();
      for (let rotation = 0; rotation < nodes.length; rotation += 1) {
        const rotated = [...nodes.slice(rotation), ...nodes.slice(0, rotation)];
        expect(assessGateway(cluster(rotated, false))).toEqual(expected);
        expect(assessGateway(cluster([...rotated].reverse(), false))).toEqual(expected);
      }
    });

    it('lists a kind once as passed exactly when it has no failure, and never both', () => {
      const { checks } = assessGateway(cluster(messy(), true));
      for (const kind of ASSESSMENT_CHECKS) {
        const ofKind = checks.filter((check) => check.check === kind);
        const passed = ofKind.filter((check) => check.passed);
        expect(ofKind.length).toBeGreaterThan(0);
        expect(passed.length === 0 || (passed.length === 1 && ofKind.length === 1 && passed[0]?.node === null)).toBe(true);
      }
      expect(passedKinds(checks)).toEqual(
        ASSESSMENT_CHECKS.filter((kind) => !['NODE_SIZE', 'UNIQUE_HOSTNAMES', 'UNIQUE_ADDRESSES', 'READINESS'].includes(kind)),
      );
    });

    it('states an expectation, a finding and a message on every check', () => {
      const { checks } = assessGateway(cluster(messy(), false));
      for (const check of checks) {
        expect(check.expected).not.toBe('');
        expect(check.actual).not.toBe('');
        expect(check.message).not.toBe('');
      }
    });

    it('leaves its input untouched', () => {
      const input = cluster(messy(), false);
      const copy = structuredClone(input);
      assessGateway(input);
      expect(input).toEqual(copy);
    });
  });
});
