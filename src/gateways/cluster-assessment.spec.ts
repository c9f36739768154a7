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

const node = (n: number, overrides: Partial<AssessedNode> = {}): AssessedNode => ({
  hostname: `gw-node-${n}`,
  ipAddress: `10.20.0.${10 + n}`,
  cpuCores: 4,
  memoryMb: 8192,
  diskGb: 40,
  ready: true,
  ...overrides,
});

const cluster = (nodes: AssessedNode[], connected = true): AssessmentInput => ({ gatewayType: 'CLUSTER', connected, nodes });
const classic = (nodes: AssessedNode[], connected = true): AssessmentInput => ({ gatewayType: 'CLASSIC', connected, nodes });
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
      expect(kinds(assessment.checks)).toEqual(['NODE_SIZE', 'UNIQUE_HOSTNAMES', 'UNIQUE_ADDRESSES', 'READINESS', 'CONNECTIVITY']);
    });

    it.each([
      ['an under-sized node', cluster([node(1), node(2, { cpuCores: 2 }), node(3)])],
      ['a shared hostname', cluster([node(1), node(2, { hostname: 'gw-node-1' }), node(3)])],
      ['a shared address', cluster([node(1), node(2, { ipAddress: '10.20.0.11' }), node(3)])],
      ['a 2-node cluster', cluster([node(1), node(2)])],
      ['a 1-node cluster', cluster([node(1)])],
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
          passed: false,
          node: 'gw-node-2',
          expected: 'at least 4 CPU cores',
          actual: '2 CPU cores',
          message: 'gw-node-2 has 2 CPU cores; a gateway node needs at least 4',
        },
      ]);
      expect(passedKinds(checks)).toEqual(['UNIQUE_HOSTNAMES', 'UNIQUE_ADDRESSES', 'HIGH_AVAILABILITY', 'READINESS', 'CONNECTIVITY']);
    });

    it.each([
      [{ cpuCores: 3 }, 'at least 4 CPU cores', '3 CPU cores', 'gw-node-1 has 3 CPU cores; a gateway node needs at least 4'],
      [{ cpuCores: 1 }, 'at least 4 CPU cores', '1 CPU core', 'gw-node-1 has 1 CPU core; a gateway node needs at least 4'],
      [{ memoryMb: 8191 }, 'at least 8192 MB memory', '8191 MB memory', 'gw-node-1 has 8191 MB memory; a gateway node needs at least 8192 MB'],
      [{ diskGb: 39 }, 'at least 40 GB disk', '39 GB disk', 'gw-node-1 has 39 GB disk; a gateway node needs at least 40 GB'],
    ])('fails a node with %o', (overrides, expected, actual, message) => {
      const { checks } = assessGateway(classic([node(1, overrides)]));
      expect(failures(checks)).toEqual([{ check: 'NODE_SIZE', passed: false, node: 'gw-node-1', expected, actual, message }]);
    });

    it('passes a node of exactly the minimum size and says what the minimum is', () => {
      const { checks } = assessGateway(classic([node(1, { cpuCores: 4, memoryMb: 8192, diskGb: 40 })]));
      expect(checks.find((check) => check.check === 'NODE_SIZE')).toEqual({
        check: 'NODE_SIZE',
        passed: true,
        node: null,
        expected: 'each node has at least 4 CPU cores, 8192 MB memory and 40 GB disk',
        actual: '1 node big enough',
        message: 'Every node meets the minimum size',
      });
    });

    it('gives one failed check per node per resource, cpu then memory then disk, nodes by hostname', () => {
      const { checks } = assessGateway(
        cluster([node(3, { diskGb: 10 }), node(1, { cpuCores: 2, memoryMb: 4096, diskGb: 20 }), node(2)]),
      );
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
          passed: false,
          node: 'gw-node-1',
          expected: 'a hostname no other node has',
          actual: '3 nodes are named gw-node-1 (10.20.0.11, 10.20.0.12, 10.20.0.15)',
          message: '3 nodes share the hostname gw-node-1 (10.20.0.11, 10.20.0.12, 10.20.0.15); give each node its own hostname',
        },
        {
          check: 'UNIQUE_HOSTNAMES',
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
          passed: false,
          node: null,
          expected: 'an IP address no other node has',
          actual: '10.20.0.11 is used by gw-node-1, gw-node-2, gw-node-3',
          message: 'gw-node-1, gw-node-2, gw-node-3 share the IP address 10.20.0.11; give each node its own address',
        },
        {
          check: 'UNIQUE_ADDRESSES',
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
    it.each([
      [1, 'The cluster has 1 node; it works, but high availability needs at least 3: add 2 more nodes'],
      [2, 'The cluster has 2 nodes; it works, but high availability needs at least 3: add 1 more node'],
    ])('fails a cluster of %i nodes and says how many to add', (count, message) => {
      const { checks, health } = assessGateway(cluster(Array.from({ length: count }, (_, i) => node(i + 1))));
      expect(health).toBe('DEGRADED');
      expect(failures(checks)).toEqual([
        { check: 'HIGH_AVAILABILITY', passed: false, node: null, expected: 'at least 3 nodes', actual: `${count} node${count === 1 ? '' : 's'}`, message },
      ]);
    });

    it.each([3, 5])('passes a cluster of %i nodes', (count) => {
      const { checks } = assessGateway(cluster(Array.from({ length: count }, (_, i) => node(i + 1))));
      expect(checks.find((check) => check.check === 'HIGH_AVAILABILITY')).toEqual({
        check: 'HIGH_AVAILABILITY',
        passed: true,
        node: null,
        expected: 'at least 3 nodes',
        actual: `${count} nodes`,
        message: 'The cluster is highly available',
      });
    });

    it('counts only the nodes in the latest report', () => {
      const { checks } = assessGateway(cluster([node(1), node(2), node(3, { state: 'MISSING' })]));
      expect(checks.find((check) => check.check === 'HIGH_AVAILABILITY')).toMatchObject({ passed: false, actual: '2 nodes' });
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
        { check: 'READINESS', passed: false, node: 'gw-node-2', expected: 'ready', actual: 'not ready', message: 'gw-node-2 is not ready; check the node and its services' },
        { check: 'READINESS', passed: false, node: 'gw-node-3', expected: 'ready', actual: 'not ready', message: 'gw-node-3 is not ready; check the node and its services' },
      ]);
    });

    it('treats a node missing from the latest report as not ready, even if it last said ready', () => {
      const { checks, health } = assessGateway(cluster([node(1), node(2), node(3), node(4, { state: 'MISSING', ready: true })]));
      expect(health).toBe('DEGRADED');
      expect(failures(checks)).toEqual([
        {
          check: 'READINESS',
          passed: false,
          node: 'gw-node-4',
          expected: 'ready',
          actual: 'missing from the latest report',
          message: 'gw-node-4 is missing from the latest report; bring it back, or remove it if it was retired',
        },
      ]);
    });

    it('treats an explicitly ACTIVE node like one without a state', () => {
      expect(assessGateway(cluster([node(1, { state: 'ACTIVE' }), node(2, { state: 'ACTIVE' }), node(3)]))).toEqual(assessGateway(healthyCluster()));
    });

    it('fails without naming a node when the gateway reported none', () => {
      const { checks, health } = assessGateway(classic([]));
      expect(health).toBe('DOWN');
      expect(failures(checks)).toEqual([
        { check: 'READINESS', passed: false, node: null, expected: 'every node ready', actual: 'no nodes reported', message: 'The gateway reported no nodes; check its gateway manager' },
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
          passed: false,
          node: null,
          expected: 'connected',
          actual: 'disconnected',
          message: 'The gateway is not connected: no recent heartbeat reached the service; check that its gateway manager runs and can reach the service',
        },
      ]);
    });

    it('passes a connected gateway', () => {
      const { checks } = assessGateway(healthyCluster());
      expect(checks.find((check) => check.check === 'CONNECTIVITY')).toEqual({
        check: 'CONNECTIVITY',
        passed: true,
        node: null,
        expected: 'connected',
        actual: 'connected',
        message: 'The gateway is connected',
      });
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
        ['HIGH_AVAILABILITY', null, '3 nodes'],
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
      expect(passedKinds(checks)).toEqual(['HIGH_AVAILABILITY', 'CONNECTIVITY']);
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
