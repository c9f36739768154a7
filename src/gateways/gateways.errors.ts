import { DomainError } from '../platform/errors/domain-error.js';

export const GatewayErrorCode = {
  GATEWAY_NOT_FOUND: 'GATEWAY_NOT_FOUND',
  NODE_NOT_FOUND: 'NODE_NOT_FOUND',
  NODE_NOT_MISSING: 'NODE_NOT_MISSING',
  FEATURE_NOT_ENABLED: 'FEATURE_NOT_ENABLED',
  PROFILE_HAS_ACTIVE_GATEWAY: 'PROFILE_HAS_ACTIVE_GATEWAY',
  TOO_MANY_ATTEMPTS: 'TOO_MANY_ATTEMPTS',
  GATEWAY_CREDENTIAL_INVALID: 'GATEWAY_CREDENTIAL_INVALID',
  GATEWAY_DEREGISTERED: 'GATEWAY_DEREGISTERED',
  GATEWAY_TYPE_MISMATCH: 'GATEWAY_TYPE_MISMATCH',
  ACCESS_TOKEN_REVOKED: 'ACCESS_TOKEN_REVOKED',
} as const;

export const GatewayErrors = {
  notFound: () => new DomainError(GatewayErrorCode.GATEWAY_NOT_FOUND, 404, 'gateway not found'),
  nodeNotFound: () => new DomainError(GatewayErrorCode.NODE_NOT_FOUND, 404, 'node not found'),
  nodeNotMissing: () =>
    new DomainError(GatewayErrorCode.NODE_NOT_MISSING, 409, 'only a node that is MISSING from the reports can be removed'),
  clusteringNotEnabled: () =>
    new DomainError(
      GatewayErrorCode.FEATURE_NOT_ENABLED,
      403,
      'gateway clustering is a limited-availability feature that is not enabled for this tenant; a classic gateway can still register',
    ),
  profileHasActiveGateway: () =>
    new DomainError(
      GatewayErrorCode.PROFILE_HAS_ACTIVE_GATEWAY,
      409,
      'the profile already has an active gateway: de-register it first, or run a migration',
    ),
  tooManyAttempts: (retryAfterSeconds: number) =>
    new DomainError(
      GatewayErrorCode.TOO_MANY_ATTEMPTS,
      429,
      `too many failed registrations from this address; retry in ${retryAfterSeconds} s`,
      undefined,
      { 'retry-after': String(retryAfterSeconds) },
    ),
  credentialRevoked: () =>
    new DomainError(
      GatewayErrorCode.ACCESS_TOKEN_REVOKED,
      401,
      "the access token was issued before the gateway's secret was rotated: get a new one with the current secret",
    ),
  credentialInvalid: () => new DomainError(GatewayErrorCode.GATEWAY_CREDENTIAL_INVALID, 401, 'unknown gateway id or wrong gateway secret'),
  typeMismatch: (expected: string, given: string) =>
    new DomainError(GatewayErrorCode.GATEWAY_TYPE_MISMATCH, 409, `this activation token registers a ${expected} gateway, not a ${given} one`),
  deregistered: () =>
    new DomainError(GatewayErrorCode.GATEWAY_DEREGISTERED, 401, 'this gateway was de-registered: stop, and register again with a new activation token'),
};
