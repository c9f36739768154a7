// Generated from openapi/openapi.yaml by `npm run sdk:types` (sdk/scripts/write-types.mjs). Do not edit.
/* eslint-disable */
/** Path templates of the POST operations that honour `Idempotency-Key` (same key within 24 h: the first answer). */
export const IDEMPOTENT_POSTS: readonly string[] = [
  "/api/v1/tenants/{tenantId}/bulk-commands",
  "/api/v1/tenants/{tenantId}/gateways/{gatewayId}/commands"
];
