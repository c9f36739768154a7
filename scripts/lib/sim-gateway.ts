import { setTimeout as sleep } from 'node:timers/promises';
import {
  applyConfiguration,
  CommandError,
  GatewayAgent,
  Logger,
  MemoryStateStore,
  StaticInventory,
  type CommandHandler,
  type GatewayType,
  type InventoryReport,
  type NodeReport,
} from '@gateway-control-plane/agent';

/** Why a gateway is or is not heartbeating; a gateway halted by stopping the simulator stays HEARTBEATING. */
export type GatewayState = 'HEARTBEATING' | 'SILENCED' | 'DEREGISTERED' | 'FAILED';

export interface FleetCounters {
  heartbeatsAnswered: number;
  commandsReceived: number;
  commandsSucceeded: number;
  commandsFailed: number;
  errorsByCode: Record<string, number>;
}

/** What the gateways of one simulated fleet share. */
export interface FleetContext {
  url: string;
  jitter: number;
  commandSuccessRate: number;
  commandDurationMs: number;
  /** Commands one gateway runs at the same time. */
  concurrency: number;
  counters: FleetCounters;
  log: (message: string) => void;
  /** After a node is lost, its apps start on the other nodes this much later (Kubernetes rescheduling them). */
  moveAppsAfterMs: number;
  /** A node stopped by STOP_NODE comes back this much later (0 = never). */
  returnNodeAfterMs: number;
}

/** Protocol v1's command types answered by the scripted handler (the validations' have their own below). */
const COMMAND_TYPES = ['RESTART_APP', 'UPGRADE_FIRMWARE', 'APPLY_CONFIGURATION', 'COLLECT_LOGS', 'PING'];

/** A managed resource the simulated network cannot reach: neither discovered nor pinged. */
const unreachable = (resource: string) => /unreachable|\.invalid$/i.test(resource);
const resourcesOf = (parameters: Record<string, unknown>) =>
  Array.isArray(parameters.resources) ? (parameters.resources as string[]) : [];

/** A scripted handler: reports 50%, takes the fleet's command duration, then succeeds at the fleet's rate. */
function scriptedHandler(fleet: FleetContext): CommandHandler {
  return async (context) => {
    await context.progress(50, `simulating ${context.command.type}`);
    await sleep(fleet.commandDurationMs, undefined, { signal: context.signal });
    if (Math.random() >= fleet.commandSuccessRate)
      throw new CommandError('SIMULATED_FAILURE', `simulated failure of ${context.command.type}`);
    if (context.command.type === 'APPLY_CONFIGURATION') return applyConfiguration(context);
    return { ok: true, type: context.command.type };
  };
}

/**
 * One simulated gateway manager: the reference agent (GatewayAgent) with its state in memory, a
 * static node report the scenario may change, and scripted command handlers.
 */
