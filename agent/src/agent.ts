import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Backoff, PROTOCOL_BACKOFF, type BackoffPolicy } from './backoff.js';
import { BUILT_IN_HANDLERS, CommandError, type CommandContext, type CommandHandler } from './handlers.js';
import { retryAfterMs, type ProtocolResponse } from './http.js';
import type { InventoryProvider, InventoryReport } from './inventory/inventory.js';
import { Logger } from './logger.js';
import type { CommandUpdateRequest, Configuration, GatewayType, ProtocolCommand } from './protocol/types.js';
import { GatewaySession } from './session.js';
import { newState, type AgentState, type StateStore } from './state.js';

export interface AgentOptions {
  /** The service's base URL, e.g. http://127.0.0.1:3000. */
  url: string;
  gatewayType: GatewayType;
  /** Where the credentials, the heartbeat sequence and the applied configuration are kept. */
  state: StateStore;
  inventory: InventoryProvider;
  /** Needed only for the first registration (or after a de-registration). */
  activationToken?: string;
  /** The gateway's name at registration; default `<type>-<instance id prefix>`. */
  name?: string;
  softwareVersion?: string;
  /** How many commands run at the same time; default 1 (in queue order). */
  concurrency?: number;
  /** Handlers by command type, on top of (or replacing) the built-in PING, APPLY_CONFIGURATION and COLLECT_LOGS. */
  handlers?: Record<string, CommandHandler>;
  builtInHandlers?: boolean;
  /** Called with each newer configuration before its version is reported as applied; throwing keeps the old version. */
  applyConfiguration?: (configuration: Configuration) => Promise<void> | void;
  /** Long-poll GET /gateway/v1/commands besides heartbeats; default true. */
  longPoll?: boolean;
  pollWaitSeconds?: number;
  /** Share of the heartbeat interval added at random; default 0.1 (protocol v1: up to 10%). */
  heartbeatJitter?: number;
  backoff?: BackoffPolicy;
  /** Refresh the access token this long before it expires (at most 90% of its lifetime); default 300 s or half the lifetime, whichever is shorter. */
  refreshBeforeExpirySeconds?: number;
  /** On stop, how long running commands may finish before they are reported FAILED; default 10 s. */
  shutdownGraceMs?: number;
  logger?: Logger;
  random?: () => number;
}

export type AgentStatus = 'NEW' | 'REGISTERING' | 'RUNNING' | 'STOPPING' | 'STOPPED' | 'DEREGISTERED' | 'FAILED';

/** Why the agent stopped. */
export type StopReason =
  { reason: 'STOPPED' } | { reason: 'HALTED' } | { reason: 'DEREGISTERED' } | { reason: 'FAILED'; code: string; message: string };

/** The agent cannot go on without a person: a refused activation token, credentials that no longer work. */
export class AgentFatalError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Codes that no retry can fix at registration. */
const REGISTRATION_REFUSALS = new Set([
  'ACTIVATION_TOKEN_INVALID',
  'ACTIVATION_TOKEN_EXPIRED',
  'ACTIVATION_TOKEN_REVOKED',
  'ACTIVATION_TOKEN_USED',
  'FEATURE_NOT_ENABLED',
  'PROFILE_HAS_ACTIVE_GATEWAY',
  'INVALID_REQUEST',
]);

/** Thrown inside the agent's loops once it stops; never seen outside. */
class Stopped extends Error {}

interface RunningCommand {
  command: ProtocolCommand;
  abort: AbortController;
  done: Promise<void>;
}

export interface AgentEvents {
  registered: [{ gatewayId: string; retry: boolean }];
  heartbeat: [{ sequence: number; nextHeartbeatSeconds: number }];
  /** An error answer or a network failure, by code (`NETWORK_ERROR`, `HTTP_502`, or the problem's code). */
  problem: [{ code: string; operation: string }];
  command: [ProtocolCommand];
  commandEnded: [{ command: ProtocolCommand; state: 'SUCCEEDED' | 'FAILED' | 'ABANDONED' }];
  configuration: [Configuration];
  stopped: [StopReason];
}

/**
 * The reference gateway manager of protocol v1: registers once and keeps its credentials, keeps an
 * access token fresh, heartbeats on the service's interval with the inventory's node report,
 * applies newer configurations, runs the commands it is sent through registered handlers, and
 * backs off with full jitter when the service is away.
 */
