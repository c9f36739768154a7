import { randomBytes } from 'node:crypto';
import { forEachConcurrently } from '../bench/fleet.js';
import { AgentFatalError, type NodeReport } from '@gateway-control-plane/agent';
import { healthyNode, onOneHost, SAMPLE_CLUSTER, withBadPrerequisites, withPrerequisites } from './nodes.js';
import { type FleetContext, type FleetCounters, type GatewayState, SimulatedGateway } from './sim-gateway.js';
import { type ApiCredentials, type FleetStatus, ManagementApi } from './sim-management.js';

export const SIMULATOR_DEFAULTS = {
  url: 'http://127.0.0.1:3000',
  gateways: 10,
  concurrency: 20,
  jitter: 0.1,
  /** 0 = never; counted, like silenceAfterSeconds, from the end of setup. */
  failNodeAfterSeconds: 0,
  silenceAfterSeconds: 0,
  silenceFraction: 0.2,
  commandSuccessRate: 0.9,
  commandDurationMs: 2_000,
  /** Commands one gateway runs at the same time. */
  commandConcurrency: 1,
  /** The first clusters run all their nodes on one physical host (DISTINCT_HOSTS fails). */
  singleHostClusters: 0,
  /** The next clusters report one bad value of each prerequisite fact. */
  badFactClusters: 0,
  /** S s after setup, the first well-placed cluster loses its first node, whose apps then move (0 = never). */
  loseNodeAfterSeconds: 0,
  /** S s after setup, a node-failure drill starts on the first well-placed cluster, which stops the node itself (0 = never). */
  drillAfterSeconds: 0,
  /** A lost node's apps run on the other nodes this much later. */
  moveAppsAfterMs: 3_000,
  /** A node stopped by a drill comes back this much later (0 = never). */
  returnNodeAfterMs: 15_000,
};

export interface SimulatorOptions extends Partial<typeof SIMULATOR_DEFAULTS> {
  /** An API client of a partner or client tenant. */
  clientId: string;
  clientSecret: string;
  /** Default: the API client's own tenant. */
  tenantId?: string;
  /** How many of the gateways are 3-node clusters; default half. */
  clusters?: number;
  /** Profile names are `<prefix>-001`, …; default `sim-<4 random hex digits>`. */
  prefix?: string;
  log?: (message: string) => void;
}

export interface SimulatorStats extends FleetCounters {
  registered: number;
  heartbeating: number;
  silenced: number;
  deregistered: number;
  /** Gateways whose agent stopped on a fatal error (credentials that no longer work). */
  failed: number;
  /** Profiles that already had an active gateway (a previous run's). */
  skipped: number;
}

const CLUSTER_NODES = 3;

/** The apps of a cluster's nodes, one each, so a lost node's app visibly moves. */
const CLUSTER_APPS = ['vprobe', 'collector', 'gateway-manager'];

/**
 * Node addresses 10.<hi>.<lo>.11-13 that no other gateway of the fleet reports, each reporting the
 * cluster guide's prerequisites (well met, unless `facts` says otherwise).
 */
function nodesOf(gatewayIndex: number, nodeCount: number, name: string, facts: 'GOOD' | 'ONE_HOST' | 'BAD' = 'GOOD'): NodeReport[] {
  const nodes = Array.from({ length: nodeCount }, (_, node) =>
    healthyNode(node + 1, {
      hostname: `${name}-node-${node + 1}`,
      ipAddress: `10.${(gatewayIndex >> 8) & 255}.${gatewayIndex & 255}.${11 + node}`,
      ...(nodeCount > 1 ? { apps: [{ name: CLUSTER_APPS[node % CLUSTER_APPS.length]!, status: 'RUNNING', restarts: 0 }] } : {}),
    }),
  );
  const reported = withPrerequisites(nodes);
  return facts === 'ONE_HOST' ? onOneHost(reported, `${name}-host`) : facts === 'BAD' ? withBadPrerequisites(reported) : reported;
}

/** `count` distinct items picked at random (a partial Fisher–Yates shuffle). */
function pickRandom<T>(items: readonly T[], count: number): T[] {
  const pool = [...items];
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(Math.random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, count);
}

/**
 * A fleet of simulated gateway managers in one tenant, provisioned through the management API, each
 * the reference agent (agent/) with a static inventory and scripted handlers. Stopping leaves the
 * gateways registered.
 */
export class FleetSimulator {
  readonly settings: typeof SIMULATOR_DEFAULTS & { clusters: number; prefix: string };
  private readonly fleet: FleetContext;
  private readonly gateways: SimulatedGateway[] = [];
  private readonly scenarioTimers: NodeJS.Timeout[] = [];
  private readonly log: (message: string) => void;
  private readonly credentials: ApiCredentials;
  private management: ManagementApi | null = null;
  private readonly requestedTenantId: string | undefined;
  private tenantId = '';
  private skipped = 0;
  private stopped = false;

