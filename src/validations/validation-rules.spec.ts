import { describe, expect, it } from 'vitest';
import {
  drillPlacement,
  drillStep,
  settleSetup,
  type CommandOutcome,
  type DrillRun,
  type ObservedNode,
  type Observation,
} from './validation-rules.js';

const succeeded = (result: Record<string, unknown>): CommandOutcome => ({ state: 'SUCCEEDED', ended: true, errorCode: null, result });
const ended = (state: string, errorCode: string | null = null): CommandOutcome => ({ state, ended: true, errorCode, result: null });

describe('settleSetup', () => {
  const resources = ['10.1.0.5', 'core-switch.example.net'];
  const discovery = (ok: Record<string, boolean | string>) =>
    succeeded({
      resources: Object.entries(ok).map(([resource, v]) =>
        typeof v === 'string' ? { resource, discovered: false, reason: v } : { resource, discovered: v },
      ),
    });
  const ping = (ok: Record<string, boolean | string>) =>
    succeeded({
      resources: Object.entries(ok).map(([resource, v]) =>
        typeof v === 'string' ? { resource, pinged: false, reason: v } : { resource, pinged: v },
      ),
    });

  it.each<[string, CommandOutcome, CommandOutcome, 'PASSED' | 'FAILED', [string, boolean, boolean, string | null][]]>([
    [
      'every resource discovered and pinged',
      discovery({ '10.1.0.5': true, 'CORE-SWITCH.example.net': true }),
      ping({ '10.1.0.5': true, 'core-switch.example.net': true }),
      'PASSED',
      [
        ['10.1.0.5', true, true, null],
        ['core-switch.example.net', true, true, null],
      ],
    ],
    [
      'a resource the gateway could not discover, with its reason',
      discovery({ '10.1.0.5': 'SNMP timeout (community public)', 'core-switch.example.net': true }),
      ping({ '10.1.0.5': true, 'core-switch.example.net': true }),
      'FAILED',
      [
        ['10.1.0.5', false, true, 'not discovered: SNMP timeout (community public)'],
        ['core-switch.example.net', true, true, null],
      ],
    ],
    [
      'a resource not pinged, and one the ping result leaves out',
      discovery({ '10.1.0.5': true, 'core-switch.example.net': true }),
      ping({ '10.1.0.5': 'no ICMP echo reply' }),
      'FAILED',
      [
        ['10.1.0.5', true, false, 'not pinged: no ICMP echo reply'],
        ['core-switch.example.net', true, false, 'not pinged: APPLY_PING_MONITORS did not report core-switch.example.net'],
      ],
    ],
    [
      'a discovery that failed and a ping monitor that timed out',
      ended('FAILED', 'DISCOVERY_ERROR'),
      ended('TIMED_OUT'),
      'FAILED',
      [
        [
          '10.1.0.5',
          false,
          false,
          'not discovered: RUN_DISCOVERY ended FAILED (DISCOVERY_ERROR); not pinged: APPLY_PING_MONITORS ended TIMED_OUT',
        ],
        [
          'core-switch.example.net',
          false,
          false,
          'not discovered: RUN_DISCOVERY ended FAILED (DISCOVERY_ERROR); not pinged: APPLY_PING_MONITORS ended TIMED_OUT',
        ],
      ],
    ],
    [
      'a result of the wrong shape',
      succeeded({ resources: 'all good' }),
      succeeded({}),
      'FAILED',
      [
        [
          '10.1.0.5',
          false,
          false,
          'not discovered: RUN_DISCOVERY did not report 10.1.0.5; not pinged: APPLY_PING_MONITORS did not report 10.1.0.5',
        ],
        [
          'core-switch.example.net',
          false,
          false,
          'not discovered: RUN_DISCOVERY did not report core-switch.example.net; not pinged: APPLY_PING_MONITORS did not report core-switch.example.net',
        ],
      ],
    ],
  ])('%s', (_, discoveryOutcome, pingOutcome, state, expected) => {
    const verdict = settleSetup(resources, discoveryOutcome, pingOutcome);
    expect(verdict.state).toBe(state);
    expect(verdict.resources.map((r) => [r.resource, r.discovered, r.pinged, r.reason])).toEqual(expected);
    expect(verdict.failureReason === null).toBe(state === 'PASSED');
  });
});

