#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AgentFatalError, GatewayAgent } from './agent.js';
import type { InventoryProvider } from './inventory/inventory.js';
import { HostInventory } from './inventory/host.js';
import { MicroK8sInventory } from './inventory/microk8s.js';
import { FileInventory } from './inventory/static.js';
import { Logger, type LogLevel } from './logger.js';
import type { ClusterReport, GatewayType } from './protocol/types.js';
import { FileStateStore } from './state.js';

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const HELP = `gateway-agent ${VERSION}: the reference gateway manager of the Gateway Control Plane (protocol v1)

Usage:
  gateway-agent run --url URL --type CLASSIC|CLUSTER --state-dir DIR [--activation-token TOKEN] [options]
  gateway-agent deregister --url URL --state-dir DIR
  gateway-agent --help | --version

run: registers with the activation token the first time (its credentials are kept in
DIR/state.json, mode 0600, and reused on every later start, so the token is needed only once),
then heartbeats, applies newer configurations (kept in DIR/configuration.json) and runs the
commands it is sent, until SIGTERM or SIGINT. Logs are JSON lines on standard output and in
DIR/agent.log.

deregister: the gateway leaves the service (protocol section 7) and forgets its credentials.

Options:
  --url URL                    the service, e.g. http://127.0.0.1:3000 (env GATEWAY_AGENT_URL)
  --activation-token TOKEN     gwat_… from the management profile (env GATEWAY_AGENT_ACTIVATION_TOKEN)
  --type CLASSIC|CLUSTER       the kind of gateway (default CLASSIC)
  --state-dir DIR              where credentials, sequence and configuration are kept (required)
  --name NAME                  the gateway's name at registration (default <type>-<instance id>)
  --inventory SOURCE           host (default for CLASSIC), microk8s (default for CLUSTER), or
                               file:PATH, a JSON file { "nodes": [ … ] } read at every heartbeat
  --load-balancer-ip IP        a cluster's load balancer address, reported at registration
  --nfs-server HOST            a cluster's shared storage server
  --nfs-path PATH              and its export path
  --concurrency N              commands run at the same time (default 1)
  --software-version V         reported to the service (default ${VERSION})
  --refresh-before-expiry S    refresh the access token S seconds before it expires (default 300
                               or half its lifetime, whichever is shorter; at most 90% of it)
  --shutdown-grace S           on SIGTERM, how long running commands may finish (default 10)
  --no-long-poll               take commands from heartbeat answers only
  --log-level LEVEL            debug, info, warn or error (default info)
  -h, --help                   this text
  --version                    the agent's version

Exit codes: 0 stopped by a signal; 2 bad usage; 3 registration refused (ACTIVATION_TOKEN_*,
FEATURE_NOT_ENABLED, PROFILE_HAS_ACTIVE_GATEWAY) or no credentials and no token; 4 the gateway
was de-registered; 5 the stored credentials no longer work, or another fatal error.
`;

const EXIT = { USAGE: 2, REFUSED: 3, DEREGISTERED: 4, FATAL: 5 } as const;

function usage(message: string): never {
  process.stderr.write(`gateway-agent: ${message}\n\nRun gateway-agent --help for the options.\n`);
  process.exit(EXIT.USAGE);
}

function parse() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        url: { type: 'string' },
        'activation-token': { type: 'string' },
        type: { type: 'string', default: 'CLASSIC' },
        'state-dir': { type: 'string' },
        name: { type: 'string' },
        inventory: { type: 'string' },
        'load-balancer-ip': { type: 'string' },
        'nfs-server': { type: 'string' },
        'nfs-path': { type: 'string' },
        concurrency: { type: 'string', default: '1' },
        'software-version': { type: 'string', default: VERSION },
        'refresh-before-expiry': { type: 'string' },
        'shutdown-grace': { type: 'string', default: '10' },
        'no-long-poll': { type: 'boolean', default: false },
        'log-level': { type: 'string', default: 'info' },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    return usage((error as Error).message);
  }
}

function positive(name: string, text: string, { integer = false } = {}): number {
  const value = Number(text);
  if (text.trim() === '' || !(value >= 0) || (integer && !Number.isInteger(value))) usage(`--${name}: ${text} is not a valid number`);
  return value;
}

