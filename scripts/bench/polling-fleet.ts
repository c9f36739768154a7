import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { GatewaySession, ProtocolCommand } from '@gateway-control-plane/agent';
import { HttpClient, networkErrorCode, type HttpAnswer } from './http-client.js';

/**
 * Registered gateways holding long polls and running the commands they receive, as lean as the
 * fleet simulator's gateways (scripts/lib/sim-gateway.ts) allow, so that one benchmark process
 * can keep 10,000 polls open next to the service on a small machine: no heartbeats (the service
 * runs with a long interval), node:http instead of fetch. Each gateway loops on
 * `GET /gateway/v1/commands?waitSeconds=25` and polls again as soon as an answer arrives; each
 * command it receives it runs like the simulator: ACKNOWLEDGED, RUNNING 50%, a pause of
 * `commandDurationMs`, SUCCEEDED. Errors are counted by code, never thrown.
 */

export const POLL_WAIT_SECONDS = 25;
/**
 * Generous, so that the figures show how slow the service gets rather than this client's patience:
 * an answer later than this is counted as a TIMEOUT (and an update is then sent again).
 */
const POLL_TIMEOUT_MS = (POLL_WAIT_SECONDS + 95) * 1000;
const UPDATE_TIMEOUT_MS = 120_000;
const UPDATE_ATTEMPTS = 5;
const BACKOFF_BASE_MS = 250;
const BACKOFF_CAP_MS = 5_000;

/** Capped exponential back-off with full jitter, as the protocol asks of gateway managers. */
const backoffMs = (failures: number) => Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** failures);

export class PolledGateway {
  /** performance.now() when the poll now open was sent; null while none is open. */
  pollSentAtMs: number | null = null;
  /** Commands received and not yet reported ended. */
  commandsInFlight = 0;
  readonly seen = new Set<string>();
  started = false;

  constructor(readonly client: GatewaySession) {}

  get id(): string {
    return this.client.gatewayId!;
  }
}

export interface CommandReceipt {
  gateway: PolledGateway;
  command: ProtocolCommand;
  /** performance.now() when the poll answer carrying it had arrived. */
  atMs: number;
}

export interface PollingCounters {
  pollsSent: number;
  commandsReceived: number;
  /** A command handed out again after this gateway had received it (not acknowledged in time). */
  redelivered: number;
  commandsSucceeded: number;
  /** Work given up: an update answered 4xx (409 COMMAND_ALREADY_ENDED, …) or failed every attempt. */
  commandsAbandoned: number;
  /** Failed requests by endpoint and code: `poll 503 SERVICE_UNAVAILABLE`, `update ECONNRESET`, … */
  errors: Record<string, number>;
}

export class PollingFleet {
  readonly gateways: PolledGateway[];
  readonly counters: PollingCounters = {
    pollsSent: 0,
    commandsReceived: 0,
    redelivered: 0,
    commandsSucceeded: 0,
    commandsAbandoned: 0,
    errors: {},
  };
  /** performance.now() when the last SUCCEEDED update was answered; null before the first. */
  lastSucceededAtMs: number | null = null;
  /** Called for every command received the first time, before the gateway works on it. */
  onReceipt: ((receipt: CommandReceipt) => void) | null = null;
  private readonly http: HttpClient;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly halted = new AbortController();

  constructor(
    port: number,
    clients: GatewaySession[],
    private readonly commandDurationMs: number,
  ) {
    this.gateways = clients.map((client) => new PolledGateway(client));
    // Every pause (back-off, a command's run) listens on it: thousands at once are expected.
    setMaxListeners(0, this.halted.signal);
    // One poll per gateway, plus connections for command updates while polls are held.
    this.http = new HttpClient(port, clients.length + 2_000);
  }

  /** Starts the poll loops of gateways [from, to), their first polls spread evenly over `spreadMs` so that they do not expire together. */
  start(from: number, to: number, spreadMs: number): void {
    const count = to - from;
    for (let index = from; index < to; index++) {
      const gateway = this.gateways[index];
      if (gateway.started) continue;
      gateway.started = true;
      const timer = setTimeout(
        () => {
          this.timers.delete(timer);
          void this.pollLoop(gateway);
        },
        (spreadMs * (index - from)) / count,
      );
      this.timers.add(timer);
    }
  }

  /** How many of the gateways [from, to) hold a poll open now. */
  holding(from = 0, to = this.gateways.length): number {
    let count = 0;
    for (let index = from; index < to; index++) if (this.gateways[index].pollSentAtMs !== null) count += 1;
    return count;
  }

  commandsInFlight(): number {
    return this.gateways.reduce((sum, gateway) => sum + gateway.commandsInFlight, 0);
  }

  /** Waits until every gateway of [from, to) holds a poll; throws after `timeoutMs`. */
  async waitUntilHolding(from: number, to: number, timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (this.holding(from, to) < to - from) {
      if (performance.now() > deadline)
        throw new Error(`only ${this.holding(from, to)} of ${to - from} gateways hold a poll after ${timeoutMs} ms`);
      await sleep(100);
    }
  }

