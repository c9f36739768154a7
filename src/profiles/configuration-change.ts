import type { EntityManager } from 'typeorm';
import type { Actor } from '../platform/auth/principal.js';
import type { AfterCommit } from '../platform/database/after-commit.js';

/** A profile's configuration changed (in `manager`'s transaction): the commands part queues APPLY_CONFIGURATION. */
export interface ConfigurationChange {
  manager: EntityManager;
  after: AfterCommit;
  tenantId: string;
  profileId: string;
  version: number;
  actor: Actor;
}
