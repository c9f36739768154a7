import { codesOf, errorOf, type ErrorCodes } from '../platform/errors/domain-error.js';
import { GATEWAY_ERRORS } from '../gateways/gateways.errors.js';
import { ProfileErrors } from '../profiles/profiles.errors.js';

/** The gateway-migrations part's codes and their one status each (see ErrorCodes); MIGRATION_IN_PROGRESS is the profiles part's. */
export const MIGRATION_ERRORS = {
  MIGRATION_NOT_FOUND: 404,
  NO_GATEWAY_TO_MIGRATE: 409,
  MIGRATION_ALREADY_ROLLED_BACK: 409,
} as const satisfies ErrorCodes;

export const MigrationErrorCode = codesOf(MIGRATION_ERRORS);

export const MigrationErrors = {
  notFound: () => errorOf(MIGRATION_ERRORS, 'MIGRATION_NOT_FOUND', 'migration not found'),
  inProgress: () => ProfileErrors.migrationInProgress(),
  onlyItsToken: () =>
    ProfileErrors.migrationInProgress('a migration of this profile is running: only its activation token can register a gateway now'),
  noSource: (targetType: string) =>
    errorOf(MIGRATION_ERRORS, 'NO_GATEWAY_TO_MIGRATE', `the profile has no active gateway of the other type to migrate to ${targetType}`),
  alreadyRolledBack: () => errorOf(MIGRATION_ERRORS, 'MIGRATION_ALREADY_ROLLED_BACK', 'this migration was already rolled back'),
  clusteringNotEnabled: () =>
    errorOf(
      GATEWAY_ERRORS,
      'FEATURE_NOT_ENABLED',
      'gateway clustering is a limited-availability feature that is not enabled for this tenant',
    ),
};
