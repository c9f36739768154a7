import { describe, expect, it } from 'vitest';
import { mapPage, type Page } from '../platform/pagination/cursor.js';
import { AssessmentTexts } from './assessment-texts.js';
import type { Assessment } from './cluster-assessment.js';
import type { LiveValues } from './gateway-live-state.js';
import type { GatewayListRow, GatewayNodeRow } from './gateway-reads.store.js';
import { GatewayView } from './gateway.view.js';

/** Postgres writes jsonb with a space after `:` and `,`; the text the page statements read looks like this. */
const jsonbText = (value: unknown) => JSON.stringify(value).replace(/":/g, '": ').replace(/,"/g, ', "');

const check = (over: Partial<Assessment['checks'][number]> = {}): Assessment['checks'][number] => ({
  check: 'NODE_SIZE',
  outcome: 'PASSED',
  passed: true,
  node: 'gw-node-1',
  expected: 'at least 4 CPU cores',
  actual: '4 CPU cores',
  message: 'gw-node-1 has 4 CPU cores',
  ...over,
});

const ASSESSMENTS: (Assessment | null)[] = [
  { health: 'HEALTHY', checks: [check(), check({ check: 'UNIQUE_HOSTNAMES', node: null, actual: '16 GiB' })] },
  {
    health: 'DEGRADED',
    checks: [
      check({ outcome: 'FAILED', passed: false, actual: '2 CPU cores', message: 'gw-node-2 has 2 CPU cores; a node needs at least 4' }),
      check({ check: 'DISTINCT_HOSTS', outcome: 'UNKNOWN', node: null, actual: 'not reported' }),
    ],
  },
  // Stored before outcomes existed: the view derives them from `passed`, at the end of each check.
  {
    health: 'DOWN',
    checks: [
      {
        check: 'NODE_SIZE',
        passed: false,
        node: 'n1',
        expected: '4',
        actual: '1',
        message: 'old',
      } as unknown as Assessment['checks'][number],
      {
        check: 'UNIQUE_HOSTNAMES',
        passed: true,
        node: null,
        expected: '8',
        actual: '8',
        message: 'old',
      } as unknown as Assessment['checks'][number],
    ],
  },
  // Unicode, quotes, backslashes, line and paragraph separators, an emoji and a lone surrogate.
  {
    health: 'DEGRADED',
    checks: [check({ node: 'zürich-北京-1', actual: 'say "hi"\\ \u2028\u2029 😀 \ud800', message: 'Ünïcödé — 节点 \n\t ok' })],
  },
  { health: 'HEALTHY', checks: [] },
  null,
];

const node = (gatewayId: string, i: number, facts: GatewayNodeRow['facts']): GatewayNodeRow =>
  ({
    id: `00000000-0000-4000-8000-00000000000${i}`,
    gatewayId,
    hostname: `gw-node-${i}`,
    ipAddress: `10.0.0.${i}`,
    cpuCores: 4,
    memoryMb: 8192,
    diskGb: 40,
    ready: i % 2 === 0,
    kubernetesVersion: i === 2 ? null : '1.28.3',
    apps: [{ name: 'vprobe', status: 'RUNNING', restarts: i }],
    facts,
    state: i === 3 ? 'MISSING' : 'PRESENT',
    lastReportedAt: new Date(Date.UTC(2026, 10, 30, 12, 0, i)),
  }) as GatewayNodeRow;

function row(i: number, assessment: Assessment | null): GatewayListRow {
  return {
    id: `11111111-1111-4111-8111-1111111111${String(i).padStart(2, '0')}`,
    tenantId: '22222222-2222-4222-8222-222222222222',
    profileId: '33333333-3333-4333-8333-333333333333',
    type: i % 2 ? 'CLUSTER' : 'CLASSIC',
    name: i === 3 ? 'passerelle «Genève» 🚀' : `gw-${i}`,
    status: i === 4 ? 'DEREGISTERED' : 'CONNECTED',
    health: assessment?.health ?? 'UNKNOWN',
    assessment: assessment as Assessment,
    softwareVersion: '0.9.6',
    configurationVersion: i === 2 ? null : 3,
    cluster: i % 2 ? { loadBalancerIp: '10.0.0.100', nfsServer: '10.0.0.5', nfsPath: '/shared' } : null,
    registeredAt: new Date(Date.UTC(2026, 10, 1, 0, 0, i)),
    lastHeartbeatAt: i === 5 ? null : new Date(Date.UTC(2026, 10, 30, 0, 0, i)),
    clockSkewSeconds: i === 1 ? 75.5 : i === 5 ? null : 0.2,
    deregisteredAt: i === 4 ? new Date(Date.UTC(2026, 10, 29)) : null,
    deregistrationReason: i === 4 ? 'BY_USER' : null,
    createdAt: new Date(Date.UTC(2026, 10, 1, 0, 0, i)),
  } as GatewayListRow;
}

/** A page as the old path had it (assessments parsed by pg from jsonb) and as the new one does (read as text, interned). */
function pages(texts: AssessmentTexts, nextCursor: string | null) {
  type Record = { gateway: GatewayListRow; live?: LiveValues; nodes: GatewayNodeRow[] };
  const parsed: Record[] = [];
  const interned: Record[] = [];
  ASSESSMENTS.forEach((assessment, i) => {
    const text = assessment === null ? null : jsonbText(assessment);
    const live: LiveValues | undefined =
      i % 3 === 0
        ? { status: 'CONNECTED', statusSeq: 4, lastHeartbeatAt: new Date(Date.UTC(2026, 10, 30, 1)), clockSkewSeconds: -90 }
        : undefined;
    const gatewayId = row(i, null).id;
    const nodes = [
      node(gatewayId, 1, {}),
      node(gatewayId, 2, { peers: [{ hostname: 'gw-node-1', resolves: true, reachable: false }], microk8s: { running: true } }),
      node(gatewayId, 3, {
        softwareVersion: '0.9.6',
        hypervisorHost: { id: 'host-1' },
        hypervisor: { product: 'VMware ESXi', version: '7.0.3' },
        storage: { mounted: true, writable: false },
        egress: [{ endpoint: 'quay.io:443', reachable: true }],
        releases: [{ name: 'gateway-manager' }],
      }),
    ].slice(0, i % 4);
    parsed.push({ gateway: row(i, text === null ? null : (JSON.parse(text) as Assessment)), live, nodes });
    const { view, json } = texts.of(text);
    interned.push({ gateway: { ...row(i, view), assessmentJson: json }, live, nodes });
  });
  return {
    parsed: { items: parsed, nextCursor } satisfies Page<Record>,
    interned: { items: interned, nextCursor } satisfies Page<Record>,
  };
}

/** What the REST page was: Fastify's JSON.stringify of the mapped views. */
const serialized = (page: Page<{ gateway: GatewayListRow; live?: LiveValues; nodes: GatewayNodeRow[] }>) =>
  JSON.stringify(mapPage(page, (r) => GatewayView.of(r.gateway, r.live, r.nodes)));

describe('the REST gateways page written with interned assessments', () => {
  it('is byte for byte the serialization of its views: varied, old-format, unicode and null assessments, with and without a next page', () => {
    const texts = new AssessmentTexts();
    for (const nextCursor of [null, 'eyJhdCI6IjIwMjYtMTEtMzBUMDA6MDA6MDAuMDAwWiJ9']) {
      const { parsed, interned } = pages(texts, nextCursor);
      const written = GatewayView.pageJson(interned);
      expect(written).toBe(serialized(parsed));
      expect(written).toBe(serialized(interned));
      expect(JSON.parse(written).items).toHaveLength(ASSESSMENTS.length);
    }
  });

  it('holds when the texts come from the cache (a second page) and when a row has no interned JSON (a filtered page)', () => {
    const texts = new AssessmentTexts();
    pages(texts, null);
    const { parsed, interned } = pages(texts, null);
    expect(GatewayView.pageJson(interned)).toBe(serialized(parsed));
    const plain = { items: parsed.items, nextCursor: null };
    expect(GatewayView.pageJson(plain)).toBe(serialized(parsed));
  });

  it('an empty page is the empty page', () => {
    expect(GatewayView.pageJson({ items: [], nextCursor: null })).toBe(JSON.stringify({ items: [], nextCursor: null }));
  });
});

describe('AssessmentTexts', () => {
  it('parses and serializes a text once: the same text gives the same view and JSON', () => {
    const texts = new AssessmentTexts();
    const text = jsonbText(ASSESSMENTS[2]);
    const first = texts.of(text);
    expect(texts.of(`${text}`)).toBe(first);
    expect(first.view?.checks.map((c) => c.outcome)).toEqual(['FAILED', 'PASSED']);
    expect(JSON.parse(first.json)).toEqual(first.view);
    expect(texts.of(null)).toEqual({ view: null, json: 'null' });
  });

  it('keeps at most its capacity, dropping the least recently used text', () => {
    const texts = new AssessmentTexts(2);
    const [a, b, c] = ['HEALTHY', 'DEGRADED', 'DOWN'].map((health) => jsonbText({ health, checks: [] }));
    const first = texts.of(a!);
    texts.of(b!);
    expect(texts.of(a!)).toBe(first); // a is now the most recent
    texts.of(c!); // b goes, not a
    expect(texts.size).toBe(2);
    expect(texts.of(a!)).toBe(first);
    texts.of(b!); // c goes
    texts.of(c!); // a goes
    expect(texts.size).toBe(2);
    expect(texts.of(a!)).not.toBe(first);
    expect(texts.of(a!)).toEqual(first);
  });
});
