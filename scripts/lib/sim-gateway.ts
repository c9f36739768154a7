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
}

/** Protocol v1's command types; the simulator answers all of them. */
const COMMAND_TYPES = ['RESTART_APP', 'UPGRADE_FIRMWARE', 'RUN_DISCOVERY', 'APPLY_CONFIGURATION', 'COLLECT_LOGS', 'PING'];

/** A scripted handler: reports 50%, takes the fleet's command duration, then succeeds at the fleet's rate. */
function scriptedHandler(fleet: FleetContext): CommandHandler {
  return async (context) => {
    await context.progress(50, `simulating ${context.command.type}`);
    await sleep(fleet.commandDurationMs, undefined, { signal: context.signal });
    if (Math.random() >= fleet.commandSuccessRate) throw new CommandError('SIMULATED_FAILURE', `simulated failure of ${context.command.type}`);
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

  constructor(
    readonly name: string,
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
      handlers: Object.fromEntries(COMMAND_TYPES.map((type) => [type, handler])),
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
    this.agent.halt();
  }

  /** The last node reports ready:false from now on. */
  failLastNode(): void {
    const nodes = this.inventory.report.nodes;
    this.inventory.report = { ...this.inventory.report, nodes: nodes.map((node, i) => (i === nodes.length - 1 ? { ...node, ready: false } : node)) };
  }
}