  constructor(options: SimulatorOptions) {
    const { clientId, clientSecret, tenantId, clusters, prefix, log, ...tunables } = options;
    const settings = { ...SIMULATOR_DEFAULTS, ...tunables };
    this.settings = {
      ...settings,
      clusters: clusters ?? Math.floor(settings.gateways / 2),
      prefix: prefix ?? `sim-${randomBytes(2).toString('hex')}`,
    };
    if (this.settings.clusters > settings.gateways) throw new Error('clusters cannot outnumber gateways');
    this.credentials = { clientId, clientSecret };
    this.requestedTenantId = tenantId;
    this.log = log ?? ((message) => console.error(message));
    const { url, jitter, commandSuccessRate, commandDurationMs, commandConcurrency, moveAppsAfterMs, returnNodeAfterMs } = this.settings;
    if (this.settings.singleHostClusters + this.settings.badFactClusters > this.settings.clusters)
      throw new Error('single-host and bad-fact clusters cannot outnumber clusters');
    const counters = { heartbeatsAnswered: 0, commandsReceived: 0, commandsSucceeded: 0, commandsFailed: 0, errorsByCode: {} };
    this.fleet = {
      url,
      jitter,
      commandSuccessRate,
      commandDurationMs,
      concurrency: commandConcurrency,
      counters,
      log: this.log,
      moveAppsAfterMs,
      returnNodeAfterMs,
    };
  }

  /** Provisions and registers the fleet (each gateway heartbeats as soon as it is registered), then arms the scenario. */
  async start(): Promise<void> {
    const { url, gateways, clusters, prefix, concurrency, failNodeAfterSeconds, silenceAfterSeconds } = this.settings;
    this.management = await ManagementApi.connect(url, this.credentials);
    this.tenantId = this.requestedTenantId ?? this.management.ownTenantId;
    const tenant = await this.management.tenant(this.tenantId);
    if (clusters > 0 && !tenant.features.gatewayClustering)
      throw new Error(`tenant "${tenant.name}" does not have gateway clustering enabled`);
    this.log(
      `registering ${gateways} gateways, ${clusters} of them clusters, as ${prefix}-* in tenant "${tenant.name}" (${this.tenantId})`,
    );
    await forEachConcurrently(gateways, concurrency, (index) => this.registerGateway(index));
    if (this.stopped) return;
    this.log(`${this.gateways.length} gateways registered, ${this.skipped} skipped`);
    this.schedule(failNodeAfterSeconds, () => this.failOneNodePerCluster());
    this.schedule(silenceAfterSeconds, () => this.silenceSome());
    this.schedule(this.settings.loseNodeAfterSeconds, () => this.loseOneNode());
    this.schedule(
      this.settings.drillAfterSeconds,
      () => void this.drill().catch((error: unknown) => this.log(`drill: ${(error as Error).message}`)),
    );
    if (this.settings.singleHostClusters + this.settings.badFactClusters > 0)
      setTimeout(() => void this.showFlagged().catch(() => undefined), 1_000);
  }

  /** The clusters reporting well-placed nodes and good facts: those a node may be lost from. */
  private wellPlacedClusters(): SimulatedGateway[] {
    const { singleHostClusters, badFactClusters } = this.settings;
    return this.gateways.filter(
      (gateway) =>
        gateway.gatewayType === 'CLUSTER' && gateway.index >= singleHostClusters + badFactClusters && gateway.state === 'HEARTBEATING',
    );
  }

  /** The first well-placed cluster loses its first node; its apps move to the others. */
  private loseOneNode(): void {
    const [gateway] = this.wellPlacedClusters();
    const [node] = gateway?.nodeNames ?? [];
    if (!gateway || !node || !gateway.loseNode(node, this.settings.moveAppsAfterMs)) return this.log('no cluster to lose a node from');
    this.log(`${gateway.name} lost ${node}; its apps move to the other nodes in ${this.settings.moveAppsAfterMs} ms`);
  }

  /** Says what the service found wrong with the clusters that report bad placement or bad facts. */
  private async showFlagged(): Promise<void> {
    for (const gateway of this.gateways.filter(
      (g) => g.gatewayType === 'CLUSTER' && g.index < this.settings.singleHostClusters + this.settings.badFactClusters,
    )) {
      const view = await this.management!.gateway(this.tenantId, gateway.agent.gatewayId!);
      const failed = view.assessment.checks.filter((check) => check.outcome === 'FAILED');
      this.log(`${gateway.name} is ${view.health}: ${failed.map((check) => `${check.check} (${check.message})`).join('; ')}`);
    }
  }