export class GatewayAgent extends EventEmitter<AgentEvents> {
  readonly log: Logger;
  private readonly handlers = new Map<string, CommandHandler>();
  private readonly random: () => number;
  private readonly backoffPolicy: BackoffPolicy;
  private state: AgentState = newState();
  private sessionValue: GatewaySession | null = null;
  private statusValue: AgentStatus = 'NEW';
  /** Ends the heartbeat and poll loops and their waits. */
  private readonly loops = new AbortController();
  /** Ends everything: command updates still being retried, handlers. */
  private readonly hard = new AbortController();
  private readonly queue: ProtocolCommand[] = [];
  private readonly running = new Map<string, RunningCommand>();
  /** Command ids already taken (commands come by heartbeat and by long poll, so one may come twice). */
  private readonly taken = new Set<string>();
  private tokenRefresh: Promise<void> | null = null;
  private heartbeatLoopDone: Promise<void> = Promise.resolve();
  private pollLoopDone: Promise<void> = Promise.resolve();
  private intervalSeconds = 30;
  private resolveDone!: (reason: StopReason) => void;
  /** Resolves once the agent has stopped, with why. */
  readonly done: Promise<StopReason>;

  constructor(readonly options: AgentOptions) {
    super();
    this.log = options.logger ?? new Logger();
    this.random = options.random ?? Math.random;
    this.backoffPolicy = options.backoff ?? PROTOCOL_BACKOFF;
    if (options.builtInHandlers !== false)
      for (const [type, handler] of Object.entries(BUILT_IN_HANDLERS)) this.handlers.set(type, handler);
    for (const [type, handler] of Object.entries(options.handlers ?? {})) this.handlers.set(type, handler);
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    // 'error' is special to EventEmitter; the agent never emits it, so nothing is thrown from emit.
  }

  /** Registers (or replaces) the handler of a command type. */
  handle(type: string, handler: CommandHandler): this {
    this.handlers.set(type, handler);
    return this;
  }

  get status(): AgentStatus {
    return this.statusValue;
  }

  /** The protocol session (gateway id, tokens, boot id); there once start() has begun. */
  get session(): GatewaySession {
    if (!this.sessionValue) throw new Error('the agent has not started');
    return this.sessionValue;
  }

  get gatewayId(): string | undefined {
    return this.state.gatewayId;
  }

  get configurationVersion(): number | undefined {
    return this.sessionValue?.configurationVersion;
  }

  /** The commands being worked on now. */
  get runningCommands(): ProtocolCommand[] {
    return [...this.running.values()].map((entry) => entry.command);
  }

  /**
   * Registers (or reuses the stored credentials), then heartbeats and polls in the background.
   * Resolves once the gateway is registered and has a token; rejects with AgentFatalError when it
   * cannot be (a refused activation token, no credentials and no token).
   */
  async start(): Promise<void> {
    if (this.statusValue !== 'NEW') throw new Error('an agent starts once');
    this.statusValue = 'REGISTERING';
    try {
      this.state = (await this.options.state.load()) ?? newState();
      // The instance id is kept before the first registration is sent, so a lost answer is retried with it.
      await this.options.state.save(this.state);
      const session = new GatewaySession(this.options.url, {
        gatewayType: this.options.gatewayType,
        instanceId: this.state.instanceId,
        name: this.options.name,
        softwareVersion: this.options.softwareVersion,
      });
      session.configurationVersion = this.state.configuration?.version;
      session.restart(this.state.sequence);
      this.sessionValue = session;
      await this.collectInventory();
      await this.connect();
    } catch (error) {
      const fatal = error instanceof AgentFatalError ? error : new AgentFatalError('START_FAILED', (error as Error).message);
      if (!(error instanceof Stopped)) this.finish({ reason: 'FAILED', code: fatal.code, message: fatal.message }, 'FAILED');
      throw error instanceof Stopped ? new AgentFatalError('STOPPED', 'the agent was stopped while starting') : fatal;
    }
    if (this.loops.signal.aborted) return;
    this.statusValue = 'RUNNING';
    this.log.info('running', { gatewayId: this.state.gatewayId, bootId: this.session.bootId, concurrency: this.concurrency });
    this.heartbeatLoopDone = this.heartbeatLoop();
    if (this.options.longPoll !== false) this.pollLoopDone = this.pollLoop();
  }

