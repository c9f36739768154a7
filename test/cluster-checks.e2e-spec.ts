import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeReport } from '@gateway-control-plane/agent';
import { Api } from './support/api.js';
import { Fleet, healthyNode } from './support/fleet.js';
import { wellReportedNodes } from './support/cluster-facts.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { GatewaysQueryService } from '../src/gateways/gateways-query.service.js';
import { GatewayView } from '../src/gateways/gateway.view.js';

interface Check {
  check: string;
  outcome: string;
  passed: boolean;
  node: string | null;
  actual: string;
  message: string;
}

/** The cluster guide's prerequisites, reported by real gateways through register and heartbeat, assessed by the service. */
describe("cluster checks: the guide's prerequisites through real heartbeats", () => {
  let t: TestApp;
  let api: Api;
  let tenantId: string;
  let admin: string;
  let fleet: Fleet;

  const registered = (type: 'CLASSIC' | 'CLUSTER', nodes: NodeReport[]) => fleet.gateway({ type, nodes });
  const view = async (gatewayId: string) => (await api.get(admin, `/api/v1/tenants/${tenantId}/gateways/${gatewayId}`)).body;
  const ofKind = (checks: Check[], kind: string) => checks.filter((c) => c.check === kind).map((c) => [c.outcome, c.node, c.actual]);
  const changeNode = (nodes: NodeReport[], hostname: string, change: (node: NodeReport) => NodeReport) =>
    nodes.map((n) => (n.hostname === hostname ? change(n) : n));

  beforeAll(async () => {
    t = await startTestApp({ env: { EGRESS_ENDPOINTS: 'registry-1.docker.io:443,quay.io:443' } });
    api = new Api(t);
    const partner = await api.partner();
    tenantId = await api.createClientTenant(partner.token, 'Cluster checks client', { gatewayClustering: true });
    admin = await api.clientToken(partner.token, tenantId, ['admin']);
    fleet = new Fleet(api, tenantId, admin, t.url);
  });
  afterAll(() => t?.close());

  it('a cluster reporting every prerequisite met is HEALTHY with every check PASSED, and its nodes show what they reported', async () => {
    const { gw, registration } = await registered('CLUSTER', wellReportedNodes(3));
    expect(registration.body.egressEndpoints).toEqual(['registry-1.docker.io:443', 'quay.io:443']);
    const gateway = await view(gw.gatewayId!);
    expect(gateway.health).toBe('HEALTHY');
    expect(gateway.assessment.checks.map((c: Check) => [c.check, c.outcome])).toEqual(
      [
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
      ].map((kind) => [kind, 'PASSED']),
    );
    const node1 = gateway.nodes.find((n: { hostname: string }) => n.hostname === 'gw-node-1');
    expect(node1).toMatchObject({
      softwareVersion: '0.9.6',
      hypervisorHost: { id: 'host-gw-node-1', name: 'esx-gw-node-1.example.net' },
      hypervisor: { product: 'VMware ESXi', version: '7.0.3' },
      storage: { server: '172.26.111.203', path: '/shared/gw-1', mounted: true, writable: true },
      peers: [
        { hostname: 'gw-node-2', address: '10.20.0.12', resolves: true, reachable: true },
        { hostname: 'gw-node-3', address: '10.20.0.13', resolves: true, reachable: true },
      ],
      egress: [
        { endpoint: 'quay.io:443', reachable: true },
        { endpoint: 'registry-1.docker.io:443', reachable: true },
      ],
      microk8s: { running: true, version: '1.28.3', addons: ['dns', 'hostpath-storage', 'metallb'] },
      releases: [
        { name: 'gateway-manager', version: '0.9.6' },
        { name: 'gateway-persistent-storage', version: '1.2.0' },
      ],
    });

    const graphql = await api.graphql(
      admin,
      `query($id: ID!) { gateway(id: $id) {
         health assessment { checks { check outcome passed } }
         nodes { hostname hypervisorHost { id name } hypervisor { product version } storage { mounted writable } peers { hostname resolves reachable } egress { endpoint reachable } microk8s { running addons } releases { name version } softwareVersion } } }`,
      { id: gw.gatewayId, tenantId },
    );
    expect(graphql.body.errors).toBeUndefined();
    expect(graphql.body.data.gateway.health).toBe('HEALTHY');
    expect(graphql.body.data.gateway.assessment.checks.every((c: Check) => c.outcome === 'PASSED')).toBe(true);
    expect(graphql.body.data.gateway.nodes[0]).toMatchObject({
      hypervisorHost: { id: 'host-gw-node-1' },
      microk8s: { running: true },
      softwareVersion: '0.9.6',
    });
  });

  it('three nodes on one ESXi host are DEGRADED by DISTINCT_HOSTS, with the reason and the fix; moving one VM is not enough, moving two is', async () => {
    const oneHost = wellReportedNodes(3).map((n) => ({ ...n, hypervisorHost: { id: 'host-7', name: 'esx-7' } }));
    const { gw } = await registered('CLUSTER', oneHost);
    let gateway = await view(gw.gatewayId!);
    expect(gateway.health).toBe('DEGRADED');
    const [check] = gateway.assessment.checks.filter((c: Check) => c.check === 'DISTINCT_HOSTS');
    expect(check).toMatchObject({
      outcome: 'FAILED',
      passed: false,
      node: null,
      actual: 'gw-node-1, gw-node-2, gw-node-3 run on host esx-7 (host-7)',
    });
    expect(check.message).toContain('a failure of that host stops all of them');
    expect(check.message).toContain('Run each gateway node on its own ESXi host');
    expect(gateway.assessment.checks.filter((c: Check) => !c.passed).map((c: Check) => c.check)).toEqual(['DISTINCT_HOSTS']);

    gw.nodes = changeNode(oneHost, 'gw-node-3', (n) => ({ ...n, hypervisorHost: { id: 'host-8' } }));
    await gw.heartbeat();
    gateway = await view(gw.gatewayId!);
    expect(ofKind(gateway.assessment.checks, 'DISTINCT_HOSTS')).toEqual([
      ['FAILED', null, 'gw-node-1, gw-node-2 run on host esx-7 (host-7)'],
    ]);

    gw.nodes = changeNode(gw.nodes, 'gw-node-2', (n) => ({ ...n, hypervisorHost: { id: 'host-9' } }));
    await gw.heartbeat();
    gateway = await view(gw.gatewayId!);
    expect(gateway.health).toBe('HEALTHY');
    expect(ofKind(gateway.assessment.checks, 'DISTINCT_HOSTS')).toEqual([['PASSED', null, '3 nodes on 3 hosts']]);
    const audit = await api.get(admin, `/api/v1/tenants/${tenantId}/audit-events?limit=20`);
    expect(
      audit.body.items.find(
        (e: { action: string; targetId: string }) => e.action === 'gateway.report_changed' && e.targetId === gw.gatewayId,
      ),
    ).toMatchObject({
      before: { health: 'DEGRADED' },
      after: { health: 'HEALTHY' },
    });
  });

  it('every prerequisite that fails is named per node, with the reason and the fix, through heartbeats', async () => {
    const { gw } = await registered('CLUSTER', wellReportedNodes(3));
    let nodes = wellReportedNodes(3);
    nodes = changeNode(nodes, 'gw-node-1', (n) => ({
      ...n,
      storage: { ...n.storage!, writable: false },
      hypervisor: { product: 'VMware ESXi', version: '5.5.0' },
    }));
    nodes = changeNode(nodes, 'gw-node-2', (n) => ({
      ...n,
      peers: n.peers!.map((p) => (p.hostname === 'gw-node-3' ? { ...p, address: undefined, resolves: false } : p)),
      egress: [
        { endpoint: 'registry-1.docker.io:443', reachable: true },
        { endpoint: 'quay.io:443', reachable: false },
      ],
      microk8s: { running: true, version: '1.28.3', addons: ['dns'] },
    }));
    nodes = changeNode(nodes, 'gw-node-3', (n) => ({
      ...n,
      softwareVersion: '0.9.5',
      releases: [{ name: 'gateway-manager', version: '0.9.6' }],
    }));
    // gw-node-3 is the only node saying which releases are installed, and it lacks one.
    nodes = nodes.map((n) => (n.hostname === 'gw-node-3' ? n : { ...n, releases: undefined }));
    gw.nodes = nodes;
    expect((await gw.heartbeat()).status).toBe(200);
    const gateway = await view(gw.gatewayId!);
    expect(gateway.health).toBe('DEGRADED');
    const failed = gateway.assessment.checks.filter((c: Check) => !c.passed);
    expect(failed.map((c: Check) => [c.check, c.node, c.actual])).toEqual([
      ['HYPERVISOR_VERSION', 'gw-node-1', 'VMware ESXi 5.5.0'],
      ['SHARED_STORAGE', 'gw-node-1', '172.26.111.203:/shared/gw-1 mounted read-only'],
      ['PEER_RESOLUTION', 'gw-node-2', 'cannot resolve gw-node-3'],
      ['EGRESS', 'gw-node-2', 'cannot reach quay.io:443'],
      ['CLUSTER_ADDONS', 'gw-node-2', 'metallb not enabled'],
      ['RELEASES', null, 'gateway-persistent-storage not installed'],
      ['UNIFORM_SOFTWARE', null, 'gw-node-1, gw-node-2: 0.9.6; gw-node-3: 0.9.5'],
    ]);
    const message = (kind: string) => failed.find((c: Check) => c.check === kind)!.message;
    expect(message('PEER_RESOLUTION')).toContain('add `10.20.0.13 gw-node-3` to /etc/hosts on gw-node-2');
    expect(message('CLUSTER_ADDONS')).toContain('microk8s enable metallb');
    expect(message('HYPERVISOR_VERSION')).toContain('ESXi 6.0 or later');
    expect(message('SHARED_STORAGE')).toContain('read/write access');
  });

  it('a node whose address changes between reports is flagged STATIC_ADDRESSES until its old entry is removed', async () => {
    const { gw } = await registered('CLUSTER', wellReportedNodes(3));
    gw.nodes = changeNode(wellReportedNodes(3), 'gw-node-2', (n) => ({ ...n, ipAddress: '10.20.0.42' }));
    await gw.heartbeat();
    let gateway = await view(gw.gatewayId!);
    const [check] = gateway.assessment.checks.filter((c: Check) => c.check === 'STATIC_ADDRESSES');
    expect(check).toMatchObject({ outcome: 'FAILED', node: 'gw-node-2', actual: 'was 10.20.0.12, now 10.20.0.42' });
    expect(check.message).toContain('gateway nodes need static IP addresses');
    // the other nodes still resolve gw-node-2 to its old address: that is flagged too
    expect(gateway.assessment.checks.filter((c: Check) => c.check === 'PEER_RESOLUTION' && !c.passed).map((c: Check) => c.actual)).toEqual([
      'resolves gw-node-2 to 10.20.0.12',
      'resolves gw-node-2 to 10.20.0.12',
    ]);
    const old = gateway.nodes.find((n: { hostname: string; state: string }) => n.hostname === 'gw-node-2' && n.state === 'MISSING');
    expect((await api.delete(admin, `/api/v1/tenants/${tenantId}/gateways/${gw.gatewayId}/nodes/${old.id}`)).status).toBe(204);
    gateway = await view(gw.gatewayId!);
    expect(ofKind(gateway.assessment.checks, 'STATIC_ADDRESSES')).toEqual([['PASSED', null, '3 nodes, no address changed']]);
  });

  it('an older gateway that reports none of the new facts keeps working: those checks are UNKNOWN, never failures', async () => {
    const { gw } = await registered('CLUSTER', [healthyNode(1), healthyNode(2), healthyNode(3)]);
    const gateway = await view(gw.gatewayId!);
    expect(gateway.health).toBe('HEALTHY');
    const unknown = gateway.assessment.checks.filter((c: Check) => c.outcome === 'UNKNOWN');
    expect(unknown.map((c: Check) => c.check)).toEqual([
      'DISTINCT_HOSTS',
      'HYPERVISOR_VERSION',
      'SHARED_STORAGE',
      'PEER_RESOLUTION',
      'EGRESS',
      'CLUSTER_ADDONS',
      'RELEASES',
      'UNIFORM_SOFTWARE',
    ]);
    expect(unknown.every((c: Check) => c.passed && c.actual === 'not reported by gw-node-1, gw-node-2, gw-node-3')).toBe(true);
    expect(gateway.nodes[0]).toMatchObject({
      hypervisorHost: null,
      storage: null,
      peers: null,
      egress: null,
      microk8s: null,
      releases: null,
      softwareVersion: null,
    });
  });

  it('a single-node cluster is HEALTHY, and says high availability is not supported in this model', async () => {
    const { gw } = await registered('CLUSTER', wellReportedNodes(1));
    const gateway = await view(gw.gatewayId!);
    expect(gateway.health).toBe('HEALTHY');
    const [ha] = gateway.assessment.checks.filter((c: Check) => c.check === 'HIGH_AVAILABILITY');
    expect(ha).toMatchObject({ outcome: 'NOT_SUPPORTED', passed: true, actual: '1 node' });
    expect(ha.message).toContain('high availability is not supported in this model');
  });

  it('a heartbeat with an unchanged report is not assessed again; a changed fact is', async () => {
    const { gw } = await registered('CLUSTER', wellReportedNodes(3));
    const updatedAt = async () =>
      (
        await t.app.get((await import('typeorm')).DataSource).query(`SELECT updated_at FROM gateways WHERE id = $1`, [gw.gatewayId])
      )[0].updated_at.getTime();
    const before = await updatedAt();
    // the same facts in another order are the same report
    gw.nodes = wellReportedNodes(3)
      .map((n) => ({ ...n, peers: [...n.peers!].reverse(), egress: [...n.egress!].reverse() }))
      .reverse();
    await gw.heartbeat();
    await gw.heartbeat();
    expect(await updatedAt()).toBe(before);
    gw.nodes = changeNode(gw.nodes, 'gw-node-3', (n) => ({ ...n, microk8s: { ...n.microk8s!, running: false } }));
    await gw.heartbeat();
    expect(await updatedAt()).toBeGreaterThan(before);
    expect(ofKind((await view(gw.gatewayId!)).assessment.checks, 'CLUSTER_ADDONS')).toEqual([
      ['FAILED', 'gw-node-3', 'MicroK8s not running'],
    ]);
  });

  it('malformed new fields are 400 with the fields named; unknown fields inside them are ignored', async () => {
    const { gw } = await registered('CLUSTER', wellReportedNodes(3));
    const bad = await gw.heartbeat({
      nodes: [
        { ...gw.nodes[0], storage: { mounted: 'yes', writable: true } },
        { ...gw.nodes[1], peers: [{ hostname: '', resolves: true, reachable: true }] },
        {
          ...gw.nodes[2],
          hypervisor: { product: 'VMware ESXi' },
          egress: Array.from({ length: 33 }, () => ({ endpoint: 'x:1', reachable: true })),
        },
      ],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('INVALID_REQUEST');
    expect(bad.body.errors!.map((e) => e.field).sort()).toEqual(
      ['nodes[0].storage.mounted', 'nodes[1].peers[0].hostname', 'nodes[2].egress', 'nodes[2].hypervisor.version'].sort(),
    );
    const lenient = await gw.heartbeat({
      nodes: gw.nodes.map((n) => ({ ...n, storage: { ...n.storage, iops: 9000 }, microk8s: { ...n.microk8s, channel: '1.28/stable' } })),
    });
    expect(lenient.status).toBe(200);
    expect((await view(gw.gatewayId!)).nodes[0].storage).toEqual({
      server: '172.26.111.203',
      path: '/shared/gw-1',
      mounted: true,
      writable: true,
    });
  });

  it('a classic gateway is checked for its hypervisor and egress only', async () => {
    const [node] = wellReportedNodes(1);
    const { gw } = await registered('CLASSIC', [
      {
        ...node,
        hypervisor: { product: 'Microsoft Hyper-V', version: '10.0' },
        egress: [{ endpoint: 'registry-1.docker.io:443', reachable: true }],
      },
    ]);
    const gateway = await view(gw.gatewayId!);
    expect(gateway.health).toBe('DEGRADED');
    expect(
      gateway.assessment.checks.filter((c: Check) => c.outcome !== 'PASSED').map((c: Check) => [c.check, c.outcome, c.actual]),
    ).toEqual([
      ['HYPERVISOR_VERSION', 'FAILED', 'Microsoft Hyper-V 10.0'],
      // quay.io:443 is one of this deployment's endpoints, and the node did not say
      ['EGRESS', 'UNKNOWN', 'not reported by gw-node-1'],
    ]);
  });

  it('the gateways page, its assessments read as text and interned, is byte for byte the serialization of each gateway as one read shows it, page after page', async () => {
    const queries = t.app.get(GatewaysQueryService);
    // Two passes: the second reads every assessment from the interned texts.
    for (const pass of [1, 2]) {
      const assessments = new Set<string>();
      let cursor: string | null = null;
      let read = 0;
      do {
        const response = await api.get(admin, `/api/v1/tenants/${tenantId}/gateways?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
        expect(response.status).toBe(200);
        expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
        const page = JSON.parse(response.text) as { items: { id: string }[]; nextCursor: string | null };
        // The same gateways through the jsonb path (pg parses the assessment), mapped and serialized as the page was.
        const records = await Promise.all(page.items.map((item) => queries.get({ tenantId }, item.id)));
        const views = records.map((record) => GatewayView.of(record.gateway, record.live, record.nodes));
        expect(response.text, `pass ${pass}`).toBe(JSON.stringify({ items: views, nextCursor: page.nextCursor }));
        for (const view of views) assessments.add(JSON.stringify(view.assessment));
        read += page.items.length;
        cursor = page.nextCursor;
      } while (cursor);
      expect(read).toBeGreaterThan(8);
      expect(assessments.size).toBeGreaterThan(5);
    }
  });
});
