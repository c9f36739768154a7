import { setTimeout as sleep } from 'node:timers/promises';
import type { GatewayManagerClient, ProtocolCommand, ProtocolResponse } from './gateway-manager-client.js';

/** Why a gateway is or is not heartbeating; a gateway halted by stopping the simulator stays HEARTBEATING. */
export type GatewayState = 'HEARTBEATING' | 'SILENCED' | 'DEREGISTERED';

export interface FleetCounters {
  heartbeatsSent: number;
  commandsReceived: number;
  commandsSucceeded: number;
  commandsFailed: number;
  errorsByCode: Record<string, number>;
}

/** What the gateways of one simulated fleet share. */
export interface FleetContext {
  jitter: number;
  commandSuccessRate: number;
  commandDurationMs: number;
  counters: FleetCounters;
  /** Turned off by the first 404 from the long-poll endpoint (a service that does not have it yet). */
  pollingEnabled: boolean;
  log: (message: string) => void;
}

const POLL_WAIT_SECONDS = 25;
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_CAP_MS = 60_000;
const UPDATE_ATTEMPTS = 5;

/** Capped exponential back-off with full jitter (protocol section 3), so a fleet never retries in one wave. */
const backoffMs = (failures: number) => Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** failures);

/** One simulated gateway manager: its heartbeat timer, its command long poll and the commands it works on. */
export class SimulatedGateway {
  state: GatewayState = 'HEARTBEATING';
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private heartbeatFailures = 0;
  /** Ends the long poll and any command work at once. */
  private readonly halted = new AbortController();
  private readonly takenCommandIds = new Set<string>();

  constructor(
    readonly client: GatewayManagerClient,
    private readonly fleet: FleetContext,
  ) {}

  /** The first heartbeat comes at a random point of the interval, so the fleet does not beat in one wave. */
  start(intervalSeconds: number): void {
    this.scheduleHeartbeat(Math.random() * intervalSeconds * 1000);
    if (this.fleet.pollingEnabled) void this.pollCommands();
  }

  /** Stops heartbeats, the long poll and command work for good. */
  halt(reason?: Exclude<GatewayState, 'HEARTBEATING'>): void {
    if (this.halted.signal.aborted) return;
    if (reason) this.state = reason;
    clearTimeout(this.heartbeatTimer);
    this.halted.abort();
  }

  private get running(): boolean {
    return !this.halted.signal.aborted;
  }

  private scheduleHeartbeat(delayMs: number): void {
    this.heartbeatTimer = setTimeout(() => void this.heartbeat(), delayMs);
  }

  private async heartbeat(): Promise<void> {
    const delayMs = await this.sendHeartbeat().catch(() => {
      this.countError('NETWORK_ERROR');
      return backoffMs(++this.heartbeatFailures);
    });
    if (this.running) this.scheduleHeartbeat(delayMs);
  }

  /** Sends one heartbeat and answers how long to wait before the next. */
  private async sendHeartbeat(): Promise<number> {
    this.fleet.counters.heartbeatsSent += 1;
    const response = await this.client.heartbeat();
    if (response.status === 200) {
      this.heartbeatFailures = 0;
      this.take(response.body.commands);
      return response.body.nextHeartbeatSeconds * (1 + Math.random() * this.fleet.jitter) * 1000;
    }
    if (await this.retryableAfter(response)) return 0;
    return backoffMs(++this.heartbeatFailures);
  }

