export const GATEWAY_STATUSES = ['REGISTERED', 'CONNECTED', 'DISCONNECTED', 'DEREGISTERED'] as const;
export type GatewayStatus = (typeof GATEWAY_STATUSES)[number];

export const HEALTHS = ['HEALTHY', 'DEGRADED', 'DOWN'] as const;
export type Health = (typeof HEALTHS)[number];

/** REGISTERED and CONNECTED count as connected for the profile and the assessment. */
export const isConnected = (status: GatewayStatus) => status === 'REGISTERED' || status === 'CONNECTED';
