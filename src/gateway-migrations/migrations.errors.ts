import { DomainError } from '../platform/errors/domain-error.js';

export const MigrationErrors = {
  notFound: () => new DomainError('MIGRATION_NOT_FOUND', 404, 'migration not found'),
  inProgress: () => new DomainError('MIGRATION_IN_PROGRESS', 409, 'a migration of this profile is running'),
  onlyItsToken: () =>
    new DomainError('MIGRATION_IN_PROGRESS', 409, "a migration of this profile is running: only its activation token can register a gateway now"),
  noSource: (targetType: string) =>
    new DomainError(
      'NO_GATEWAY_TO_MIGRATE',
      409,
      `the profile has no active gateway of the other type to migrate to ${targetType}`,
    ),
  alreadyRolledBack: () => new DomainError('MIGRATION_ALREADY_ROLLED_BACK', 409, 'this migration was already rolled back'),
  clusteringNotEnabled: () =>
    new DomainError('FEATURE_NOT_ENABLED', 403, 'gateway clustering is a limited-availability feature that is not enabled for this tenant'),
};
