import { expect } from 'vitest';
import type { TestApp } from './test-app.js';
import { TEST_ENV } from './test-env.js';

/** Helpers that arrange state through the public API, as a partner's script would. */
export class Api {
  constructor(readonly t: TestApp) {}

  async token(clientId: string, clientSecret: string): Promise<string> {
    const response = await this.t
      .http()
      .post('/api/v1/oauth/token')
      .type('form')
      .send({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body.access_token as string;
  }

  /** The bootstrap partner's admin token and tenant id. */
  async partner(): Promise<{ token: string; tenantId: string }> {
    const token = await this.token(TEST_ENV.BOOTSTRAP_CLIENT_ID, TEST_ENV.BOOTSTRAP_CLIENT_SECRET);
    const tenants = await this.get(token, '/api/v1/tenants');
    const partner = tenants.body.items.find((tenant: { kind: string }) => tenant.kind === 'PARTNER');
    return { token, tenantId: partner.id };
  }

  async createClientTenant(partnerToken: string, name: string, features?: { gatewayClustering?: boolean }): Promise<string> {
    const response = await this.post(partnerToken, '/api/v1/tenants', { name, ...(features ? { features } : {}) });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body.id as string;
  }

  /** A new API client of a tenant with the given roles, and a token for it. */
  async clientToken(adminToken: string, tenantId: string, roles: string[]): Promise<string> {
    const response = await this.post(adminToken, `/api/v1/tenants/${tenantId}/api-clients`, { name: `${roles.join('+')} client`, roles });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return this.token(response.body.clientId, response.body.clientSecret);
  }

  get(token: string, path: string) {
    return this.t.http().get(path).set('authorization', `Bearer ${token}`);
  }

  post(token: string, path: string, body?: object) {
    return this.t
      .http()
      .post(path)
      .set('authorization', `Bearer ${token}`)
      .send(body ?? {});
  }

  patch(token: string, path: string, body: object) {
    return this.t.http().patch(path).set('authorization', `Bearer ${token}`).send(body);
  }

  delete(token: string, path: string) {
    return this.t.http().delete(path).set('authorization', `Bearer ${token}`);
  }

  graphql(token: string, query: string, variables?: Record<string, unknown>) {
    return this.t.http().post('/graphql').set('authorization', `Bearer ${token}`).send({ query, variables });
  }

  /** A new profile of the tenant and an activation token for it. */
  async profileWithToken(
    adminToken: string,
    tenantId: string,
    name: string,
    body: object = {},
  ): Promise<{ profileId: string; token: string; tokenId: string }> {
    const profile = await this.post(adminToken, `/api/v1/tenants/${tenantId}/management-profiles`, { name, ...body });
    expect(profile.status, JSON.stringify(profile.body)).toBe(201);
    const token = await this.mintToken(adminToken, tenantId, profile.body.id);
    return { profileId: profile.body.id, ...token };
  }

  async mintToken(
    adminToken: string,
    tenantId: string,
    profileId: string,
    ttlSeconds?: number,
  ): Promise<{ token: string; tokenId: string }> {
    const minted = await this.post(
      adminToken,
      `/api/v1/tenants/${tenantId}/management-profiles/${profileId}/activation-tokens`,
      ttlSeconds ? { ttlSeconds } : {},
    );
    expect(minted.status, JSON.stringify(minted.body)).toBe(201);
    return { token: minted.body.token, tokenId: minted.body.id };
  }

  /** The tenant's audit events, newest first. */
  async auditActions(token: string, tenantId: string): Promise<string[]> {
    const response = await this.get(token, `/api/v1/tenants/${tenantId}/audit-events?limit=200`);
    expect(response.status).toBe(200);
    return response.body.items.map((event: { action: string }) => event.action);
  }
}
