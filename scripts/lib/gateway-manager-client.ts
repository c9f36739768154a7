import { randomUUID } from 'node:crypto';
import type { NodeReport } from '../../src/gateways/node-report.js';
import type { ProtocolCommand } from '../../src/gateways/protocol-command.js';

/**
 * A gateway manager's side of protocol v1, as a small client: the e2e tests, the fleet simulator
 * and the benchmarks all speak the protocol through it, exactly as a gateway in the field would.
 */

export type { NodeReport } from '../../src/gateways/node-report.js';
export type { ProtocolCommand } from '../../src/gateways/protocol-command.js';

export interface ProtocolResponse<T = Record<string, unknown>> {
  status: number;
  body: T & { code?: string; errors?: { field: string; message: string }[] };
  headers: Headers;
}


export interface HeartbeatAnswer {
  nextHeartbeatSeconds: number;
  commands: ProtocolCommand[];
  configuration: { version: number; settings: Record<string, unknown> } | null;
}

export const healthyNode = (index: number, overrides: Partial<NodeReport> = {}): NodeReport => ({
  hostname: `gw-node-${index}`,
  ipAddress: `10.20.0.${10 + index}`,
  cpuCores: 4,
  memoryMb: 8192,
  diskGb: 40,
  ready: true,
  kubernetesVersion: '1.28.3',
  apps: [{ name: 'vprobe', status: 'RUNNING', restarts: 0 }],
  ...overrides,
});

export async function call<T = Record<string, unknown>>(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ProtocolResponse<T>> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as ProtocolResponse<T>['body'], headers: response.headers };
}

export class GatewayManagerClient {
  readonly instanceId: string;
  gatewayId: string | null = null;
  profileId: string | null = null;
  gatewaySecret: string | null = null;
  accessToken: string | null = null;
  bootId: string = randomUUID();
  sequence = 0;
  configurationVersion: number | undefined;
  softwareVersion = '0.9.6';

  constructor(
    readonly baseUrl: string,
    readonly options: { gatewayType: 'CLASSIC' | 'CLUSTER'; name?: string; instanceId?: string },
    public nodes: NodeReport[] = options.gatewayType === 'CLASSIC' ? [healthyNode(1)] : [healthyNode(1), healthyNode(2), healthyNode(3)],
  ) {
    this.instanceId = options.instanceId ?? randomUUID();
  }

  async register(activationToken: string, extra: Record<string, unknown> = {}): Promise<ProtocolResponse> {
    const response = await call(this.baseUrl, 'POST', '/gateway/v1/register', {
      activationToken,
      gatewayType: this.options.gatewayType,
      instanceId: this.instanceId,
      name: this.options.name ?? `${this.options.gatewayType.toLowerCase()}-${this.instanceId.slice(0, 8)}`,
      softwareVersion: this.softwareVersion,
      nodes: this.nodes,
      ...(this.options.gatewayType === 'CLUSTER' ? { cluster: { loadBalancerIp: '172.25.252.5', nfsServer: '172.26.111.203', nfsPath: '/shared/gw-1' } } : {}),
      ...extra,
    });
    if (response.status === 201 || response.status === 200) {
      this.gatewayId = response.body.gatewayId as string;
      this.profileId = response.body.profileId as string;
      this.gatewaySecret = response.body.gatewaySecret as string;
      this.accessToken = response.body.accessToken as string;
      this.configurationVersion = (response.body.configuration as { version: number }).version;
    }
    return response;
  }

  async refreshToken(): Promise<ProtocolResponse> {
    const response = await call(this.baseUrl, 'POST', '/gateway/v1/token', { gatewayId: this.gatewayId, gatewaySecret: this.gatewaySecret });
    if (response.status === 200) this.accessToken = response.body.accessToken as string;
    return response;
  }

  private auth(): Record<string, string> {
    return { authorization: `Bearer ${this.accessToken}` };
  }

  /** Sends the next heartbeat of this boot; `sentAt` defaults to now (override to simulate clock drift). */
  async heartbeat(overrides: Record<string, unknown> = {}): Promise<ProtocolResponse<HeartbeatAnswer>> {
    this.sequence += 1;
    const response = await call<HeartbeatAnswer>(
      this.baseUrl,
      'POST',
      '/gateway/v1/heartbeat',
      {
        bootId: this.bootId,
        sequence: this.sequence,
        sentAt: new Date().toISOString(),
        softwareVersion: this.softwareVersion,
        configurationVersion: this.configurationVersion,
        nodes: this.nodes,
        ...overrides,
      },
      this.auth(),
    );
    if (response.status === 200 && response.body.configuration) this.configurationVersion = response.body.configuration.version;
    return response;
  }

  /** The gateway manager restarted: a new boot id, its sequence starts again. */
  restart(): void {
    this.bootId = randomUUID();
    this.sequence = 0;
  }

  async pollCommands(waitSeconds = 0): Promise<ProtocolResponse<{ commands: ProtocolCommand[] }>> {
    return call(this.baseUrl, 'GET', `/gateway/v1/commands?waitSeconds=${waitSeconds}`, undefined, this.auth());
  }

  async updateCommand(commandId: string, update: Record<string, unknown>): Promise<ProtocolResponse<{ applied: boolean }>> {
    return call(this.baseUrl, 'POST', `/gateway/v1/commands/${commandId}/updates`, update, this.auth());
  }

  async deregister(): Promise<ProtocolResponse> {
    return call(this.baseUrl, 'POST', '/gateway/v1/deregister', {}, this.auth());
  }
}