const { values: args, positionals } = parse();
if (args.help) {
  process.stdout.write(HELP);
  process.exit(0);
}
if (args.version) {
  process.stdout.write(`${VERSION}\n`);
  process.exit(0);
}
const command = positionals[0];
if (command !== 'run' && command !== 'deregister')
  usage(command ? `unknown command "${command}"` : 'a command is needed: run or deregister');
const url = args.url ?? process.env.GATEWAY_AGENT_URL;
if (!url) usage('--url is required');
const stateDir = args['state-dir'];
if (!stateDir) usage('--state-dir is required');
const gatewayType = args.type.toUpperCase() as GatewayType;
if (gatewayType !== 'CLASSIC' && gatewayType !== 'CLUSTER') usage(`--type must be CLASSIC or CLUSTER, not ${args.type}`);
const level = args['log-level'] as LogLevel;
if (!['debug', 'info', 'warn', 'error'].includes(level)) usage(`--log-level must be debug, info, warn or error`);

const cluster: ClusterReport = {
  ...(args['load-balancer-ip'] ? { loadBalancerIp: args['load-balancer-ip'] } : {}),
  ...(args['nfs-server'] ? { nfsServer: args['nfs-server'] } : {}),
  ...(args['nfs-path'] ? { nfsPath: args['nfs-path'] } : {}),
};

function inventory(): InventoryProvider {
  const source = args.inventory ?? (gatewayType === 'CLUSTER' ? 'microk8s' : 'host');
  if (source === 'host') return new HostInventory();
  if (source === 'microk8s') return new MicroK8sInventory({ cluster });
  if (source.startsWith('file:')) {
    const file = new FileInventory(source.slice('file:'.length));
    return { collect: async () => ({ ...(await file.collect()), ...(Object.keys(cluster).length ? { cluster } : {}) }) };
  }
  return usage(`--inventory must be host, microk8s or file:PATH, not ${source}`);
}

const log = new Logger({ level, file: join(stateDir, 'agent.log'), base: { component: 'gateway-agent' } });
const agent = new GatewayAgent({
  url,
  gatewayType,
  state: new FileStateStore(stateDir),
  inventory: inventory(),
  activationToken: args['activation-token'] ?? process.env.GATEWAY_AGENT_ACTIVATION_TOKEN,
  name: args.name,
  softwareVersion: args['software-version'],
  concurrency: Math.max(1, positive('concurrency', args.concurrency, { integer: true })),
  longPoll: !args['no-long-poll'],
  refreshBeforeExpirySeconds:
    args['refresh-before-expiry'] === undefined ? undefined : positive('refresh-before-expiry', args['refresh-before-expiry']),
  shutdownGraceMs: positive('shutdown-grace', args['shutdown-grace']) * 1000,
  applyConfiguration: async (configuration) => {
    await writeFile(join(stateDir, 'configuration.json'), `${JSON.stringify(configuration, null, 2)}\n`, { mode: 0o600 });
  },
  logger: log,
});

function exitCodeOf(code: string): number {
  if (code === 'GATEWAY_DEREGISTERED') return EXIT.DEREGISTERED;
  if (
    code === 'NO_CREDENTIALS' ||
    code.startsWith('ACTIVATION_TOKEN_') ||
    code === 'FEATURE_NOT_ENABLED' ||
    code === 'PROFILE_HAS_ACTIVE_GATEWAY' ||
    code === 'INVALID_REQUEST'
  )
    return EXIT.REFUSED;
  return EXIT.FATAL;
}

let signalled = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (signalled) process.exit(1); // a second signal: at once
    signalled = true;
    log.info(`${signal}: shutting down`);
    void agent.stop();
  });
}

try {
  await agent.start();
  if (command === 'deregister') {
    await agent.deregister();
    log.info('de-registered: the credentials are forgotten');
    process.exit(0);
  }
} catch (error) {
  const code = error instanceof AgentFatalError ? error.code : 'START_FAILED';
  if (code === 'STOPPED') process.exit(0);
  log.error((error as Error).message, { code });
  process.exit(exitCodeOf(code));
}
const reason = await agent.done;
if (reason.reason === 'DEREGISTERED') process.exit(EXIT.DEREGISTERED);
if (reason.reason === 'FAILED') process.exit(exitCodeOf(reason.code));
process.exit(0);