  /**
   * Stops gracefully: no new heartbeats, polls or commands; running commands get the grace period to
   * finish, then are aborted and reported FAILED (AGENT_STOPPED). The gateway stays registered.
   */
  async stop(options: { graceMs?: number } = {}): Promise<StopReason> {
    if (this.statusValue === 'STOPPING' || this.isOver) return this.done;
    this.statusValue = 'STOPPING';
    this.log.info('stopping', { running: this.running.size, queued: this.queue.length });
    this.loops.abort();
    this.queue.length = 0; // delivered but not acknowledged: the service hands them out again
    const grace = options.graceMs ?? this.options.shutdownGraceMs ?? 10_000;
    const allDone = () => Promise.all([...this.running.values()].map((entry) => entry.done));
    if (this.running.size > 0) {
      const timer = sleep(grace, undefined, { signal: this.hard.signal }).catch(() => undefined);
      await Promise.race([allDone(), timer]);
      for (const entry of this.running.values())
        entry.abort.abort(new CommandError('AGENT_STOPPED', 'the agent stopped before the command finished'));
      // Their FAILED updates get a few seconds more, then everything ends.
      await Promise.race([allDone(), sleep(5_000, undefined, { signal: this.hard.signal }).catch(() => undefined)]);
    }
    await Promise.all([this.heartbeatLoopDone, this.pollLoopDone]);
    await this.options.state.save(this.state).catch((error: unknown) => this.log.error('could not save the state', { error }));
    this.finish({ reason: 'STOPPED' }, 'STOPPED');
    return this.done;
  }

  /** Stops at once, reporting nothing (a crash or a network cut, for simulations). */
  halt(): void {
    if (this.isOver) return;
    this.loops.abort();
    this.finish({ reason: 'HALTED' }, 'STOPPED');
  }

  /** Section 7: the gateway leaves; its credentials are forgotten. */
  async deregister(): Promise<void> {
    const response = await this.authorized('deregister', () => this.session.deregister());
    if (response.status !== 200) throw new Error(`de-registration answered HTTP ${response.status} ${response.body.code ?? ''}`);
    await this.deregistered('de-registered by the agent');
  }

  /** Sends a heartbeat now (besides the regular ones) and applies its answer. */
  async heartbeatNow(): Promise<void> {
    await this.heartbeatOnce(new Backoff(this.backoffPolicy, this.random));
  }

  private get concurrency(): number {
    return Math.max(1, this.options.concurrency ?? 1);
  }

  private get isOver(): boolean {
    return this.statusValue === 'STOPPED' || this.statusValue === 'DEREGISTERED' || this.statusValue === 'FAILED';
  }

  private finish(reason: StopReason, status: AgentStatus): void {
    if (this.isOver) return;
    this.statusValue = status;
    this.loops.abort();
    this.hard.abort();
    for (const entry of this.running.values()) entry.abort.abort(new CommandError('AGENT_STOPPED', 'the agent stopped'));
    this.log.info('stopped', { ...reason });
    this.emit('stopped', reason);
    this.resolveDone(reason);
  }

  // ---- registration and tokens ----

  private async connect(): Promise<void> {
    const { state } = this;
    if (state.gatewayId && state.gatewaySecret && !state.deregisteredAt) {
      this.session.gatewayId = state.gatewayId;
      this.session.gatewaySecret = state.gatewaySecret;
      this.session.profileId = state.profileId ?? null;
      this.session.tenantId = state.tenantId ?? null;
      try {
        await this.refreshToken();
        this.log.info('using the stored credentials', { gatewayId: state.gatewayId });
        return;
      } catch (error) {
        if (!(error instanceof AgentFatalError) || !this.options.activationToken) throw error;
        this.log.warn('the stored credentials no longer work; registering again with the activation token', { code: error.code });
      }
    }
    if (!this.options.activationToken) {
      throw state.deregisteredAt
        ? new AgentFatalError(
            'GATEWAY_DEREGISTERED',
            `this gateway was de-registered at ${state.deregisteredAt}; register again with a new activation token`,
          )
        : new AgentFatalError('NO_CREDENTIALS', 'no stored credentials: the first start needs an activation token');
    }
    await this.register(this.options.activationToken);
  }

