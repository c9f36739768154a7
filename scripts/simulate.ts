import { parseArgs } from 'node:util';
import { FleetSimulator, SIMULATOR_DEFAULTS as DEFAULTS } from './lib/fleet-simulator.js';
import type { KeyCount } from './lib/sim-management.js';

const HELP = `Usage: node dist/scripts/simulate.js --client-id ID --client-secret SECRET [options]

Simulates a fleet of gateway managers in one tenant: creates a management profile per gateway and
runs the reference agent (agent/) for each, with a static node report and scripted command
handlers: it registers over protocol v1, heartbeats, works on the commands it is sent, and a live
summary shows next to the service's own view (GET /api/v1/tenants/{id}/status).

Gateways are not de-registered on exit. Their secrets live only in this process, so they cannot
come back: they turn DISCONNECTED. A re-run with the same --prefix reuses the profiles but skips
those whose gateway is still active (de-register them through the API first).

  --url URL                  service base URL (default ${DEFAULTS.url})
  --client-id ID             API client of a partner or client tenant (required)
  --client-secret SECRET     its secret (required)
  --tenant-id ID             tenant to simulate in (default: the API client's own)
  --gateways N               how many gateways (default ${DEFAULTS.gateways})
  --clusters M               how many of them are 3-node clusters, the rest classic (default half)
  --prefix P                 profile name prefix (default sim-<4 random hex digits>)
  --concurrency C            parallel setup requests (default ${DEFAULTS.concurrency})
  --jitter F                 each wait is nextHeartbeatSeconds * (1 + random * F) (default ${DEFAULTS.jitter})
  --fail-node-after S        S s after setup one node of each cluster reports ready:false (0 = never)
  --silence-after S          S s after setup some gateways stop heartbeating (0 = never)
  --silence-fraction F       the share of gateways that fall silent (default ${DEFAULTS.silenceFraction})
  --duration S               stop S s after setup (default: run until SIGINT or SIGTERM)
  --command-success-rate F   share of commands that end SUCCEEDED, the rest FAILED (default ${DEFAULTS.commandSuccessRate})
  --command-duration-ms MS   how long each command runs (default ${DEFAULTS.commandDurationMs})
  --command-concurrency N    commands one gateway runs at the same time (default ${DEFAULTS.commandConcurrency})
  --single-host-clusters N   the first N clusters run all their nodes on one ESXi host (flagged DISTINCT_HOSTS)
  --bad-fact-clusters N      the next N clusters report one bad value of each prerequisite (storage, peers, egress, ...)
  --lose-node-after S        S s after setup a well-placed cluster loses a node; its apps move (0 = never)
  --drill-after S            S s after setup a node-failure drill runs on a well-placed cluster, which stops the node (0 = never)
  --move-apps-after-ms MS    a lost node's apps run on the other nodes this much later (default ${DEFAULTS.moveAppsAfterMs})
  --return-node-after-ms MS  a node a drill stopped comes back this much later, 0 = never (default ${DEFAULTS.returnNodeAfterMs})
  -h, --help                 show this help
`;

function fail(message: string): never {
  console.error(`${message}\n\n${HELP}`);
  process.exit(2);
}

function numeric(name: string, text: string, { integer = false, max = Number.POSITIVE_INFINITY } = {}): number {
  const value = Number(text);
  if (text.trim() === '' || !(value >= 0 && value <= max) || (integer && !Number.isInteger(value)))
    fail(`--${name}: ${text} is not a valid value`);
  return value;
}

