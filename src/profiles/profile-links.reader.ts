import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { MigrationsStore } from '../gateway-migrations/migrations.store.js';
import { GatewaysStore } from '../gateways/gateways.store.js';
import { NO_LINK, type ProfileLink } from './profile-links.js';

/**
 * Reads what profiles' derived fields depend on, for many profiles at once: their active gateway
 * (asked of the gateways' store) and whether a migration runs (asked of the migrations' store).
 */
@Injectable()
export class ProfileLinksReader {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(GatewaysStore) private readonly gateways: GatewaysStore,
    @Inject(MigrationsStore) private readonly migrations: MigrationsStore,
  ) {}

  async forProfiles(profileIds: string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, ProfileLink>> {
    const links = new Map<string, ProfileLink>(profileIds.map((id) => [id, NO_LINK]));
    if (!profileIds.length) return links;
    for (const row of await this.gateways.activeOfProfiles(manager, profileIds)) {
      links.set(row.profile_id, { activeGatewayId: row.id, gatewayType: row.type, gatewayStatus: row.status, migrationRunning: false });
    }
    for (const profileId of await this.migrations.profilesMigrating(manager, profileIds)) {
      links.set(profileId, { ...links.get(profileId)!, migrationRunning: true });
    }
    return links;
  }
}