  /** Section 1, retried with the same instance id until it is answered (a lost answer is safe to retry). */
  private async register(activationToken: string): Promise<void> {
    const backoff = new Backoff(this.backoffPolicy, this.random);
    for (;;) {
      if (this.loops.signal.aborted) throw new Stopped();
      let delay: number;
      try {
        this.log.info('registering', { instanceId: this.state.instanceId, gatewayType: this.options.gatewayType, name: this.session.name });
        const response = await this.session.register(activationToken);
        if (response.status === 201 || response.status === 200) {
          const body = response.body;
          this.state = {
            instanceId: this.state.instanceId,
            gatewayId: body.gatewayId,
            profileId: body.profileId,
            tenantId: body.tenantId,
            gatewaySecret: body.gatewaySecret,
            sequence: this.session.sequence,
            configuration: this.state.configuration,
          };
          this.session.configurationVersion = this.state.configuration?.version;
          await this.options.state.save(this.state);
          this.intervalSeconds = body.heartbeatIntervalSeconds;
          this.log.info(response.status === 200 ? 'registered (a retry: same gateway, fresh secret)' : 'registered', {
            gatewayId: body.gatewayId,
            profileId: body.profileId,
          });
          this.emit('registered', { gatewayId: body.gatewayId, retry: response.status === 200 });
          if (body.configuration) await this.applyConfiguration(body.configuration);
          return;
        }
        const code = this.problem('register', response);
        if (code && REGISTRATION_REFUSALS.has(code)) throw new AgentFatalError(code, this.refusal(code, response.body.detail));
        delay = this.failureDelay(response, backoff);
      } catch (error) {
        if (error instanceof AgentFatalError || error instanceof Stopped) throw error;
        this.networkProblem('register', error);
        delay = backoff.next();
      }
      this.log.info('registration will be retried', { inMs: delay });
      if (!(await this.pause(delay, this.loops.signal))) throw new Stopped();
    }
  }

  private refusal(code: string, detail: string | undefined): string {
    const advice: Record<string, string> = {
      ACTIVATION_TOKEN_INVALID: 'the activation token is unknown: copy it again from the management profile',
      ACTIVATION_TOKEN_EXPIRED: 'the activation token has expired: mint a new one on the management profile',
      ACTIVATION_TOKEN_REVOKED: 'the activation token was revoked: mint a new one on the management profile',
      ACTIVATION_TOKEN_USED: 'the activation token was used by another gateway: mint a new one',
      FEATURE_NOT_ENABLED: 'the tenant may not register gateway clusters',
      PROFILE_HAS_ACTIVE_GATEWAY: 'the profile already has an active gateway: de-register it first or run a migration',
    };
    return `registration refused (${code}): ${advice[code] ?? detail ?? 'see the service'}`;
  }

  /** Section 2, once at a time; throws AgentFatalError when the credentials no longer work. */
  private refreshToken(): Promise<void> {
    this.tokenRefresh ??= (async () => {
      const backoff = new Backoff(this.backoffPolicy, this.random);
      try {
        for (;;) {
          if (this.hard.signal.aborted) throw new Stopped();
          let delay: number;
          try {
            const response = await this.session.refreshToken();
            if (response.status === 200) {
              this.log.debug('access token refreshed', { expiresIn: response.body.accessTokenExpiresIn });
              return;
            }
            const code = this.problem('token', response);
            if (code === 'GATEWAY_DEREGISTERED') {
              await this.deregistered('the service says this gateway was de-registered');
              throw new Stopped();
            }
            if (response.status === 401 || response.status === 404)
              throw new AgentFatalError(
                code ?? 'GATEWAY_CREDENTIAL_INVALID',
                'the stored gateway secret no longer works (it was reset, or another registration replaced it)',
              );
            delay = this.failureDelay(response, backoff);
          } catch (error) {
            if (error instanceof AgentFatalError || error instanceof Stopped) throw error;
            this.networkProblem('token', error);
            delay = backoff.next();
          }
          if (!(await this.pause(delay, this.hard.signal))) throw new Stopped();
        }
      } finally {
        this.tokenRefresh = null;
      }
    })();
    return this.tokenRefresh;
  }