  private async pollCommands(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        const response = await this.longPoll();
        if (response.status === 200) {
          failures = 0;
          this.take(response.body.commands);
          continue;
        }
        if (response.status === 404) return this.disablePolling();
        if (await this.retryableAfter(response)) continue;
      } catch {
        if (!this.running) return;
        this.countError('NETWORK_ERROR');
      }
      await this.pause(backoffMs(++failures));
    }
  }

  /** GatewayManagerClient.pollCommands cannot be aborted, and a halted gateway must not hold a poll open. */
  private async longPoll(): Promise<ProtocolResponse<{ commands: ProtocolCommand[] }>> {
    const response = await fetch(`${this.client.baseUrl}/gateway/v1/commands?waitSeconds=${POLL_WAIT_SECONDS}`, {
      headers: { authorization: `Bearer ${this.client.accessToken}` },
      signal: this.halted.signal,
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as { commands: ProtocolCommand[] }, headers: response.headers };
  }

  private disablePolling(): void {
    if (!this.fleet.pollingEnabled) return;
    this.fleet.pollingEnabled = false;
    this.fleet.log('GET /gateway/v1/commands answers 404: long polling is off, commands arrive with heartbeats only');
  }

  /** Commands come by heartbeat and by long poll, so the same one may arrive twice. */
  private take(commands: ProtocolCommand[]): void {
    for (const command of commands) {
      if (this.takenCommandIds.has(command.commandId)) continue;
      this.takenCommandIds.add(command.commandId);
      this.fleet.counters.commandsReceived += 1;
      void this.work(command);
    }
  }

  private async work(command: ProtocolCommand): Promise<void> {
    const proceed =
      (await this.report(command, { state: 'ACKNOWLEDGED' })) &&
      (await this.report(command, { state: 'RUNNING', progressPercent: 50, message: `simulating ${command.type}` })) &&
      (await this.pause(this.fleet.commandDurationMs));
    if (!proceed) return;
    const succeeded = Math.random() < this.fleet.commandSuccessRate;
    const end = succeeded
      ? { state: 'SUCCEEDED', progressPercent: 100, result: { ok: true, type: command.type } }
      : { state: 'FAILED', errorCode: 'SIMULATED_FAILURE', message: `simulated failure of ${command.type}` };
    if (!(await this.report(command, end))) return;
    if (!succeeded) {
      this.fleet.counters.commandsFailed += 1;
      return;
    }
    this.fleet.counters.commandsSucceeded += 1;
    if (command.type === 'APPLY_CONFIGURATION') this.client.configurationVersion = Number(command.parameters.version);
  }

  /** Posts a command update, retrying network errors and 5xx (updates are idempotent); false when the work should stop. */
  private async report(command: ProtocolCommand, update: Record<string, unknown>): Promise<boolean> {
    for (let attempt = 1; attempt <= UPDATE_ATTEMPTS && this.running; attempt++) {
      try {
        const response = await this.client.updateCommand(command.commandId, update);
        if (response.status === 200) return true;
        if (await this.retryableAfter(response)) continue;
        // 409 COMMAND_ALREADY_ENDED (cancelled, timed out) and other 4xx: retrying cannot help.
        if (response.status < 500) return false;
      } catch {
        this.countError('NETWORK_ERROR');
      }
      if (!(await this.pause(backoffMs(attempt)))) return false;
    }
    return false;
  }

  /** Counts an error answer and acts on it: true when a fresh access token makes an immediate retry worthwhile. */
  private async retryableAfter(response: ProtocolResponse<unknown>): Promise<boolean> {
    const code = response.body.code ?? `HTTP_${response.status}`;
    this.countError(code);
    if (code === 'GATEWAY_DEREGISTERED') this.halt('DEREGISTERED');
    if (code !== 'ACCESS_TOKEN_EXPIRED') return false;
    // Loops may refresh at the same time; each gets a valid token, so that is harmless.
    const refreshed = await this.client.refreshToken();
    return refreshed.status === 200 || this.retryableAfter(refreshed);
  }

  /** Waits unless the gateway halts first; answers whether it still runs. */
  private async pause(ms: number): Promise<boolean> {
    await sleep(ms, undefined, { signal: this.halted.signal }).catch(() => undefined);
    return this.running;
  }

  private countError(code: string): void {
    const errors = this.fleet.counters.errorsByCode;
    errors[code] = (errors[code] ?? 0) + 1;
  }
}
