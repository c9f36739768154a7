/**
 * The token endpoint's request and errors as RFC 6749 has them (§2.3.1 client authentication,
 * §4.4 client credentials grant, §5.2 error response): pure, so the rules are unit-tested.
 */
export type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'unsupported_grant_type' | 'invalid_scope' | 'unauthorized_client';

export class OAuthError extends Error {
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
    /** 401 (with WWW-Authenticate) for invalid_client, 400 for the others (§5.2). */
    readonly status = error === 'invalid_client' ? 401 : 400,
  ) {
    super(description);
  }
}

export interface ClientCredentialsRequest {
  clientId: string;
  clientSecret: string;
}

const MAX_PARAMETER_LENGTH = 500;

/** One parameter: absent, or a single string (a repeated one is an error, §3.2). */
function parameter(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new OAuthError('invalid_request', `${name} must be given once, as a string`);
  if (value.length > MAX_PARAMETER_LENGTH)
    throw new OAuthError('invalid_request', `${name} is longer than ${MAX_PARAMETER_LENGTH} characters`);
  return value;
}

/** `Authorization: Basic base64(urlencode(id):urlencode(secret))` (§2.3.1), or undefined when not Basic. */
function basicCredentials(authorization: string | undefined): ClientCredentialsRequest | undefined {
  if (!authorization) return undefined;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization);
  if (!match) throw new OAuthError('invalid_client', 'the Authorization header must be Basic client credentials');
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new OAuthError('invalid_client', 'Basic credentials must be client_id:client_secret');
  try {
    return {
      clientId: decodeURIComponent(decoded.slice(0, colon).replaceAll('+', ' ')),
      clientSecret: decodeURIComponent(decoded.slice(colon + 1).replaceAll('+', ' ')),
    };
  } catch {
    throw new OAuthError('invalid_client', 'Basic credentials are not form-url-encoded');
  }
}

/**
 * The client credentials of a token request, from the Basic header (client_secret_basic) or the
 * body (client_secret_post), never both (§2.3). This server defines no scopes: the token carries
 * the API client's roles, so any scope asked for is invalid_scope.
 */
export function parseTokenRequest(body: unknown, authorization: string | undefined): ClientCredentialsRequest {
  const fields = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const grantType = parameter(fields, 'grant_type');
  if (!grantType) throw new OAuthError('invalid_request', 'grant_type is required');
  if (grantType !== 'client_credentials') throw new OAuthError('unsupported_grant_type', 'only grant_type=client_credentials is supported');
  const scope = parameter(fields, 'scope');
  const basic = basicCredentials(authorization);
  const clientId = parameter(fields, 'client_id');
  const clientSecret = parameter(fields, 'client_secret');
  if (scope !== undefined) throw new OAuthError('invalid_scope', 'no scopes are defined: a token carries the roles of its API client');
  if (basic) {
    if (clientSecret !== undefined)
      throw new OAuthError('invalid_request', 'use one client authentication method: the Basic header or client_secret in the body');
    if (clientId !== undefined && clientId !== basic.clientId)
      throw new OAuthError('invalid_request', 'client_id in the body differs from the Basic header');
    return basic;
  }
  if (!clientId || !clientSecret)
    throw new OAuthError('invalid_client', 'client authentication is required: Basic header, or client_id and client_secret');
  return { clientId, clientSecret };
}