  /** Refreshes the token when it is about to expire, makes the call, and on a 401 refreshes once and calls again. */
  private async authorized<T>(operation: string, send: () => Promise<ProtocolResponse<T>>): Promise<ProtocolResponse<T>> {
    const session = this.session;
    const lifetime = session.accessTokenLifetimeSeconds;
    const asked = this.options.refreshBeforeExpirySeconds;
    const margin = (asked === undefined ? Math.min(300, lifetime / 2) : Math.min(asked, lifetime * 0.9)) * 1000;
    if (!session.accessToken || Date.now() >= session.accessTokenExpiresAt - margin) await this.fatalAware(this.refreshToken());
    let response = await send();
    if (response.status === 401 && response.body.code !== 'GATEWAY_DEREGISTERED') {
      this.problem(operation, response);
      this.log.info('access token refused; getting a new one', { operation, code: response.body.code });
      await this.fatalAware(this.refreshToken());
      response = await send();
    }
    if (response.status === 401 && response.body.code === 'GATEWAY_DEREGISTERED') {
      this.problem(operation, response);
      await this.deregistered('the service says this gateway was de-registered');
      throw new Stopped();
    }
    return response;
  }

  /** A fatal refresh while running stops the agent. */
  private async fatalAware(refresh: Promise<void>): Promise<void> {
    try {
      await refresh;
    } catch (error) {
      if (error instanceof AgentFatalError) {
        this.log.error(error.message, { code: error.code });
        this.finish({ reason: 'FAILED', code: error.code, message: error.message }, 'FAILED');
        throw new Stopped();
      }
      throw error;
    }
  }

  private async deregistered(why: string): Promise<void> {
    if (this.isOver) return;
    this.log.warn(`${why}: stopping everything`, { gatewayId: this.state.gatewayId });
    this.state = {
      instanceId: this.state.instanceId,
      sequence: this.session.sequence,
      configuration: this.state.configuration,
      deregisteredAt: new Date().toISOString(),
    };
    await this.options.state.save(this.state).catch((error: unknown) => this.log.error('could not save the state', { error }));
    this.finish({ reason: 'DEREGISTERED' }, 'DEREGISTERED');
  }

  // ---- heartbeats and configuration ----

  private async collectInventory(): Promise<void> {
    let report: InventoryReport;
    try {
      report = await this.options.inventory.collect();
    } catch (error) {
      this.log.warn('the inventory failed; reporting the previous node report', { error });
      return;
    }
    const { nodes, cluster, ...rest } = report;
    this.session.nodes = nodes;
    this.session.cluster = cluster;
    this.session.report = rest;
  }

  private async heartbeatLoop(): Promise<void> {
    const backoff = new Backoff(this.backoffPolicy, this.random);
    let delay = 0;
    while (await this.pause(delay, this.loops.signal)) {
      try {
        delay = await this.heartbeatOnce(backoff);
      } catch (error) {
        if (error instanceof Stopped) return;
        this.log.error('heartbeat failed', { error });
        delay = backoff.next();
      }
    }
  }

  /** One heartbeat; answers how long to wait before the next. */
  private async heartbeatOnce(backoff: Backoff): Promise<number> {
    await this.collectInventory();
    try {
      const response = await this.authorized('heartbeat', () => this.session.heartbeat({}, { signal: this.hard.signal }));
      this.state.sequence = this.session.sequence;
      await this.options.state.save(this.state);
      if (response.status !== 200) {
        const code = this.problem('heartbeat', response);
        // A suspended tenant's gateway keeps its credentials and retries on its normal interval.
        if (code === 'TENANT_SUSPENDED') return this.nextHeartbeatMs();
        const delay = this.failureDelay(response, backoff);
        this.log.warn('heartbeat refused; retrying', { status: response.status, code, inMs: delay });
        return delay;
      }
      if (backoff.failures > 0) this.log.info('heartbeats answered again', { afterFailures: backoff.failures });
      backoff.reset();
      const answer = response.body;
      this.intervalSeconds = answer.nextHeartbeatSeconds;
      this.emit('heartbeat', { sequence: this.session.sequence, nextHeartbeatSeconds: answer.nextHeartbeatSeconds });
      this.log.debug('heartbeat answered', { sequence: this.session.sequence, commands: answer.commands?.length ?? 0 });
      this.take(answer.commands ?? []);
      if (answer.configuration && answer.configuration.version > (this.session.configurationVersion ?? -1))
        await this.applyConfiguration(answer.configuration);
      return this.nextHeartbeatMs();
    } catch (error) {
      if (error instanceof Stopped) throw error;
      this.networkProblem('heartbeat', error);
      const delay = backoff.next();
      this.log.warn('heartbeat failed; retrying', { error, inMs: delay, failures: backoff.failures });
      return delay;
    }
  }

