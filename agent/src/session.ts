import { randomUUID } from 'node:crypto';
import { call, type ProtocolResponse } from './http.js';
import type {
  ClusterReport,
  CommandUpdateRequest,
  CommandUpdateResponse,
  GatewayType,
  HeartbeatRequest,
  HeartbeatResponse,
  NodeReport,
  PollCommandsResponse,
  RegisterRequest,
  RegisterResponse,
  TokenResponse,
} from './protocol/types.js';

export interface SessionOptions {
  gatewayType: GatewayType;
  /** The gateway's name at registration; default `<type>-<first 8 characters of the instance id>`. */
  name?: string;
  /** Made once when the gateway manager is installed; default a new UUID. */
  instanceId?: string;
  softwareVersion?: string;
}

/**
 * A gateway's side of protocol v1, one call per method, each answering the raw HTTP response: the
 * wire layer of GatewayAgent, and what tests use to speak the protocol step by step. It keeps what
 * the answers give it (gateway id, secret, access token, configuration version) and the heartbeat's
 * boot id and sequence; it never retries and never sleeps.
 */
export class GatewaySession {
  readonly instanceId: string;
  readonly gatewayType: GatewayType;
  name: string;
  softwareVersion: string;
  gatewayId: string | null = null;
  profileId: string | null = null;
  tenantId: string | null = null;
  gatewaySecret: string | null = null;
  accessToken: string | null = null;
  /** Epoch milliseconds when the access token expires, as the service said. */
  accessTokenExpiresAt = 0;
  /** The lifetime the service gave the last access token, in seconds. */
  accessTokenLifetimeSeconds = 0;
  bootId: string = randomUUID();
  /** The sequence of the last heartbeat sent. */
  sequence = 0;
  configurationVersion: number | undefined;
  /** What the next registration and heartbeat report. */
  nodes: NodeReport[];
  cluster: ClusterReport | undefined;
  /** More heartbeat fields the inventory reports (the protocol only ever adds optional ones). */
  report: Partial<HeartbeatRequest> = {};

  constructor(
    readonly baseUrl: string,
    options: SessionOptions,
    nodes: NodeReport[] = [],
  ) {
    this.instanceId = options.instanceId ?? randomUUID();
    this.gatewayType = options.gatewayType;
    this.name = options.name ?? `${options.gatewayType.toLowerCase()}-${this.instanceId.slice(0, 8)}`;
    this.softwareVersion = options.softwareVersion ?? '0.9.6';
    this.nodes = nodes;
  }

  /** Section 1. `extra` is merged into the body as is (tests send odd bodies with it). */
  async register(activationToken: string, extra: Record<string, unknown> = {}): Promise<ProtocolResponse<RegisterResponse>> {
    const body: RegisterRequest = {
      activationToken,
      gatewayType: this.gatewayType,
      instanceId: this.instanceId,
      name: this.name,
      softwareVersion: this.softwareVersion,
      nodes: this.nodes,
      ...(this.gatewayType === 'CLUSTER' && this.cluster ? { cluster: this.cluster } : {}),
    };
    const response = await call<RegisterResponse>(this.baseUrl, 'POST', '/gateway/v1/register', { ...body, ...extra });
    if (response.status === 201 || response.status === 200) {
      this.gatewayId = response.body.gatewayId;
      this.profileId = response.body.profileId;
      this.tenantId = response.body.tenantId;
      this.gatewaySecret = response.body.gatewaySecret;
      this.keepToken(response.body.accessToken, response.body.accessTokenExpiresIn);
      this.configurationVersion = response.body.configuration?.version;
    }
    return response;
  }

  /** Section 2: a fresh access token for the gateway id and secret. */
  async refreshToken(): Promise<ProtocolResponse<TokenResponse>> {
    const response = await call<TokenResponse>(this.baseUrl, 'POST', '/gateway/v1/token', {
      gatewayId: this.gatewayId,
      gatewaySecret: this.gatewaySecret,
    });
    if (response.status === 200) this.keepToken(response.body.accessToken, response.body.accessTokenExpiresIn);
    return response;
  }

  /** Section 3: the next heartbeat of this boot; `overrides` replace body fields (a test's clock drift, an odd node). */
  async heartbeat(
    overrides: Record<string, unknown> = {},
    options: { signal?: AbortSignal } = {},
  ): Promise<ProtocolResponse<HeartbeatResponse>> {
    this.sequence += 1;
    const body: HeartbeatRequest = {
      ...this.report,
      bootId: this.bootId,
      sequence: this.sequence,
      sentAt: new Date().toISOString(),
      softwareVersion: this.softwareVersion,
      ...(this.configurationVersion !== undefined ? { configurationVersion: this.configurationVersion } : {}),
      nodes: this.nodes,
    };
    return call<HeartbeatResponse>(this.baseUrl, 'POST', '/gateway/v1/heartbeat', { ...body, ...overrides }, this.auth(), options);
  }

  /** The gateway manager restarted: a new boot id; the sequence starts again unless `sequence` is given. */
  restart(sequence = 0): void {
    this.bootId = randomUUID();
    this.sequence = sequence;
  }

  /** Section 4: waits up to `waitSeconds` (0–30) for commands. */
  async pollCommands(waitSeconds = 0, options: { signal?: AbortSignal } = {}): Promise<ProtocolResponse<PollCommandsResponse>> {
    return call<PollCommandsResponse>(this.baseUrl, 'GET', `/gateway/v1/commands?waitSeconds=${waitSeconds}`, undefined, this.auth(), {
      signal: options.signal,
      timeoutMs: (waitSeconds + 30) * 1000,
    });
  }

  /** Section 6. */
  async updateCommand(
    commandId: string,
    update: CommandUpdateRequest | Record<string, unknown>,
  ): Promise<ProtocolResponse<CommandUpdateResponse>> {
    return call<CommandUpdateResponse>(
      this.baseUrl,
      'POST',
      `/gateway/v1/commands/${encodeURIComponent(commandId)}/updates`,
      update,
      this.auth(),
    );
  }

  /** Section 7. */
  async deregister(): Promise<ProtocolResponse> {
    return call(this.baseUrl, 'POST', '/gateway/v1/deregister', {}, this.auth());
  }

  private keepToken(accessToken: string, expiresInSeconds: number): void {
    this.accessToken = accessToken;
    this.accessTokenLifetimeSeconds = expiresInSeconds;
    this.accessTokenExpiresAt = Date.now() + expiresInSeconds * 1000;
  }

  private auth(): Record<string, string> {
    return this.accessToken ? { authorization: `Bearer ${this.accessToken}` } : {};
  }
}