describe('node-failure drill', () => {
  const node = (n: number, apps: string[], overrides: Partial<ObservedNode> = {}): ObservedNode => ({
    hostname: `gw-node-${n}`,
    ipAddress: `10.20.0.${10 + n}`,
    state: 'ACTIVE',
    ready: true,
    apps: apps.map((name) => ({ name, status: 'RUNNING' })),
    ...overrides,
  });
  const t0 = new Date('2026-11-30T12:00:00Z');
  const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
  const seen = (seconds: number, nodes: ObservedNode[], heartbeatAt: number | null = seconds, status = 'CONNECTED'): Observation => ({
    at: at(seconds),
    gatewayStatus: status,
    lastHeartbeatAt: heartbeatAt === null ? null : at(heartbeatAt),
    nodes,
  });
  const start = [node(1, ['vprobe', 'collector']), node(2, ['gateway-manager']), node(3, [])];
  const { placement, appsToRecover } = drillPlacement(start, 'gw-node-1');
  const awaitingLoss = (): DrillRun => ({
    state: 'RUNNING',
    phase: 'AWAITING_NODE_LOSS',
    deadlineAt: at(60),
    recoveryDeadlineSeconds: 30,
    report: {
      node: 'gw-node-1',
      placement,
      appsToRecover,
      nodeLostAt: null,
      recoveredAt: null,
      recoverySeconds: null,
      recoveredOn: [],
      appsNotRecovered: [],
      nodeReturnedAt: null,
    },
  });
  const awaitingRecovery = (): DrillRun => ({
    ...awaitingLoss(),
    phase: 'AWAITING_RECOVERY',
    deadlineAt: at(40),
    report: { ...awaitingLoss().report, nodeLostAt: at(10).toISOString() },
  });

  it('records which apps ran where, and the apps of the chosen node', () => {
    expect(placement).toEqual([
      { node: 'gw-node-1', apps: ['collector', 'vprobe'] },
      { node: 'gw-node-2', apps: ['gateway-manager'] },
      { node: 'gw-node-3', apps: [] },
    ]);
    expect(appsToRecover).toEqual(['collector', 'vprobe']);
  });

  it.each<[string, Observation, string]>([
    ['the node still up', seen(5, start), 'NONE'],
    ['the node missing from the report', seen(5, [node(1, [], { state: 'MISSING', ready: false }), ...start.slice(1)]), 'NODE_LOST'],
    ['the node not ready', seen(5, [node(1, ['vprobe'], { ready: false }), ...start.slice(1)]), 'NODE_LOST'],
    ['the node gone from the list', seen(5, start.slice(1)), 'NODE_LOST'],
    ['the node still up at the deadline', seen(60, start), 'FAILED'],
    ['the gateway de-registered', seen(5, start, 5, 'DEREGISTERED'), 'FAILED'],
  ])('while waiting for the node to go: %s', (_, observation, kind) => {
    const step = drillStep(awaitingLoss(), observation);
    expect(step.kind).toBe(kind);
    if (step.kind === 'NODE_LOST') {
      expect(step.report.nodeLostAt).toBe(observation.at.toISOString());
      expect(step.deadlineAt).toEqual(new Date(observation.at.getTime() + 30_000));
    }
    if (step.kind === 'FAILED') expect(step.reason).toMatch(/did not go down|de-registered/);
  });

  const lost = node(1, [], { state: 'MISSING', ready: false });
  it.each<[string, Observation, string, Partial<Record<string, unknown>>]>([
    ['apps not back yet', seen(15, [lost, node(2, ['gateway-manager']), node(3, [])]), 'NONE', {}],
    [
      'one app back',
      seen(15, [lost, node(2, ['gateway-manager', 'vprobe']), node(3, [])]),
      'NOTE',
      { recoveredOn: [{ app: 'vprobe', node: 'gw-node-2' }] },
    ],
    [
      'every app RUNNING on another node and a heartbeat since the loss',
      seen(22.5, [lost, node(2, ['gateway-manager', 'vprobe']), node(3, ['collector'])]),
      'PASSED',
      {
        recoverySeconds: 12.5,
        recoveredOn: [
          { app: 'collector', node: 'gw-node-3' },
          { app: 'vprobe', node: 'gw-node-2' },
        ],
        recoveredAt: at(22.5).toISOString(),
      },
    ],
    [
      'every app back but no heartbeat since the loss: noted, not passed',
      seen(22, [lost, node(2, ['vprobe']), node(3, ['collector'])], 9),
      'NOTE',
      {
        recoveredOn: [
          { app: 'collector', node: 'gw-node-3' },
          { app: 'vprobe', node: 'gw-node-2' },
        ],
        recoveredAt: null,
      },
    ],
    [
      'an app back only on a node that is not ready',
      seen(22, [lost, node(2, ['vprobe']), node(3, ['collector'], { ready: false })]),
      'NOTE',
      { recoveredOn: [{ app: 'vprobe', node: 'gw-node-2' }] },
    ],
    [
      'an app still not back at the deadline',
      seen(40, [lost, node(2, ['vprobe']), node(3, [])]),
      'FAILED',
      { appsNotRecovered: ['collector'] },
    ],
    [
      'back, but the gateway silent, at the deadline',
      seen(40, [lost, node(2, ['vprobe']), node(3, ['collector'])], 8, 'DISCONNECTED'),
      'FAILED',
      { appsNotRecovered: [] },
    ],
  ])('while waiting for recovery: %s', (_, observation, kind, expected) => {
    const step = drillStep(awaitingRecovery(), observation);
    expect(step.kind).toBe(kind);
    if (step.kind !== 'NONE') expect(step.report).toMatchObject(expected);
    if (step.kind === 'FAILED') expect(step.reason).toMatch(/^not recovered within 30 s of losing gw-node-1: /);
  });

  it('names what did not come back in the failure', () => {
    const step = drillStep(awaitingRecovery(), seen(41, [lost, node(2, []), node(3, [])], 8, 'DISCONNECTED'));
    expect(step).toMatchObject({
      kind: 'FAILED',
      reason:
        'not recovered within 30 s of losing gw-node-1: collector, vprobe not RUNNING on another node; the gateway did not keep heartbeating',
    });
  });

  it("records the node's return, during the drill and after it ended, once", () => {
    const back = [node(1, []), node(2, ['vprobe']), node(3, [])];
    const during = drillStep(awaitingRecovery(), seen(20, back));
    expect(during).toMatchObject({ kind: 'NOTE', event: 'validation.node_returned', report: { nodeReturnedAt: at(20).toISOString() } });
    const passed: DrillRun = { ...awaitingRecovery(), state: 'PASSED', phase: 'ENDED' };
    expect(drillStep(passed, seen(100, back))).toMatchObject({
      kind: 'NOTE',
      event: 'validation.node_returned',
      report: { nodeReturnedAt: at(100).toISOString() },
    });
    expect(drillStep({ ...passed, report: { ...passed.report, nodeReturnedAt: at(100).toISOString() } }, seen(110, back))).toEqual({
      kind: 'NONE',
    });
    expect(drillStep(passed, seen(100, [lost, ...back.slice(1)]))).toEqual({ kind: 'NONE' });
  });
});