  private nextHeartbeatMs(): number {
    return this.intervalSeconds * 1000 * (1 + this.random() * (this.options.heartbeatJitter ?? 0.1));
  }

  private async applyConfiguration(configuration: Configuration): Promise<void> {
    if (configuration.version <= (this.session.configurationVersion ?? -1)) return;
    try {
      await this.options.applyConfiguration?.(configuration);
    } catch (error) {
      this.log.error('could not apply the configuration; keeping the previous one', { version: configuration.version, error });
      return;
    }
    this.session.configurationVersion = configuration.version;
    this.state.configuration = configuration;
    await this.options.state.save(this.state);
    this.log.info('configuration applied', { version: configuration.version });
    this.emit('configuration', configuration);
  }

  // ---- commands ----

  private async pollLoop(): Promise<void> {
    const backoff = new Backoff(this.backoffPolicy, this.random);
    const wait = this.options.pollWaitSeconds ?? 25;
    while (!this.loops.signal.aborted) {
      let delay: number;
      try {
        const response = await this.authorized('poll', () => this.session.pollCommands(wait, { signal: this.loops.signal }));
        if (response.status === 200) {
          backoff.reset();
          this.take(response.body.commands ?? []);
          continue;
        }
        if (response.status === 404) {
          this.log.warn('GET /gateway/v1/commands answers 404: commands arrive with heartbeats only');
          return;
        }
        this.problem('poll', response);
        delay = this.failureDelay(response, backoff);
      } catch (error) {
        if (error instanceof Stopped || this.loops.signal.aborted) return;
        this.networkProblem('poll', error);
        delay = backoff.next();
      }
      if (!(await this.pause(delay, this.loops.signal))) return;
    }
  }

  /** Queues the commands not seen before, in the order given (the service's queue order). */
  private take(commands: ProtocolCommand[]): void {
    for (const command of commands) {
      if (this.taken.has(command.commandId)) continue;
      this.taken.add(command.commandId);
      if (this.taken.size > 10_000) this.taken.delete(this.taken.values().next().value!);
      this.emit('command', command);
      this.log.info('command received', { commandId: command.commandId, type: command.type, sequence: command.sequence });
      this.queue.push(command);
    }
    this.pump();
  }

  private pump(): void {
    while (this.statusValue === 'RUNNING' && this.running.size < this.concurrency && this.queue.length > 0) {
      const command = this.queue.shift()!;
      const abort = new AbortController();
      const entry: RunningCommand = { command, abort, done: Promise.resolve() };
      this.running.set(command.commandId, entry);
      entry.done = this.execute(command, abort).finally(() => {
        this.running.delete(command.commandId);
        this.pump();
      });
    }
  }

