import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { NO_LINK, type ProfileLink } from './profile-links.js';
import type { GatewayType } from './profile-status.js';

const ACTIVE_GATEWAY = `SELECT g.type, g.status FROM gateways g WHERE g.profile_id = p.id AND g.status <> 'DEREGISTERED'`;

/**
 * SQL for a profile's derived status and gateway type, for filters (alias `p` is the profile).
 * It is deriveProfileStatus written in SQL; keep the two in step.
 */
/** The states of a running migration (see gateway-migrations/migration-state.ts), as an SQL list. */
export const RUNNING_MIGRATION_STATES_SQL = `('PENDING', 'SOURCE_DEREGISTERED', 'AWAITING_TARGET', 'TARGET_REGISTERED', 'CONFIGURATION_APPLIED')`;
const RUNNING_MIGRATION = `SELECT 1 FROM gateway_migrations m WHERE m.profile_id = p.id AND m.state IN ${RUNNING_MIGRATION_STATES_SQL}`;
export const PROFILE_STATUS_SQL = `(CASE WHEN EXISTS (${RUNNING_MIGRATION}) THEN 'MIGRATING' ELSE COALESCE((SELECT CASE WHEN a.status = 'DISCONNECTED' THEN 'DISCONNECTED' ELSE 'CONNECTED' END FROM (${ACTIVE_GATEWAY}) a), 'NOT_REGISTERED') END)`;
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
    const migrating: { profile_id: string }[] = await manager.query(
      `SELECT profile_id FROM gateway_migrations WHERE profile_id = ANY($1::uuid[]) AND state IN ${RUNNING_MIGRATION_STATES_SQL}`,
      [profileIds],
    );
    for (const { profile_id } of migrating) links.set(profile_id, { ...links.get(profile_id)!, migrationRunning: true });
    return links;
  }
}
