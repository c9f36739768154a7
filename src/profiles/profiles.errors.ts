import { codesOf, errorOf, type ErrorCodes } from '../platform/errors/domain-error.js';

/** The profiles part's codes and their one status each (see ErrorCodes). */
export const PROFILE_ERRORS = {
  PROFILE_NOT_FOUND: 404,
  PROFILE_NAME_TAKEN: 409,
  PROFILE_HAS_ACTIVE_GATEWAY: 409,
  PROFILE_VERSION_CONFLICT: 409,
  /** If-Match names a version that is no longer the profile's. */
  PRECONDITION_FAILED: 412,
  /** A migration of the profile runs: raised by profiles (minting), gateways (replacement, registration) and migrations. */
  MIGRATION_IN_PROGRESS: 409,
  ACTIVATION_TOKEN_NOT_FOUND: 404,
  ACTIVATION_TOKEN_NOT_ACTIVE: 409,
  ACTIVATION_TOKEN_INVALID: 401,
  ACTIVATION_TOKEN_EXPIRED: 401,
  ACTIVATION_TOKEN_REVOKED: 401,
  ACTIVATION_TOKEN_USED: 401,
} as const satisfies ErrorCodes;

export const ProfileErrorCode = codesOf(PROFILE_ERRORS);

const error = (code: keyof typeof PROFILE_ERRORS, message: string) => errorOf(PROFILE_ERRORS, code, message);

export const ProfileErrors = {
  notFound: () => error('PROFILE_NOT_FOUND', 'management profile not found'),
  nameTaken: (name: string) => error('PROFILE_NAME_TAKEN', `a management profile named "${name}" already exists in this tenant`),
  hasActiveGateway: () =>
    error('PROFILE_HAS_ACTIVE_GATEWAY', 'the profile has an active gateway: de-register it first, or run a migration'),
  versionConflict: (expected: number, actual: number) =>
    error(
      'PROFILE_VERSION_CONFLICT',
      `the profile changed since you read it (you had version ${expected}, it is now ${actual}): read it again and retry`,
    ),
  preconditionFailed: (actual: number) =>
    error('PRECONDITION_FAILED', `If-Match does not name the profile's current version (ETag "${actual}"): read it again and retry`),
  migrationInProgress: (message = 'a migration of this profile is running') => error('MIGRATION_IN_PROGRESS', message),
  tokenNotFound: () => error('ACTIVATION_TOKEN_NOT_FOUND', 'activation token not found'),
  tokenNotActive: (state: string) => error('ACTIVATION_TOKEN_NOT_ACTIVE', `the activation token is ${state} and can no longer be revoked`),
  tokenInvalid: () => error('ACTIVATION_TOKEN_INVALID', 'the activation token is not known'),
  tokenExpired: () => error('ACTIVATION_TOKEN_EXPIRED', 'the activation token has expired: mint a new one'),
  tokenRevoked: () => error('ACTIVATION_TOKEN_REVOKED', 'the activation token was revoked: mint a new one'),
  tokenUsed: (message = 'the activation token was already used by another gateway instance') => error('ACTIVATION_TOKEN_USED', message),
};
