import type { GatewayType } from './profile-status.js';

/** What a profile's derived status depends on: its active gateway and whether a migration runs. */
export interface ProfileLink {
  activeGatewayId: string | null;
  gatewayType: GatewayType | null;
  gatewayStatus: string | null;
  migrationRunning: boolean;
}

export const NO_LINK: ProfileLink = { activeGatewayId: null, gatewayType: null, gatewayStatus: null, migrationRunning: false };