const numberWithDefault = (value: number) => ({ type: 'string', default: String(value) }) as const;
function parseCommandLine() {
  try {
    return parseArgs({
      options: {
        url: { type: 'string', default: DEFAULTS.url },
        'client-id': { type: 'string' },
        'client-secret': { type: 'string' },
        'tenant-id': { type: 'string' },
        gateways: numberWithDefault(DEFAULTS.gateways),
        clusters: { type: 'string' },
        prefix: { type: 'string' },
        concurrency: numberWithDefault(DEFAULTS.concurrency),
        jitter: numberWithDefault(DEFAULTS.jitter),
        'fail-node-after': numberWithDefault(DEFAULTS.failNodeAfterSeconds),
        'silence-after': numberWithDefault(DEFAULTS.silenceAfterSeconds),
        'silence-fraction': numberWithDefault(DEFAULTS.silenceFraction),
        duration: { type: 'string' },
        'command-success-rate': numberWithDefault(DEFAULTS.commandSuccessRate),
        'command-duration-ms': numberWithDefault(DEFAULTS.commandDurationMs),
        'command-concurrency': numberWithDefault(DEFAULTS.commandConcurrency),
        'single-host-clusters': numberWithDefault(DEFAULTS.singleHostClusters),
        'bad-fact-clusters': numberWithDefault(DEFAULTS.badFactClusters),
        'lose-node-after': numberWithDefault(DEFAULTS.loseNodeAfterSeconds),
        'drill-after': numberWithDefault(DEFAULTS.drillAfterSeconds),
        'move-apps-after-ms': numberWithDefault(DEFAULTS.moveAppsAfterMs),
        'return-node-after-ms': numberWithDefault(DEFAULTS.returnNodeAfterMs),
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    return fail((error as Error).message);
  }
}

const args = parseCommandLine().values;
if (args.help) {
  console.log(HELP);
  process.exit(0);
}
if (!args['client-id'] || !args['client-secret']) fail('--client-id and --client-secret are required');

// A terminal gets the summary redrawn in place; a log file gets one line now and then.
const redraw = process.stdout.isTTY;
const SUMMARY_PERIOD_MS = redraw ? 2_000 : 10_000;
const startedAt = performance.now();
let drawnLines = 0;
let previous = { at: startedAt, heartbeatsAnswered: 0 };
let summaryTimer: NodeJS.Timeout | undefined;
let stopping = false;

const gateways = numeric('gateways', args.gateways, { integer: true });
const durationSeconds = args.duration === undefined ? 0 : numeric('duration', args.duration);
const simulator = new FleetSimulator({
  url: args.url,
  clientId: args['client-id'],
  clientSecret: args['client-secret'],
  tenantId: args['tenant-id'],
  gateways,
  clusters: args.clusters === undefined ? undefined : numeric('clusters', args.clusters, { integer: true, max: gateways }),
  prefix: args.prefix,
  concurrency: Math.max(1, numeric('concurrency', args.concurrency, { integer: true })),
  jitter: numeric('jitter', args.jitter),
  failNodeAfterSeconds: numeric('fail-node-after', args['fail-node-after']),
  silenceAfterSeconds: numeric('silence-after', args['silence-after']),
  silenceFraction: numeric('silence-fraction', args['silence-fraction'], { max: 1 }),
  commandSuccessRate: numeric('command-success-rate', args['command-success-rate'], { max: 1 }),
  commandDurationMs: numeric('command-duration-ms', args['command-duration-ms']),
  commandConcurrency: Math.max(1, numeric('command-concurrency', args['command-concurrency'], { integer: true })),
  singleHostClusters: numeric('single-host-clusters', args['single-host-clusters'], { integer: true }),
  badFactClusters: numeric('bad-fact-clusters', args['bad-fact-clusters'], { integer: true }),
  loseNodeAfterSeconds: numeric('lose-node-after', args['lose-node-after']),
  drillAfterSeconds: numeric('drill-after', args['drill-after']),
  moveAppsAfterMs: numeric('move-apps-after-ms', args['move-apps-after-ms']),
  returnNodeAfterMs: numeric('return-node-after-ms', args['return-node-after-ms']),
  log: (message) => {
    clearSummary();
    console.error(`[sim] ${message}`);
  },
});

const listCounts = (counts: KeyCount[]) => counts.map(({ key, count }) => `${key} ${count}`).join(', ') || 'none';

/** A header line, then what the simulator did and what the service sees. */
async function summary(): Promise<string[]> {
  const stats = simulator.stats();
  const now = performance.now();
  const heartbeatsPerSecond = ((stats.heartbeatsAnswered - previous.heartbeatsAnswered) * 1000) / (now - previous.at);
  previous = { at: now, heartbeatsAnswered: stats.heartbeatsAnswered };
  const server = await simulator.fleetStatus().catch((error: unknown) => `unavailable (${(error as Error).message})`);
  const errors = listCounts(Object.entries(stats.errorsByCode).map(([key, count]) => ({ key, count })));
  return [
    `[sim ${Math.round((now - startedAt) / 1000)}s]`,
    `gateways: ${stats.registered} registered, ${stats.heartbeating} heartbeating, ${stats.silenced} silenced, ${stats.deregistered} deregistered` +
      (stats.failed ? `, ${stats.failed} failed` : '') +
      (stats.skipped ? `, ${stats.skipped} skipped` : ''),
    `heartbeats: ${stats.heartbeatsAnswered} answered (${heartbeatsPerSecond.toFixed(1)}/s); errors: ${errors}`,
    `commands: ${stats.commandsReceived} received, ${stats.commandsSucceeded} succeeded, ${stats.commandsFailed} failed`,
    typeof server === 'string'
      ? `server: ${server}`
      : `server: by status ${listCounts(server.gatewaysByStatus)}; by health ${listCounts(server.gatewaysByHealth)}; ` +
        `${server.profilesNotRegistered} of ${server.profiles} profiles not registered`,
  ];
}

function clearSummary(): void {
  if (drawnLines) process.stdout.write(`\x1b[${drawnLines}F\x1b[J`);
  drawnLines = 0;
}

async function showSummary(): Promise<void> {
  const [header, ...lines] = await summary();
  if (stopping) return;
  if (redraw) {
    clearSummary();
    console.log([header, ...lines].join('\n'));
    drawnLines = lines.length + 1;
  } else {
    console.log(`${header} ${lines.join(' | ')}`);
  }
}

function scheduleSummary(): void {
  summaryTimer = setTimeout(() => void showSummary().then(() => !stopping && scheduleSummary()), SUMMARY_PERIOD_MS);
}

async function shutdown(reason: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  clearTimeout(summaryTimer);
  simulator.stop();
  clearSummary();
  console.log(`${reason}: stopped; the gateways stay registered and will turn DISCONNECTED`);
  console.log((await summary()).join('\n'));
  process.exit(0);
}

// A second signal finds no handler and ends the process at once.
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));

try {
  await simulator.start();
} catch (error) {
  console.error(`[sim] setup failed: ${(error as Error).message}`);
  simulator.stop();
  process.exit(1);
}
if (durationSeconds > 0) setTimeout(() => void shutdown(`${durationSeconds} s passed`), durationSeconds * 1000);
scheduleSummary();
