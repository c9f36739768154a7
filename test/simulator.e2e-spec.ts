import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FleetSimulator } from '../scripts/lib/fleet-simulator.js';
import { Api } from './support/api.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { TEST_ENV } from './support/test-env.js';
import { waitFor } from './support/wait.js';

/** The fleet simulator's cluster scenarios against a real service: a cluster on one host, bad prerequisites, a lost node, a drill. */
describe("fleet simulator: the cluster guide's prerequisites and a node-failure drill", () => {
  let t: TestApp;
  let api: Api;
  let partner: { token: string; tenantId: string };
  let simulator: FleetSimulator | undefined;
  const lines: string[] = [];

  beforeAll(async () => {
    t = await startTestApp({ env: { HEARTBEAT_INTERVAL_SECONDS: '1', HEARTBEAT_MISSED_LIMIT: '3', VALIDATION_TICK_MS: '200' } });
    api = new Api(t);
    partner = await api.partner();
  });
  afterAll(async () => {
    simulator?.stop();
    await t?.close();
  });

  const gateways = async () =>
    (await api.get(partner.token, `/api/v1/tenants/${partner.tenantId}/gateways?limit=50`)).body.items as {
      id: string;
      name: string;
      health: string;
      assessment: { checks: { check: string; outcome: string; node: string | null }[] };
    }[];
  const failedChecks = (gateway: { assessment: { checks: { check: string; outcome: string }[] } }) => [
    ...new Set(gateway.assessment.checks.filter((c) => c.outcome === 'FAILED').map((c) => c.check)),
  ];

  it('reports every new field, flags the cluster on one host and the one with bad facts, and runs a drill that stops a node, moves its apps and brings it back', async () => {
    simulator = new FleetSimulator({
      url: t.url,
      clientId: TEST_ENV.BOOTSTRAP_CLIENT_ID!,
      clientSecret: TEST_ENV.BOOTSTRAP_CLIENT_SECRET!,
      gateways: 4,
      clusters: 3,
      singleHostClusters: 1,
      badFactClusters: 1,
      drillAfterSeconds: 1,
      moveAppsAfterMs: 500,
      returnNodeAfterMs: 2_000,
      commandSuccessRate: 1,
      prefix: 'simcc',
      log: (line) => lines.push(line),
    });
    await simulator.start();
    const byName = await waitFor(gateways, (all) => all.length === 4 && all.every((g) => g.assessment.checks.length > 0), 10_000);
    const named = (suffix: string) => byName.find((g) => g.name.endsWith(suffix))!;
    expect(named('-1').health).toBe('DEGRADED');
    expect(failedChecks(named('-1'))).toEqual(['DISTINCT_HOSTS']);
    expect(failedChecks(named('-2'))).toEqual([
      'HYPERVISOR_VERSION',
      'SHARED_STORAGE',
      'PEER_RESOLUTION',
      'EGRESS',
      'CLUSTER_ADDONS',
      'RELEASES',
      'UNIFORM_SOFTWARE',
    ]);
    expect(named('-3').health).toBe('HEALTHY');
    expect(named('-3').assessment.checks.every((c) => c.outcome === 'PASSED')).toBe(true);
    expect(named('-4').health).toBe('HEALTHY');

    await waitFor(
      async () => lines,
      (all) => all.some((line) => line.startsWith('drill: simcc-3-node-1 returned')),
      20_000,
      200,
    );
    expect(lines.find((line) => line.startsWith('simcc-1 is DEGRADED'))).toContain(
      'DISTINCT_HOSTS (simcc-1-node-1, simcc-1-node-2 and simcc-1-node-3 run on the same physical host',
    );
    const passed = lines.find((line) => line.startsWith('drill PASSED'));
    expect(passed).toMatch(/^drill PASSED: recovered in [\d.]+ s \(vprobe on simcc-3-node-2\)$/);
    const [drill] = (await api.get(partner.token, `/api/v1/tenants/${partner.tenantId}/validations`)).body.items;
    expect(drill).toMatchObject({
      kind: 'NODE_FAILURE',
      state: 'PASSED',
      drill: {
        node: 'simcc-3-node-1',
        stopNode: true,
        appsToRecover: ['vprobe'],
        recoveredOn: [{ app: 'vprobe', node: 'simcc-3-node-2' }],
        nodeReturnedAt: expect.any(String),
      },
    });
    const cluster = (await api.get(partner.token, `/api/v1/tenants/${partner.tenantId}/gateways/${named('-3').id}`)).body;
    expect(
      cluster.nodes.map((n: { hostname: string; state: string; apps: { name: string }[] }) => [
        n.hostname,
        n.state,
        n.apps.map((a) => a.name),
      ]),
    ).toEqual([
      ['simcc-3-node-1', 'ACTIVE', []],
      ['simcc-3-node-2', 'ACTIVE', ['collector', 'vprobe']],
      ['simcc-3-node-3', 'ACTIVE', ['gateway-manager']],
    ]);
  });
});
