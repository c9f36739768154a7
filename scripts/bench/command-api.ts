import { call, type GatewaySession } from '@gateway-control-plane/agent';
import type { ApiClientCredentials } from './fleet.js';
import { HttpClient, type HttpAnswer } from './http-client.js';

/** The management REST calls of the command benchmark, as an operator API client of the fleet's tenant. */

export interface KeyCount {
  key: string;
  count: number;
}

/** GET /api/v1/tenants/{tenantId}/bulk-commands/{bulkId} (the fields the benchmark reads). */
export interface BulkView {
  id: string;
  state: 'RUNNING' | 'COMPLETED' | 'STOPPED';
  stopReason: string | null;
  targets: number;
  maxConcurrency: number;
  counts: KeyCount[];
}

/** A safety net only: under a bulk command's load the service takes seconds per request (the figures show how many). */
const REQUEST_TIMEOUT_MS = 600_000;

async function oauthToken(baseUrl: string, credentials: ApiClientCredentials): Promise<string> {
  const response = await call(baseUrl, 'POST', '/api/v1/oauth/token', {
    grant_type: 'client_credentials',
    client_id: credentials.clientId,
    client_secret: credentials.clientSecret,
  });
  if (response.status !== 200) throw new Error(`oauth token: HTTP ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.access_token as string;
}

/** The tenant a gateway belongs to: the `tenantId` claim of its access token (protocol section 2). */
export function tenantOf(gateway: GatewaySession): string {
  const payload = gateway.accessToken?.split('.')[1] ?? '';
  return (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { tenantId: string }).tenantId;
}

export class CommandApi {
  private constructor(
    private readonly http: HttpClient,
    readonly tenantId: string,
    private readonly authorization: string,
  ) {}

  /** The partner (which made the tenant) gives the tenant an operator API client, whose token the benchmark then uses. */
  static async connect(baseUrl: string, port: number, partner: ApiClientCredentials, tenantId: string): Promise<CommandApi> {
    const partnerAuth = { authorization: `Bearer ${await oauthToken(baseUrl, partner)}` };
    const created = await call(
      baseUrl,
      'POST',
      `/api/v1/tenants/${tenantId}/api-clients`,
      { name: 'command benchmark', roles: ['operator'] },
      partnerAuth,
    );
    if (created.status !== 201) throw new Error(`create API client: HTTP ${created.status} ${JSON.stringify(created.body)}`);
    const token = await oauthToken(baseUrl, created.body as unknown as ApiClientCredentials);
    // The latency figure includes the queueing request, so it gets connections of its own.
    return new CommandApi(new HttpClient(port, 16), tenantId, `Bearer ${token}`);
  }

  queueCommand(gatewayId: string, command: { type: string; parameters?: Record<string, unknown> }): Promise<HttpAnswer<{ id: string }>> {
    return this.send('POST', `/gateways/${gatewayId}/commands`, command);
  }

  createBulk(body: Record<string, unknown>): Promise<HttpAnswer<BulkView>> {
    return this.send('POST', '/bulk-commands', body);
  }

  bulk(bulkId: string): Promise<HttpAnswer<BulkView>> {
    return this.send('GET', `/bulk-commands/${bulkId}`);
  }

  /** The tenant's commands counted by state (GET /status). */
  async commandsByState(): Promise<Record<string, number>> {
    const answer = await this.send<{ commandsByState: KeyCount[] }>('GET', '/status');
    if (answer.status !== 200) throw new Error(`fleet status: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
    return countsOf(answer.body.commandsByState);
  }

  close(): void {
    this.http.close();
  }

  private send<T>(method: string, path: string, body?: unknown): Promise<HttpAnswer<T>> {
    return this.http.send<T>(method, `/api/v1/tenants/${this.tenantId}${path}`, {
      authorization: this.authorization,
      body,
      timeoutMs: REQUEST_TIMEOUT_MS,
    });
  }
}

export const countsOf = (counts: KeyCount[]): Record<string, number> => Object.fromEntries(counts.map(({ key, count }) => [key, count]));
