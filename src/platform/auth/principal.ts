export const ROLES = ['admin', 'operator', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** A caller of the management APIs: an API client of a tenant, with its roles. */
export interface UserPrincipal {
  kind: 'api-client';
  /** The API client's row id (the JWT subject). */
  apiClientId: string;
  tenantId: string;
  roles: Role[];
}

/** A gateway manager calling the gateway protocol with its access token. */
export interface GatewayPrincipal {
  kind: 'gateway';
  gatewayId: string;
  tenantId: string;
  profileId: string;
  gatewayType: 'CLASSIC' | 'CLUSTER';
  /** The credential generation the access token was issued for (tokens from before a rotation are refused). */
  credentialGeneration: number;
}

/** Who did something, as the audit log records it. */
export interface Actor {
  type: 'api-client' | 'gateway' | 'system';
  id: string | null;
}

export const SYSTEM_ACTOR: Actor = { type: 'system', id: null };

export const actorOf = (principal: UserPrincipal | GatewayPrincipal): Actor =>
  principal.kind === 'gateway' ? { type: 'gateway', id: principal.gatewayId } : { type: 'api-client', id: principal.apiClientId };

/** JWT audiences: a token of one face is refused by the other. */
export const Audience = { MANAGEMENT: 'management', GATEWAY: 'gateway' } as const;
export const TOKEN_ISSUER = 'gateway-control-plane';

/** Verifies a management bearer token and loads its principal; provided by the tenants module. */
export interface PrincipalVerifier {
  /** Throws a 401 DomainError when the token is invalid, expired, or its API client is gone. */
  verifyBearer(token: string): Promise<UserPrincipal>;
}

export const PRINCIPAL_VERIFIER = Symbol('PRINCIPAL_VERIFIER');
