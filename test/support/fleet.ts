import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { GatewaySession, GatewayType, NodeReport, ProtocolResponse, RegisterResponse } from '@gateway-control-plane/agent';
import { healthySession } from '../../scripts/lib/nodes.js';
import type { Api } from './api.js';

export { healthyNode, healthyNodes, healthySession } from '../../scripts/lib/nodes.js';

export interface GatewayOptions {
  type?: GatewayType;
  /** Default: one healthy node for a classic gateway, three for a cluster. */
  nodes?: NodeReport[];
  /** More fields of the new profile (its configuration, say). */
  profile?: object;
  /** Send one heartbeat after registering (the gateway turns CONNECTED); default true. */
  heartbeat?: boolean;
  /** Another process of the service to speak to; default the test app's. */
  url?: string;
}

export interface RegisteredGateway {
  gw: GatewaySession;
  profileId: string;
  /** The activation token it registered with, and the token's id. */
  token: string;
  tokenId: string;
  /** The answer to the registration (201). */
  registration: ProtocolResponse<RegisterResponse>;
}

/**
 * The e2e tests' one way to make gateways: a profile (named uniquely in the whole run), an
 * activation token, a registration through the reference agent's protocol session, a heartbeat.
 */
export class Fleet {
  private readonly prefix = `gw-${randomBytes(3).toString('hex')}`;
  private count = 0;

  constructor(
    private readonly api: Api,
    /** The tenant the profiles are made in, and an admin or operator token of it. */
    private readonly tenantId: string,
    private readonly token: string,
    private readonly url: string,
  ) {}

  /** A new profile with an activation token. */
  async profile(body: object = {}): Promise<{ profileId: string; token: string; tokenId: string; name: string }> {
    const name = `${this.prefix}-${(this.count += 1)}`;
    return { name, ...(await this.api.profileWithToken(this.token, this.tenantId, name, body)) };
  }

  /** An unregistered gateway (the agent's protocol session) reporting healthy nodes. */
  session(type: GatewayType = 'CLASSIC', nodes?: NodeReport[], options: { instanceId?: string; url?: string } = {}): GatewaySession {
    return healthySession(options.url ?? this.url, type, nodes, { instanceId: options.instanceId });
  }

  /** A gateway registered on a new profile, CONNECTED by one heartbeat unless told otherwise. */
  async gateway(options: GatewayOptions = {}): Promise<RegisteredGateway> {
    const { profileId, token, tokenId } = await this.profile(options.profile);
    const gw = this.session(options.type, options.nodes, { url: options.url });
    const registered = await gw.register(token);
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    if (options.heartbeat !== false) {
      const beat = await gw.heartbeat();
      expect(beat.status, JSON.stringify(beat.body)).toBe(200);
    }
    return { gw, profileId, token, tokenId, registration: registered };
  }

  /** `size` registered gateways, one after another. */
  async gateways(size: number, options: GatewayOptions = {}): Promise<GatewaySession[]> {
    const gateways: GatewaySession[] = [];
    for (let i = 0; i < size; i++) gateways.push((await this.gateway(options)).gw);
    return gateways;
  }
}