  private async execute(command: ProtocolCommand, abort: AbortController): Promise<void> {
    const log = this.log.child({ commandId: command.commandId, type: command.type });
    let end: 'SUCCEEDED' | 'FAILED' | 'ABANDONED' = 'ABANDONED';
    try {
      if (!(await this.report(command, { state: 'ACKNOWLEDGED' }, abort))) return;
      const handler = this.handlers.get(command.type);
      if (!handler) {
        log.warn('no handler for this command type');
        if (
          await this.report(
            command,
            { state: 'FAILED', errorCode: 'UNSUPPORTED_COMMAND', message: `this agent has no handler for ${command.type}` },
            abort,
          )
        )
          end = 'FAILED';
        return;
      }
      if (!(await this.report(command, { state: 'RUNNING', progressPercent: 0 }, abort))) return;
      const limit = setTimeout(
        () => abort.abort(new CommandError('TIMED_OUT', `the command ran past its ${command.timeoutSeconds} s limit`)),
        command.timeoutSeconds * 1000,
      );
      const context: CommandContext = {
        command,
        signal: abort.signal,
        log,
        agent: this,
        progress: async (percent, message) => {
          if (abort.signal.aborted) return;
          const progressPercent = Math.max(0, Math.min(100, Math.round(percent)));
          await this.report(command, { state: 'RUNNING', progressPercent, ...(message ? { message: message.slice(0, 2000) } : {}) }, abort);
        },
      };
      let update: CommandUpdateRequest;
      try {
        const result = await Promise.race([handler(context), aborted(abort.signal)]);
        update = { state: 'SUCCEEDED', progressPercent: 100, result: result ?? {} };
      } catch (error) {
        if (abort.signal.aborted && !(abort.signal.reason instanceof CommandError)) return; // ended on the service's side
        const failure = abort.signal.aborted ? (abort.signal.reason as CommandError) : error;
        const errorCode = failure instanceof CommandError ? failure.code : 'HANDLER_FAILED';
        update = { state: 'FAILED', errorCode, message: String((failure as Error)?.message ?? failure).slice(0, 2000) };
      } finally {
        clearTimeout(limit);
      }
      log.info(`command ${update.state === 'SUCCEEDED' ? 'succeeded' : 'failed'}`, update.errorCode ? { errorCode: update.errorCode } : {});
      if (await this.report(command, update, abort, true)) end = update.state as 'SUCCEEDED' | 'FAILED';
    } catch (error) {
      if (!(error instanceof Stopped)) log.error('command work failed', { error });
    } finally {
      this.emit('commandEnded', { command, state: end });
    }
  }

  /**
   * Section 6, retried until the service answers (only a hard stop ends the retries). False when
   * the work should stop: 409 COMMAND_ALREADY_ENDED (cancelled, timed out), 404, or a refused body.
   */
  private async report(command: ProtocolCommand, update: CommandUpdateRequest, abort: AbortController, final = false): Promise<boolean> {
    const backoff = new Backoff(this.backoffPolicy, this.random);
    for (;;) {
      if (this.hard.signal.aborted || (!final && abort.signal.aborted && !(abort.signal.reason instanceof CommandError))) return false;
      let delay: number;
      try {
        const response = await this.authorized('command-update', () => this.session.updateCommand(command.commandId, update));
        if (response.status === 200) return true;
        const code = this.problem('command-update', response);
        if (response.status === 409 || response.status === 404 || response.status === 400) {
          this.log.warn(
            code === 'COMMAND_ALREADY_ENDED'
              ? 'the command has already ended on the service: stopping its work'
              : 'the service refused the command update',
            {
              commandId: command.commandId,
              state: update.state,
              status: response.status,
              code,
              errors: response.body.errors,
            },
          );
          abort.abort(new Error(code ?? `HTTP_${response.status}`));
          return false;
        }
        delay = this.failureDelay(response, backoff);
      } catch (error) {
        if (error instanceof Stopped) return false;
        this.networkProblem('command-update', error);
        delay = backoff.next();
      }
      if (!(await this.pause(delay, this.hard.signal))) return false;
    }
  }

  // ---- errors and waiting ----

  /** Logs nothing, counts the error answer; answers its code. */
  private problem(operation: string, response: ProtocolResponse<unknown>): string | undefined {
    const code = response.body.code;
    this.emit('problem', { code: code ?? `HTTP_${response.status}`, operation });
    return code;
  }

  private networkProblem(operation: string, error: unknown): void {
    this.emit('problem', { code: 'NETWORK_ERROR', operation });
    this.log.debug('request failed', { operation, error });
  }

  /** The wait after an error answer: Retry-After (503, 429) plus the jittered back-off. */
  private failureDelay(response: ProtocolResponse<unknown>, backoff: Backoff): number {
    return backoff.next(retryAfterMs(response.headers));
  }

  /** Waits unless `signal` fires first; answers whether the wait ran out (true) rather than being cut. */
  private async pause(ms: number, signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return false;
    if (ms <= 0) return true;
    return sleep(ms, true, { signal }).catch(() => false);
  }
}

function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const fail = () => reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    if (signal.aborted) fail();
    signal.addEventListener('abort', fail, { once: true });
  });
}