export class SimulatedGateway {
  state: GatewayState = 'HEARTBEATING';
  readonly agent: GatewayAgent;
  readonly inventory: StaticInventory;
  /** Nodes taken out of the report by loseNode, until returnNode. */
  private readonly lost = new Map<string, NodeReport>();
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    readonly name: string,
    /** Its place in the fleet (clusters come first). */
    readonly index: number,
    readonly gatewayType: GatewayType,
    report: InventoryReport,
    activationToken: string,
    fleet: FleetContext,
  ) {
    this.inventory = new StaticInventory(report);
    const handler = scriptedHandler(fleet);
    this.agent = new GatewayAgent({
      url: fleet.url,
      gatewayType,
      name,
      activationToken,
      state: new MemoryStateStore(),
      inventory: this.inventory,
      concurrency: fleet.concurrency,
      heartbeatJitter: fleet.jitter,
      handlers: {
        ...Object.fromEntries(COMMAND_TYPES.map((type) => [type, handler])),
        // The setup validation's commands: every resource is discovered and pinged unless it is "unreachable".
        RUN_DISCOVERY: async ({ command }) => ({
          resources: resourcesOf(command.parameters).map((resource) =>
            unreachable(resource)
              ? { resource, discovered: false, reason: 'no SNMP or WMI answer from the resource' }
              : { resource, discovered: true },
          ),
        }),
        APPLY_PING_MONITORS: async ({ command }) => ({
          resources: resourcesOf(command.parameters).map((resource) =>
            unreachable(resource) ? { resource, pinged: false, reason: 'no ICMP echo reply' } : { resource, pinged: true },
          ),
        }),
        // The node-failure drill: the node goes, its apps move, and it comes back later.
        STOP_NODE: async ({ command }) => {
          const hostname = String(command.parameters.hostname);
          if (!this.loseNode(hostname, fleet.moveAppsAfterMs)) throw new CommandError('NODE_NOT_FOUND', `no running node ${hostname}`);
          if (fleet.returnNodeAfterMs > 0) this.timers.push(setTimeout(() => this.returnNode(hostname), fleet.returnNodeAfterMs));
          return { stopped: hostname };
        },
      },
      // Each agent keeps a few lines for COLLECT_LOGS; the simulator prints its own summary instead.
      logger: new Logger({ level: 'info', write: null, keepLines: 50 }),
    });
    const counters = fleet.counters;
    this.agent.on('heartbeat', () => (counters.heartbeatsAnswered += 1));
    this.agent.on('command', () => (counters.commandsReceived += 1));
    this.agent.on('commandEnded', ({ state }) => {
      if (state === 'SUCCEEDED') counters.commandsSucceeded += 1;
      if (state === 'FAILED') counters.commandsFailed += 1;
    });
    this.agent.on('problem', ({ code }) => (counters.errorsByCode[code] = (counters.errorsByCode[code] ?? 0) + 1));
    this.agent.on('stopped', (stop) => {
      if (stop.reason === 'DEREGISTERED') this.state = 'DEREGISTERED';
      if (stop.reason === 'FAILED') {
        this.state = 'FAILED';
        fleet.log(`${name} stopped: ${stop.code} ${stop.message}`);
      }
    });
  }

  /** Registers and starts heartbeating; rejects with the agent's AgentFatalError when registration is refused. */
  start(): Promise<void> {
    return this.agent.start();
  }

  /** Stops heartbeats, the long poll and command work at once, reporting nothing. */
  halt(reason?: 'SILENCED'): void {
    if (reason) this.state = reason;
    for (const timer of this.timers) clearTimeout(timer);
    this.agent.halt();
  }

  /**
   * A node fails: it leaves the report and the others report it unreachable; `moveAppsAfterMs`
   * later its running apps run on the remaining nodes (spread in turn), as Kubernetes would move them.
   */
  loseNode(hostname: string, moveAppsAfterMs: number): boolean {
    const nodes = this.inventory.report.nodes;
    const node = nodes.find((n) => n.hostname === hostname);
    if (!node || nodes.length < 2) return false;
    this.lost.set(hostname, node);
    this.setNodes(nodes.filter((n) => n !== node).map((n) => reachability(n, hostname, false)));
    const moving = (node.apps ?? []).filter((app) => app.status === 'RUNNING');
    this.timers.push(
      setTimeout(() => {
        const remaining = this.inventory.report.nodes;
        this.setNodes(
          remaining.map((n, i) => ({
            ...n,
            apps: [...(n.apps ?? []), ...moving.filter((_, j) => j % remaining.length === i).map((app) => ({ ...app, restarts: 0 }))],
          })),
        );
      }, moveAppsAfterMs),
    );
    return true;
  }

  /** The lost node is back (with no apps: they stay where they moved); the others reach it again. */
  returnNode(hostname: string): void {
    const node = this.lost.get(hostname);
    if (!node) return;
    this.lost.delete(hostname);
    this.setNodes([...this.inventory.report.nodes.map((n) => reachability(n, hostname, true)), { ...node, apps: [] }]);
  }

  /** The hostnames of the nodes in the report now. */
  get nodeNames(): string[] {
    return this.inventory.report.nodes.map((node) => node.hostname);
  }

  private setNodes(nodes: NodeReport[]): void {
    this.inventory.report = { ...this.inventory.report, nodes };
  }

  /** The last node reports ready:false from now on. */
  failLastNode(): void {
    const nodes = this.inventory.report.nodes;
    this.inventory.report = {
      ...this.inventory.report,
      nodes: nodes.map((node, i) => (i === nodes.length - 1 ? { ...node, ready: false } : node)),
    };
  }
}

/** A node's report of one peer's reachability. */
const reachability = (node: NodeReport, peer: string, reachable: boolean): NodeReport =>
  node.peers ? { ...node, peers: node.peers.map((p) => (p.hostname === peer ? { ...p, reachable } : p)) } : node;
