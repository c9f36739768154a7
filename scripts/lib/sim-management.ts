import { call, type ProtocolResponse } from '@gateway-control-plane/agent';

export interface KeyCount {
  key: string;
  count: number;
}

/** GET /api/v1/tenants/{tenantId}/status */
export interface FleetStatus {
  gateways: number;
  gatewaysByStatus: KeyCount[];
  gatewaysByHealth: KeyCount[];
  profiles: number;
  profilesNotRegistered: number;
  commandsByState: KeyCount[];
}

export interface Tenant {
  id: string;
  name: string;
  features: { gatewayClustering: boolean };
}

export interface GatewayView {
  id: string;
  health: string;
  assessment: { health: string; checks: { check: string; outcome: string; node: string | null; message: string }[] };
}

/** A node-failure drill as GET /api/v1/tenants/{id}/validations/{id} shows it (the fields the simulator reads). */
export interface DrillView {
  id: string;
  state: string;
  phase: string;
  failureReason: string | null;
  drill: {
    placement: { node: string; apps: string[] }[];
    recoverySeconds: number | null;
    recoveredOn: { app: string; node: string }[];
    nodeReturnedAt: string | null;
  };
}

export interface ApiCredentials {
  clientId: string;
  clientSecret: string;
}

function expectStatus<T>(response: ProtocolResponse<T>, expected: number, what: string): ProtocolResponse<T> {
  if (response.status !== expected) throw new Error(`${what}: HTTP ${response.status} ${JSON.stringify(response.body)}`);
  return response;
}

/** The management REST calls of the simulator, made as an API client of a partner or client tenant. */
export class ManagementApi {
  private constructor(
    readonly baseUrl: string,
    private readonly credentials: ApiCredentials,
    private accessToken: string,
  ) {}

  static async connect(baseUrl: string, credentials: ApiCredentials): Promise<ManagementApi> {
    return new ManagementApi(baseUrl, credentials, await ManagementApi.issueToken(baseUrl, credentials));
  }

  private static async issueToken(baseUrl: string, { clientId, clientSecret }: ApiCredentials): Promise<string> {
    const body = { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret };
    return expectStatus(await call(baseUrl, 'POST', '/api/v1/oauth/token', body), 200, 'oauth token').body.access_token as string;
  }

  /** The API client's own tenant: the `tenantId` claim of its access token. */
  get ownTenantId(): string {
    const payload = this.accessToken.split('.')[1] ?? '';
    return (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { tenantId: string }).tenantId;
  }

  async tenant(tenantId: string): Promise<Tenant> {
    return expectStatus(await this.request<Tenant>('GET', `/api/v1/tenants/${tenantId}`), 200, 'read tenant').body;
  }

  async fleetStatus(tenantId: string): Promise<FleetStatus> {
    return expectStatus(await this.request<FleetStatus>('GET', `/api/v1/tenants/${tenantId}/status`), 200, 'fleet status').body;
  }

  async gateway(tenantId: string, gatewayId: string): Promise<GatewayView> {
    return expectStatus(await this.request<GatewayView>('GET', `/api/v1/tenants/${tenantId}/gateways/${gatewayId}`), 200, 'read gateway')
      .body;
  }

  async startDrill(
    tenantId: string,
    gatewayId: string,
    body: { node: string; stopNode?: boolean; recoveryDeadlineSeconds?: number },
  ): Promise<DrillView> {
    return expectStatus(
      await this.request<DrillView>('POST', `/api/v1/tenants/${tenantId}/gateways/${gatewayId}/node-failure-drills`, body),
      201,
      'start a drill',
    ).body;
  }

  async validation(tenantId: string, validationId: string): Promise<DrillView> {
    return expectStatus(
      await this.request<DrillView>('GET', `/api/v1/tenants/${tenantId}/validations/${validationId}`),
      200,
      'read validation',
    ).body;
  }

  /** A fresh activation token for the profile called `name`, which a previous run with the same prefix may have created. */
  async activationToken(tenantId: string, name: string): Promise<string> {
    const profiles = `/api/v1/tenants/${tenantId}/management-profiles`;
    const created = await this.request('POST', profiles, { name });
    const profileId =
      created.body.code === 'PROFILE_NAME_TAKEN'
        ? await this.profileIdByName(profiles, name)
        : (expectStatus(created, 201, `create profile ${name}`).body.id as string);
    const minted = await this.request('POST', `${profiles}/${profileId}/activation-tokens`, {});
    return expectStatus(minted, 201, `mint a token for ${name}`).body.token as string;
  }

  private async profileIdByName(profiles: string, name: string): Promise<string> {
    const found = await this.request<{ items: { id: string; name: string }[] }>('GET', `${profiles}?search=${encodeURIComponent(name)}`);
    const profile = expectStatus(found, 200, `find profile ${name}`).body.items.find((item) => item.name === name);
    if (!profile) throw new Error(`profile ${name}: the name is taken, but no profile of that name is listed`);
    return profile.id;
  }

  /** Gets a new access token once when the current one has expired. */
  private async request<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<ProtocolResponse<T>> {
    const send = () => call<T>(this.baseUrl, method, path, body, { authorization: `Bearer ${this.accessToken}` });
    const response = await send();
    if (response.status !== 401) return response;
    this.accessToken = await ManagementApi.issueToken(this.baseUrl, this.credentials);
    return send();
  }
}
