import { codesOf, errorOf, type ErrorCodes } from '../platform/errors/domain-error.js';
import { PROFILE_ERRORS } from '../profiles/profiles.errors.js';

/** The gateways part's codes and their one status each (see ErrorCodes). */
export const GATEWAY_ERRORS = {
  GATEWAY_NOT_FOUND: 404,
  NODE_NOT_FOUND: 404,
  NODE_NOT_MISSING: 409,
  FEATURE_NOT_ENABLED: 403,
  TOO_MANY_ATTEMPTS: 429,
  GATEWAY_CREDENTIAL_INVALID: 401,
  /** The gateway protocol's contract (gateway-protocol.md, sections 2 and 3): the gateway must stop. */
  GATEWAY_DEREGISTERED: 401,
  /** The management API: a de-registered gateway takes no command and cannot be replaced. */
  GATEWAY_NOT_ACTIVE: 409,
  GATEWAY_TYPE_MISMATCH: 409,
  /** An access token issued before the gateway's secret was rotated. */
  ACCESS_TOKEN_REVOKED: 401,
} as const satisfies ErrorCodes;

export const GatewayErrorCode = { ...codesOf(GATEWAY_ERRORS), PROFILE_HAS_ACTIVE_GATEWAY: 'PROFILE_HAS_ACTIVE_GATEWAY' } as const;

export const GatewayErrors = {
  notFound: () => errorOf(GATEWAY_ERRORS, 'GATEWAY_NOT_FOUND', 'gateway not found'),
  nodeNotFound: () => errorOf(GATEWAY_ERRORS, 'NODE_NOT_FOUND', 'node not found'),
  nodeNotMissing: () => errorOf(GATEWAY_ERRORS, 'NODE_NOT_MISSING', 'only a node that is MISSING from the reports can be removed'),
  clusteringNotEnabled: () =>
    errorOf(
      GATEWAY_ERRORS,
      'FEATURE_NOT_ENABLED',
      'gateway clustering is a limited-availability feature that is not enabled for this tenant; a classic gateway can still register',
    ),
  profileHasActiveGateway: () =>
    errorOf(
      PROFILE_ERRORS,
      'PROFILE_HAS_ACTIVE_GATEWAY',
      'the profile already has an active gateway: de-register it first, or run a migration',
    ),
  tooManyAttempts: (retryAfterSeconds: number) =>
    errorOf(
      GATEWAY_ERRORS,
      'TOO_MANY_ATTEMPTS',
      `too many failed registrations from this address; retry in ${retryAfterSeconds} s`,
      undefined,
      { 'retry-after': String(retryAfterSeconds) },
    ),
  credentialRevoked: () =>
    errorOf(
      GATEWAY_ERRORS,
      'ACCESS_TOKEN_REVOKED',
      "the access token was issued before the gateway's secret was rotated: get a new one with the current secret",
    ),
  credentialInvalid: () => errorOf(GATEWAY_ERRORS, 'GATEWAY_CREDENTIAL_INVALID', 'unknown gateway id or wrong gateway secret'),
  typeMismatch: (expected: string, given: string) =>
    errorOf(GATEWAY_ERRORS, 'GATEWAY_TYPE_MISMATCH', `this activation token registers a ${expected} gateway, not a ${given} one`),
  deregistered: () =>
    errorOf(GATEWAY_ERRORS, 'GATEWAY_DEREGISTERED', 'this gateway was de-registered: stop, and register again with a new activation token'),
  notActive: (message: string) => errorOf(GATEWAY_ERRORS, 'GATEWAY_NOT_ACTIVE', message),
};
