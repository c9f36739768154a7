import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { NO_LINK, type ProfileLink } from './profile-links.js';
import type { GatewayType } from './profile-status.js';

const ACTIVE_GATEWAY = `SELECT g.type, g.status FROM gateways g WHERE g.profile_id = p.id AND g.status <> 'DEREGISTERED'`;

/**
 * SQL for a profile's derived status and gateway type, for filters (alias `p` is the profile).
 * It is deriveProfileStatus written in SQL; keep the two in step.
 */
export const PROFILE_STATUS_SQL = `COALESCE((SELECT CASE WHEN a.status = 'DISCONNECTED' THEN 'DISCONNECTED' ELSE 'CONNECTED' END FROM (${ACTIVE_GATEWAY}) a), 'NOT_REGISTERED')`;
export const PROFILE_GATEWAY_TYPE_SQL = `(SELECT a.type FROM (${ACTIVE_GATEWAY}) a)`;

/** Reads what profiles' derived fields depend on, for many profiles in one query. */
@Injectable()
export class ProfileLinksReader {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async forProfiles(profileIds: string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, ProfileLink>> {
    const links = new Map<string, ProfileLink>(profileIds.map((id) => [id, NO_LINK]));
    if (!profileIds.length) return links;
    const rows: { profile_id: string; id: string; type: GatewayType; status: string }[] = await manager.query(
      `SELECT profile_id, id, type, status FROM gateways WHERE profile_id = ANY($1::uuid[]) AND status <> 'DEREGISTERED'`,
      [profileIds],
    );
    for (const row of rows) {
      links.set(row.profile_id, { activeGatewayId: row.id, gatewayType: row.type, gatewayStatus: row.status, migrationRunning: false });
    }
    return links;
  }
}