  /**
   * A node-failure drill on the first well-placed cluster, asking the gateway to stop the node
   * (STOP_NODE): the simulated gateway loses it, moves its apps, and brings the node back later.
   * Logs each change of the run until it ended and the node's return was recorded.
   */
  private async drill(): Promise<void> {
    const [gateway] = this.wellPlacedClusters();
    const [node] = gateway?.nodeNames ?? [];
    if (!gateway || !node || !this.management) return this.log('no cluster to drill');
    let run = await this.management.startDrill(this.tenantId, gateway.agent.gatewayId!, { node, stopNode: true });
    this.log(
      `node-failure drill ${run.id} on ${gateway.name}: ${node} will be stopped; apps by node ${run.drill.placement.map((p) => `${p.node} [${p.apps.join(', ')}]`).join(', ')}`,
    );
    let said = '';
    while (!this.stopped) {
      const now = `${run.state} ${run.phase}${run.drill.nodeReturnedAt ? ' node returned' : ''}`;
      if (now !== said) {
        said = now;
        if (run.state === 'PASSED')
          this.log(
            `drill PASSED: recovered in ${run.drill.recoverySeconds} s (${run.drill.recoveredOn.map((r) => `${r.app} on ${r.node}`).join(', ')})`,
          );
        else if (run.state === 'FAILED') this.log(`drill FAILED: ${run.failureReason}`);
        else this.log(`drill ${run.phase.toLowerCase().replaceAll('_', ' ')}`);
        if (run.drill.nodeReturnedAt) this.log(`drill: ${node} returned at ${run.drill.nodeReturnedAt}`);
      }
      if (run.state !== 'RUNNING' && (run.drill.nodeReturnedAt || this.settings.returnNodeAfterMs === 0)) return;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      run = await this.management.validation(this.tenantId, run.id);
    }
  }

  /** Stops every timer, long poll and command; gateways stay registered, since their secrets end with this process. */
  stop(): void {
    this.stopped = true;
    for (const timer of this.scenarioTimers) clearTimeout(timer);
    for (const gateway of this.gateways) gateway.halt();
  }

  stats(): SimulatorStats {
    const inState = (state: GatewayState) => this.gateways.filter((gateway) => gateway.state === state).length;
    const counters = this.fleet.counters;
    return {
      ...counters,
      errorsByCode: { ...counters.errorsByCode },
      registered: this.gateways.length,
      heartbeating: inState('HEARTBEATING'),
      silenced: inState('SILENCED'),
      deregistered: inState('DEREGISTERED'),
      failed: inState('FAILED'),
      skipped: this.skipped,
    };
  }

  /** The service's own view of the tenant's fleet. */
  fleetStatus(): Promise<FleetStatus> {
    if (!this.management) throw new Error('the simulator has not started');
    return this.management.fleetStatus(this.tenantId);
  }

  private async registerGateway(index: number): Promise<void> {
    if (this.stopped || !this.management) return;
    const { clusters, gateways, prefix } = this.settings;
    const name = `${prefix}-${String(index + 1).padStart(String(gateways).length, '0')}`;
    const gatewayType = index < clusters ? 'CLUSTER' : 'CLASSIC';
    const activationToken = await this.management.activationToken(this.tenantId, name);
    const { singleHostClusters, badFactClusters } = this.settings;
    const facts = index < singleHostClusters ? 'ONE_HOST' : index < singleHostClusters + badFactClusters ? 'BAD' : 'GOOD';
    const nodes = nodesOf(index, gatewayType === 'CLUSTER' ? CLUSTER_NODES : 1, name, gatewayType === 'CLUSTER' ? facts : 'GOOD');
    const gateway = new SimulatedGateway(
      name,
      index,
      gatewayType,
      { nodes, ...(gatewayType === 'CLUSTER' ? { cluster: SAMPLE_CLUSTER } : {}) },
      activationToken,
      this.fleet,
    );
    if (this.stopped) return;
    try {
      await gateway.start();
    } catch (error) {
      if (error instanceof AgentFatalError && error.code === 'PROFILE_HAS_ACTIVE_GATEWAY') {
        this.skipped += 1;
        this.log(`skipping ${name}: its profile already has an active gateway (from an earlier run?)`);
        return;
      }
      if (error instanceof AgentFatalError && error.code === 'STOPPED') return;
      throw new Error(`register ${name}: ${(error as Error).message}`, { cause: error });
    }
    this.gateways.push(gateway);
    if (this.stopped) gateway.halt();
  }

  private schedule(afterSeconds: number, action: () => void): void {
    if (afterSeconds > 0) this.scenarioTimers.push(setTimeout(action, afterSeconds * 1000));
  }

  /** The last node of each cluster reports ready:false from now on, which makes its cluster DEGRADED. */
  private failOneNodePerCluster(): void {
    const clusters = this.gateways.filter((gateway) => gateway.gatewayType === 'CLUSTER');
    for (const gateway of clusters) gateway.failLastNode();
    this.log(`one node of each of ${clusters.length} clusters now reports ready:false`);
  }

  /** Some gateways stop heartbeating (and polling), so the service turns them DISCONNECTED. */
  private silenceSome(): void {
    const heartbeating = this.gateways.filter((gateway) => gateway.state === 'HEARTBEATING');
    const silenced = pickRandom(heartbeating, Math.round(heartbeating.length * this.settings.silenceFraction));
    for (const gateway of silenced) gateway.halt('SILENCED');
    this.log(`${silenced.length} gateways fall silent`);
  }
}
