/**
 * The two validations of the cluster guide's FAQ as plain data and pure functions: what a run has
 * seen so far (its report) and what one more look at the gateway changes. The service reads the
 * gateway, calls these, and writes what they answer; nothing here touches a database or a clock.
 */

export const VALIDATION_KINDS = ['SETUP', 'NODE_FAILURE'] as const;
export type ValidationKind = (typeof VALIDATION_KINDS)[number];

export const VALIDATION_STATES = ['RUNNING', 'PASSED', 'FAILED', 'CANCELLED'] as const;
export type ValidationState = (typeof VALIDATION_STATES)[number];

/** Where a running validation is: a setup validation waits for its commands; a drill for the node to go, then for its apps. */
export const VALIDATION_PHASES = ['AWAITING_RESULTS', 'AWAITING_NODE_LOSS', 'AWAITING_RECOVERY', 'ENDED'] as const;
export type ValidationPhase = (typeof VALIDATION_PHASES)[number];

export const isFinal = (state: ValidationState) => state !== 'RUNNING';

// ---- setup validation -------------------------------------------------------------------------

/** One managed resource's outcome: discovered by RUN_DISCOVERY, pinged by the ping monitor APPLY_PING_MONITORS applied. */
export interface ResourceResult {
  resource: string;
  discovered: boolean | null;
  pinged: boolean | null;
  /** Why not, when either is false (the gateway's reason, or the command's end). */
  reason: string | null;
}

/** A command of the run as the service last saw it. */
export interface CommandOutcome {
  state: string;
  ended: boolean;
  errorCode: string | null;
  result: Record<string, unknown> | null;
}

interface PerResource {
  resource?: unknown;
  discovered?: unknown;
  pinged?: unknown;
  reason?: unknown;
}

function perResource(result: Record<string, unknown> | null): Map<string, PerResource> {
  const items = Array.isArray(result?.resources) ? (result.resources as PerResource[]) : [];
  return new Map(
    items.filter((item) => item && typeof item.resource === 'string').map((item) => [(item.resource as string).toLowerCase(), item]),
  );
}

const commandEnd = (type: string, command: CommandOutcome) =>
  `${type} ended ${command.state}${command.errorCode ? ` (${command.errorCode})` : ''}`;

/** One side (discovery or ping) of one resource: the flag and why it is false. */
function sideOf(
  type: string,
  flag: 'discovered' | 'pinged',
  command: CommandOutcome,
  entries: Map<string, PerResource>,
  resource: string,
): { ok: boolean; reason: string | null } {
  if (command.state !== 'SUCCEEDED') return { ok: false, reason: commandEnd(type, command) };
  const entry = entries.get(resource.toLowerCase());
  if (!entry) return { ok: false, reason: `${type} did not report ${resource}` };
  if (entry[flag] === true) return { ok: true, reason: null };
  return { ok: false, reason: typeof entry.reason === 'string' && entry.reason ? entry.reason.slice(0, 500) : `not ${flag}` };
}

/**
 * The setup validation's verdict once both commands ended: per resource, discovered and pinged and
 * why not; PASSED when every resource was both.
 */
export function settleSetup(
  resources: readonly string[],
  discovery: CommandOutcome,
  ping: CommandOutcome,
): { state: 'PASSED' | 'FAILED'; resources: ResourceResult[]; failureReason: string | null } {
  const discoveries = perResource(discovery.result);
  const pings = perResource(ping.result);
  const results = resources.map((resource): ResourceResult => {
    const found = sideOf('RUN_DISCOVERY', 'discovered', discovery, discoveries, resource);
    const pinged = sideOf('APPLY_PING_MONITORS', 'pinged', ping, pings, resource);
    const reasons = [found.ok ? null : `not discovered: ${found.reason}`, pinged.ok ? null : `not pinged: ${pinged.reason}`].filter(
      Boolean,
    );
    return { resource, discovered: found.ok, pinged: pinged.ok, reason: reasons.length ? reasons.join('; ') : null };
  });
  const failed = results.filter((r) => !r.discovered || !r.pinged);
  return {
    state: failed.length ? 'FAILED' : 'PASSED',
    resources: results,
    failureReason: failed.length
      ? `${failed.length} of ${results.length} resource${results.length === 1 ? '' : 's'} not both discovered and pinged: ${failed.map((r) => r.resource).join(', ')}`
      : null,
  };
}

/** Before the commands end (or when they never do): every resource unknown. */
export const pendingResources = (resources: readonly string[]): ResourceResult[] =>
  resources.map((resource) => ({ resource, discovered: null, pinged: null, reason: null }));

// ---- node-failure drill ----------------------------------------------------------------------

/** A node as one look at the gateway finds it. */
export interface ObservedNode {
  hostname: string;
  ipAddress: string;
  state: 'ACTIVE' | 'MISSING';
  ready: boolean;
  apps: { name: string; status: string }[];
}

export interface Observation {
  at: Date;
  gatewayStatus: string;
  lastHeartbeatAt: Date | null;
  nodes: ObservedNode[];
}

/** What the drill has seen: where the apps ran, when the node went, where its apps came back, when it returned. */
export interface DrillReport {
  node: string;
  /** Apps by node when the drill started (the apps RUNNING on each). */
  placement: { node: string; apps: string[] }[];
  /** The apps that ran on the chosen node: those that must come back elsewhere. */
  appsToRecover: string[];
  nodeLostAt: string | null;
  recoveredAt: string | null;
  recoverySeconds: number | null;
  /** Where each app of the lost node runs again. */
  recoveredOn: { app: string; node: string }[];
  /** At the end of a failed drill: the apps not back. */
  appsNotRecovered: string[];
  nodeReturnedAt: string | null;
}

