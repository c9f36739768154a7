import { DomainError } from '../platform/errors/domain-error.js';

export const ProfileErrorCode = {
  PROFILE_NOT_FOUND: 'PROFILE_NOT_FOUND',
  PROFILE_NAME_TAKEN: 'PROFILE_NAME_TAKEN',
  PROFILE_HAS_ACTIVE_GATEWAY: 'PROFILE_HAS_ACTIVE_GATEWAY',
  PROFILE_VERSION_CONFLICT: 'PROFILE_VERSION_CONFLICT',
  PRECONDITION_FAILED: 'PRECONDITION_FAILED',
  ACTIVATION_TOKEN_NOT_FOUND: 'ACTIVATION_TOKEN_NOT_FOUND',
  ACTIVATION_TOKEN_INVALID: 'ACTIVATION_TOKEN_INVALID',
  ACTIVATION_TOKEN_EXPIRED: 'ACTIVATION_TOKEN_EXPIRED',
  ACTIVATION_TOKEN_REVOKED: 'ACTIVATION_TOKEN_REVOKED',
  ACTIVATION_TOKEN_USED: 'ACTIVATION_TOKEN_USED',
} as const;

export const ProfileErrors = {
  notFound: () => new DomainError(ProfileErrorCode.PROFILE_NOT_FOUND, 404, 'management profile not found'),
  nameTaken: (name: string) =>
    new DomainError(ProfileErrorCode.PROFILE_NAME_TAKEN, 409, `a management profile named "${name}" already exists in this tenant`),
  hasActiveGateway: () =>
    new DomainError(
      ProfileErrorCode.PROFILE_HAS_ACTIVE_GATEWAY,
      409,
      'the profile has an active gateway: de-register it first, or run a migration',
    ),
  versionConflict: (expected: number, actual: number) =>
    new DomainError(
      ProfileErrorCode.PROFILE_VERSION_CONFLICT,
      409,
      `the profile changed since you read it (you had version ${expected}, it is now ${actual}): read it again and retry`,
    ),
  preconditionFailed: (actual: number) =>
    new DomainError(ProfileErrorCode.PRECONDITION_FAILED, 412, `If-Match does not name the profile's current version (ETag "${actual}"): read it again and retry`),
  tokenNotFound: () => new DomainError(ProfileErrorCode.ACTIVATION_TOKEN_NOT_FOUND, 404, 'activation token not found'),
  tokenInvalid: () => new DomainError(ProfileErrorCode.ACTIVATION_TOKEN_INVALID, 401, 'the activation token is not known'),
  tokenExpired: () => new DomainError(ProfileErrorCode.ACTIVATION_TOKEN_EXPIRED, 401, 'the activation token has expired: mint a new one'),
  tokenRevoked: () => new DomainError(ProfileErrorCode.ACTIVATION_TOKEN_REVOKED, 401, 'the activation token was revoked: mint a new one'),
  tokenUsed: () =>
    new DomainError(ProfileErrorCode.ACTIVATION_TOKEN_USED, 401, 'the activation token was already used by another gateway instance'),
};
