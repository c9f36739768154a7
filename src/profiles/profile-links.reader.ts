import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { NO_LINK, type ProfileLink } from './profile-links.js';

/**
 * SQL for a profile's derived status, for filters (alias `p` is the profile). Kept next to the
 * reader so the two cannot drift apart; see deriveProfileStatus for the rule.
 */
export const PROFILE_STATUS_SQL = `'NOT_REGISTERED'`;
export const PROFILE_GATEWAY_TYPE_SQL = `NULL::text`;

/** Reads what profiles' derived fields depend on, for many profiles in one query. */
@Injectable()
export class ProfileLinksReader {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async forProfiles(profileIds: string[], _manager: EntityManager = this.dataSource.manager): Promise<Map<string, ProfileLink>> {
    return new Map(profileIds.map((id) => [id, NO_LINK]));
  }
}