export interface DrillRun {
  state: ValidationState;
  phase: ValidationPhase;
  /** The current phase's deadline. */
  deadlineAt: Date;
  recoveryDeadlineSeconds: number;
  report: DrillReport;
}

export type DrillStep =
  | { kind: 'NONE' }
  /** Something to record (the node's return, a partial recovery) without a change of state. */
  | { kind: 'NOTE'; report: DrillReport; event: 'validation.node_returned' | null }
  | { kind: 'NODE_LOST'; report: DrillReport; deadlineAt: Date }
  | { kind: 'PASSED'; report: DrillReport }
  | { kind: 'FAILED'; report: DrillReport; reason: string };

const runningApps = (node: ObservedNode | undefined) =>
  node ? node.apps.filter((app) => app.status === 'RUNNING').map((app) => app.name) : [];
const isUp = (node: ObservedNode | undefined) => Boolean(node && node.state === 'ACTIVE' && node.ready);

/** The placement when a drill starts: every reported node's running apps, and the chosen node's apps to recover. */
export function drillPlacement(nodes: readonly ObservedNode[], chosen: string): Pick<DrillReport, 'placement' | 'appsToRecover'> {
  const active = nodes.filter((n) => n.state === 'ACTIVE');
  return {
    placement: active
      .map((n) => ({ node: n.hostname, apps: [...new Set(runningApps(n))].sort() }))
      .sort((a, b) => (a.node < b.node ? -1 : 1)),
    appsToRecover: [...new Set(runningApps(active.find((n) => n.hostname === chosen)))].sort(),
  };
}

/**
 * One look at the gateway during a drill. The node is lost when it is missing from the report or
 * not ready; it has recovered when every app it ran is RUNNING on another ready node and the
 * gateway has heartbeated since the loss. Past the phase's deadline it fails, naming what is not
 * back. After the end, only the node's return is still recorded.
 */
export function drillStep(run: DrillRun, seen: Observation): DrillStep {
  const report = run.report;
  const chosen =
    seen.nodes.find((n) => n.hostname === report.node && n.state === 'ACTIVE') ?? seen.nodes.find((n) => n.hostname === report.node);
  const returned = report.nodeLostAt !== null && report.nodeReturnedAt === null && isUp(chosen);
  const withReturn = (r: DrillReport): DrillReport => (returned ? { ...r, nodeReturnedAt: seen.at.toISOString() } : r);

  if (isFinal(run.state))
    return returned ? { kind: 'NOTE', report: withReturn(report), event: 'validation.node_returned' } : { kind: 'NONE' };
  if (seen.gatewayStatus === 'DEREGISTERED') return { kind: 'FAILED', report, reason: 'the gateway was de-registered during the drill' };

  if (run.phase === 'AWAITING_NODE_LOSS') {
    if (!isUp(chosen)) {
      const deadlineAt = new Date(seen.at.getTime() + run.recoveryDeadlineSeconds * 1000);
      return { kind: 'NODE_LOST', report: { ...report, nodeLostAt: seen.at.toISOString() }, deadlineAt };
    }
    if (seen.at >= run.deadlineAt)
      return { kind: 'FAILED', report, reason: `${report.node} did not go down before ${run.deadlineAt.toISOString()}` };
    return { kind: 'NONE' };
  }

  // AWAITING_RECOVERY
  const lostAt = new Date(report.nodeLostAt!);
  const others = seen.nodes.filter((n) => n.hostname !== report.node && isUp(n));
  const recoveredOn = report.appsToRecover.flatMap((app) => {
    const host = others.find((n) => runningApps(n).includes(app));
    return host ? [{ app, node: host.hostname }] : [];
  });
  const notBack = report.appsToRecover.filter((app) => !recoveredOn.some((r) => r.app === app));
  const heartbeating = seen.gatewayStatus === 'CONNECTED' && seen.lastHeartbeatAt !== null && seen.lastHeartbeatAt > lostAt;
  if (!notBack.length && heartbeating) {
    const recoverySeconds = Math.round((seen.at.getTime() - lostAt.getTime()) / 100) / 10;
    return {
      kind: 'PASSED',
      report: withReturn({ ...report, recoveredOn, recoveredAt: seen.at.toISOString(), recoverySeconds, appsNotRecovered: [] }),
    };
  }
  if (seen.at >= run.deadlineAt) {
    const why = [
      notBack.length ? `${notBack.join(', ')} not RUNNING on another node` : null,
      heartbeating ? null : 'the gateway did not keep heartbeating',
    ].filter(Boolean);
    return {
      kind: 'FAILED',
      report: withReturn({ ...report, recoveredOn, appsNotRecovered: notBack }),
      reason: `not recovered within ${run.recoveryDeadlineSeconds} s of losing ${report.node}: ${why.join('; ')}`,
    };
  }
  const changed = returned || recoveredOn.length !== report.recoveredOn.length;
  return changed
    ? { kind: 'NOTE', report: withReturn({ ...report, recoveredOn }), event: returned ? 'validation.node_returned' : null }
    : { kind: 'NONE' };
}