  /** Stops every loop, poll and update at once. */
  stop(): void {
    this.halted.abort();
    for (const timer of this.timers) clearTimeout(timer);
    this.http.close();
  }

  private get running(): boolean {
    return !this.halted.signal.aborted;
  }

  private async pollLoop(gateway: PolledGateway): Promise<void> {
    let failures = 0;
    while (this.running) {
      gateway.pollSentAtMs = performance.now();
      this.counters.pollsSent += 1;
      let answer: HttpAnswer<{ commands: ProtocolCommand[] }>;
      try {
        answer = await this.send(gateway, 'GET', `/gateway/v1/commands?waitSeconds=${POLL_WAIT_SECONDS}`, undefined, POLL_TIMEOUT_MS);
      } catch (error) {
        gateway.pollSentAtMs = null;
        if (!this.running) return;
        this.countError('poll', networkErrorCode(error));
        await this.pause(backoffMs(++failures));
        continue;
      }
      gateway.pollSentAtMs = null;
      if (answer.status === 200) {
        failures = 0;
        this.take(gateway, answer.body.commands, answer.atMs);
        continue;
      }
      this.countError('poll', `${answer.status} ${answer.body.code ?? ''}`.trim());
      if (answer.body.code === 'GATEWAY_DEREGISTERED') return;
      if (await this.refreshedToken(gateway, answer)) continue;
      await this.pause(backoffMs(++failures));
    }
  }

  private take(gateway: PolledGateway, commands: ProtocolCommand[], atMs: number): void {
    for (const command of commands) {
      if (gateway.seen.has(command.commandId)) {
        this.counters.redelivered += 1;
        continue;
      }
      gateway.seen.add(command.commandId);
      this.counters.commandsReceived += 1;
      gateway.commandsInFlight += 1;
      this.onReceipt?.({ gateway, command, atMs });
      void this.work(gateway, command);
    }
  }

  private async work(gateway: PolledGateway, command: ProtocolCommand): Promise<void> {
    try {
      const done =
        (await this.report(gateway, command, { state: 'ACKNOWLEDGED' })) &&
        (await this.report(gateway, command, { state: 'RUNNING', progressPercent: 50, message: `running ${command.type}` })) &&
        (await this.pause(this.commandDurationMs)) &&
        (await this.report(gateway, command, { state: 'SUCCEEDED', progressPercent: 100, result: { ok: true } }));
      if (done) {
        this.counters.commandsSucceeded += 1;
        this.lastSucceededAtMs = performance.now();
      } else if (this.running) {
        this.counters.commandsAbandoned += 1;
      }
    } finally {
      gateway.commandsInFlight -= 1;
    }
  }

  /** Posts one update, retrying network errors, 5xx and an expired token; false when the work should stop. */
  private async report(gateway: PolledGateway, command: ProtocolCommand, update: Record<string, unknown>): Promise<boolean> {
    for (let attempt = 1; attempt <= UPDATE_ATTEMPTS && this.running; attempt++) {
      try {
        const answer = await this.send(gateway, 'POST', `/gateway/v1/commands/${command.commandId}/updates`, update, UPDATE_TIMEOUT_MS);
        if (answer.status === 200) return true;
        this.countError('update', `${answer.status} ${answer.body.code ?? ''}`.trim());
        if (await this.refreshedToken(gateway, answer)) continue;
        if (answer.status < 500) return false;
      } catch (error) {
        if (!this.running) return false;
        this.countError('update', networkErrorCode(error));
      }
      if (!(await this.pause(backoffMs(attempt)))) return false;
    }
    return false;
  }

  /** After 401 ACCESS_TOKEN_EXPIRED, gets a new access token: true when the request is worth sending again. */
  private async refreshedToken(gateway: PolledGateway, answer: HttpAnswer<unknown>): Promise<boolean> {
    if (answer.body.code !== 'ACCESS_TOKEN_EXPIRED') return false;
    const refreshed = await gateway.client.refreshToken().catch(() => null);
    return refreshed?.status === 200;
  }

  private send<T>(gateway: PolledGateway, method: string, path: string, body: unknown, timeoutMs: number): Promise<HttpAnswer<T>> {
    return this.http.send<T>(method, path, { authorization: `Bearer ${gateway.client.accessToken}`, body, timeoutMs });
  }

  /** Waits unless the fleet stops first; answers whether it still runs. */
  private async pause(ms: number): Promise<boolean> {
    if (ms > 0) await sleep(ms, undefined, { signal: this.halted.signal }).catch(() => undefined);
    return this.running;
  }

  private countError(endpoint: string, code: string): void {
    const key = `${endpoint} ${code}`;
    this.counters.errors[key] = (this.counters.errors[key] ?? 0) + 1;
  }
}
