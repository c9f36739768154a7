export const PROFILE_STATUSES = ['NOT_REGISTERED', 'CONNECTED', 'DISCONNECTED', 'MIGRATING'] as const;
export type ProfileStatus = (typeof PROFILE_STATUSES)[number];

export const GATEWAY_TYPES = ['CLASSIC', 'CLUSTER'] as const;
export type GatewayType = (typeof GATEWAY_TYPES)[number];

/**
 * A profile's status follows from its cause (domain.md): a running migration, else its active
 * gateway's status, else NOT_REGISTERED. The SQL twin of this rule is `PROFILE_STATUS_SQL` (profiles.store.ts).
 */
export function deriveProfileStatus(activeGatewayStatus: string | null, migrationRunning: boolean): ProfileStatus {
  if (migrationRunning) return 'MIGRATING';
  if (activeGatewayStatus === null) return 'NOT_REGISTERED';
  return activeGatewayStatus === 'DISCONNECTED' ? 'DISCONNECTED' : 'CONNECTED';
}
