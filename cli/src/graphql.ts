/**
 * The GraphQL operations gcpctl sends. test/cli.e2e-spec.ts validates each against schema.gql
 * (and runs it against the service), so a schema change that breaks one fails the tests.
 */
export const GATEWAY_WATCH = /* GraphQL */ `
  subscription GatewayWatch($tenantId: ID) {
    gatewayStatusChanged(tenantId: $tenantId) {
      gatewayId
      profileId
      tenantId
      previousStatus
      status
      lastHeartbeatAt
      changedAt
    }
  }
`;

export interface GatewayStatusChange {
  gatewayId: string;
  profileId: string;
  tenantId: string;
  previousStatus: string | null;
  status: string;
  lastHeartbeatAt: string | null;
  changedAt: string;
}
