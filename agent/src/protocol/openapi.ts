// Generated from openapi/openapi.yaml by `npm run agent:types` (openapi-typescript). Do not edit.
/* eslint-disable */
export type paths = {
    "/api/v1/tenants/{tenantId}/audit-events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List audit events
         * @description The audit log of a tenant, newest first
         */
        get: operations["AuditEvents_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tenants/{tenantId}/audit-events/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every audit event of a tenant in a time range, oldest first, streamed as NDJSON
         * @description One AuditEvent JSON object per line (application/x-ndjson), read from the database in batches while the response is sent, so any range can be exported; keep your own copy before retention removes old months (docs/operations.md).
         */
        get: operations["AuditEvents_export"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/oauth/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Get an access token
         * @description OAuth 2.0 client credentials grant (RFC 6749 §4.4): an API client id and secret for a bearer token. The body is a form (application/x-www-form-urlencoded, the standard) or JSON. The client authenticates with a Basic Authorization header (client_secret_basic) or with client_id and client_secret in the body (client_secret_post), not both. Errors are RFC 6749 §5.2 `{ error, error_description }`; invalid_client is 401 with WWW-Authenticate.
         */
        post: operations["OAuth_token"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tenants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List tenants
         * @description Your tenant and, for a partner, its clients
         */
        get: operations["Tenants_list"];
        put?: never;
        /**
         * Create a client tenant
         * @description Create a client tenant under your partner tenant (admin)
         */
        post: operations["Tenants_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tenants/{tenantId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a tenant
         * @description One tenant
         */
        get: operations["Tenants_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Update a tenant
         * @description Rename a tenant; a partner also sets its clients' status and feature flags (admin)
         */
        patch: operations["Tenants_update"];
        trace?: never;
    };
    "/api/v1/tenants/{tenantId}/api-clients": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List API clients
         * @description The API clients of a tenant (never their secrets)
         */
        get: operations["ApiClients_list"];
        put?: never;
        /**
         * Create an API client
         * @description Create an API client; its secret is in this answer only (admin)
         */
        post: operations["ApiClients_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tenants/{tenantId}/api-clients/{apiClientId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Delete an API client
         * @description Delete an API client: its tokens stop working at once (admin)
         */
        delete: operations["ApiClients_delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tenants/{tenantId}/management-profiles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List management profiles
         * @description Management profiles, newest first; filter by status, gateway type, name and label selector
         */
        get: operations["Profiles_list"];
        put?: never;
        /**
         * Create a management profile
         * @description Create a management profile (admin)
         */
        post: operations["Profiles_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tenants/{tenantId}/management-profiles/{profileId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a management profile
         * @description One management profile with its status and active gateway
         */
        get: operations["Profiles_get"];
        put?: never;
        post?: never;
        /**
         * Delete a management profile
         * @description Delete a profile that has no active gateway (admin)
         */
        delete: operations["Profiles_delete"];
        options?: never;
        head?: never;
        /**
         * Update a management profile
         * @description Edit name, description or configuration (admin); a new configuration gets the next version
         */
        patch: operations["Profiles_update"];
        trace?: never;
    };
    "/api/v1/tenants/{tenantId}/management-profiles/{profileId}/activation-tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List activation tokens
         * @description The profile's activation tokens, newest first, without secrets
         */
        get: operations["ActivationTokens_list"];
        put?: never;
        /**
         * Mint an activation token
         * @description Mint an activation token (admin): the plaintext is in this answer only; the profile's older active tokens are revoked
         */
        post: operations["ActivationTokens_mint"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tenants/{tenantId}/management-profiles/{profileId}/activation-tokens/{tokenId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke an activation token
         * @description Revoke an activation token (admin)
         */
        delete: operations["ActivationTokens_revoke"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tenants/{tenantId}/gateways": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List gateways
         * @description Gateways of the tenant, newest first; filter by status, type, profile and health
         */
        get: operations["Gateways_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tenants/{tenantId}/gateways/{gatewayId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a gateway
         * @description One gateway: status, last heartbeat, software version, clock skew, nodes with their apps, assessment
         */
        get: operations["Gateways_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tenants/{tenantId}/gateways/{gatewayId}/deregister": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * De-register a gateway
         * @description De-register a gateway (admin): its credential stops working at once; the profile keeps its configuration
         */
        post: operations["Gateways_deregister"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tenants/{tenantId}/gateways/{gatewayId}/replace": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Replace a gateway
         * @description Firmware upgrade / VM swap (admin, operator): a token for a new gateway of the same type on the same profile; the old one is de-registered when the new one registers, or at once with deregisterNow
         */
        post: operations["Gateways_replace"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tenants/{tenantId}/gateways/{gatewayId}/nodes/{nodeId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Remove a missing node
         * @description Remove a node that is MISSING from the reports (admin)
         */
        delete: operations["Gateways_removeNode"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tenants/{tenantId}/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get the fleet status
         * @description Fleet summary: gateways by status and health, profiles not registered, commands by state
         */
        get: operations["Gateways_fleetStatus"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/gateway/v1/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Register a gateway
         * @description 1. Register with an activation token; 200 (not 201) for a safe retry by the same instance
         */
        post: operations["GatewayProtocol_register"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/gateway/v1/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Get a gateway access token
         * @description 2. A fresh access token for the gateway id and secret
         */
        post: operations["GatewayProtocol_token"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/gateway/v1/heartbeat": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a heartbeat
         * @description 3. Heartbeat with the node report; the answer carries waiting commands and any newer configuration
         */
        post: operations["GatewayProtocol_heartbeat"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/gateway/v1/deregister": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * De-register this gateway
         * @description 7. The gateway leaves: its credential stops working at once; the profile keeps its configuration
         */
        post: operations["GatewayProtocol_deregister"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tenants/{tenantId}/gateways/{gatewayId}/commands": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List commands of a gateway
         * @description The gateway's commands, newest first; filter by state
         */
        get: operations["Commands_list"];
        put?: never;
        /**
         * Queue a command
         * @description Queue a command at the end of the gateway's queue (admin, operator); a disconnected gateway's command waits
         */
        post: operations["Commands_queue"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tenants/{tenantId}/commands/{commandId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a command
         * @description One command with its history of updates
         */
        get: operations["Commands_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tenants/{tenantId}/commands/{commandId}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel a command
         * @description Cancel a command that has not ended (admin, operator); a running one is told by 409 on its next update
         */
        post: operations["Commands_cancel"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tenants/{tenantId}/bulk-commands": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create a bulk command
         * @description A command to many gateways, with maxConcurrency and maxErrors (admin, operator)
         */
        post: operations["Commands_createBulk"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tenants/{tenantId}/bulk-commands/{bulkId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a bulk command
         * @description A bulk command with its targets counted by state
         */
        get: operations["Commands_getBulk"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/gateway/v1/commands": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Poll for commands
         * @description 4. Long poll: answers at once when commands wait, else when one is queued or waitSeconds (0–30) pass
         */
        get: operations["GatewayCommands_poll"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/gateway/v1/commands/{commandId}/updates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Report a command update
         * @description 6. Report progress or an end: forward only; a repeated or older update answers applied:false
         */
        post: operations["GatewayCommands_update"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tenants/{tenantId}/migrations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List migrations
         * @description Migrations, newest first; filter by profile
         */
        get: operations["Migrations_list"];
        put?: never;
        /**
         * Start a migration
         * @description Migrate a profile's gateway to the other type (admin, operator); the target's activation token is in this answer only
         */
        post: operations["Migrations_start"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tenants/{tenantId}/migrations/{migrationId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a migration
         * @description One migration with each step’s time and outcome
         */
        get: operations["Migrations_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tenants/{tenantId}/migrations/{migrationId}/rollback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Roll back a migration
         * @description Roll back a completed or failed migration (admin, operator): a new migration the other way, with its token
         */
        post: operations["Migrations_rollback"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tenants/{tenantId}/gateways/{gatewayId}/setup-validations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start a setup validation
         * @description Runs discovery (RUN_DISCOVERY) and applies ping monitors (APPLY_PING_MONITORS) on the managed resources through the gateway, and reports per resource whether it was discovered and pinged, and why not (admin, operator)
         */
        post: operations["Validations_startSetup"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tenants/{tenantId}/gateways/{gatewayId}/node-failure-drills": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start a node-failure drill
         * @description Records which apps run where, waits for the node to go (the operator powers it off, or the gateway stops it when `stopNode`), then watches that node's apps come back RUNNING on the other nodes with the gateway heartbeating: PASSED with the time to recover, or FAILED with the apps not back in time (admin, operator)
         */
        post: operations["Validations_startDrill"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tenants/{tenantId}/validations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List validations
         * @description Setup validations and node-failure drills, newest first; filter by gateway
         */
        get: operations["Validations_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tenants/{tenantId}/validations/{validationId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a validation
         * @description One validation with what it has seen so far
         */
        get: operations["Validations_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tenants/{tenantId}/validations/{validationId}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel a validation
         * @description Stops watching a running validation (admin, operator)
         */
        post: operations["Validations_cancel"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tenants/{tenantId}/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List webhooks
         * @description The webhook endpoints of a tenant, newest first (admin)
         */
        get: operations["Webhooks_list"];
        put?: never;
        /**
         * Create a webhook
         * @description Create a webhook endpoint; its signing secret (`whsec_…`) is in this answer only (admin). See docs/webhooks.md.
         */
        post: operations["Webhooks_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tenants/{tenantId}/webhooks/{webhookId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a webhook
         * @description One webhook endpoint (admin)
         */
        get: operations["Webhooks_get"];
        put?: never;
        post?: never;
        /**
         * Delete a webhook
         * @description Delete a webhook endpoint: nothing more is sent to it (admin)
         */
        delete: operations["Webhooks_delete"];
        options?: never;
        head?: never;
        /**
         * Update a webhook
         * @description Change the URL, events or description; `enabled` disables or re-enables it (admin)
         */
        patch: operations["Webhooks_update"];
        trace?: never;
    };
    "/api/v1/tenants/{tenantId}/webhooks/{webhookId}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a test ping
         * @description Queues a signed `webhook.test` event to the endpoint; answers its delivery, to follow in the delivery log (admin)
         */
        post: operations["Webhooks_test"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tenants/{tenantId}/webhooks/{webhookId}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List deliveries
         * @description A webhook's deliveries, newest first: event, status, attempts, the last attempt's status code and duration, the next retry (admin)
         */
        get: operations["Webhooks_deliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
};
export type webhooks = Record<string, never>;
export type components = {
    schemas: {
        FieldError: {
            /** @example nodes[1].cpuCores */
            field: string;
            /** @example cpuCores must be an integer number */
            message: string;
        };
        Problem: {
            /** @example https://docs.gateway-control-plane.dev/problems/invalid-request */
            type: string;
            /** @example Bad Request */
            title: string;
            /** @example 400 */
            status: number;
            /** @example the request is invalid: name: name must be shorter than or equal to 200 characters */
            detail: string;
            /**
             * @description stable, machine-readable; branch on this, never on text
             * @example INVALID_REQUEST
             */
            code: string;
            errors?: components["schemas"]["FieldError"][];
        };
        AuditEvent: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            tenantId: string;
            /** @enum {string} */
            actorType: "api-client" | "gateway" | "system";
            /** @description API client or gateway id; null for the system */
            actorId: string | null;
            /** @example profile.updated */
            action: string;
            /** @example managementProfile */
            targetType: string;
            /** Format: uuid */
            targetId: string | null;
            before: {
                [key: string]: unknown;
            } | null;
            after: {
                [key: string]: unknown;
            } | null;
            /** Format: date-time */
            createdAt: string;
        };
        AuditEventPage: {
            items: components["schemas"]["AuditEvent"][];
            /** @description pass as `cursor` to get the next page; null on the last page */
            nextCursor: string | null;
        };
        TokenRequest: {
            /** @enum {string} */
            grant_type: "client_credentials";
            /**
             * @description client_secret_post; or send both in a Basic Authorization header (client_secret_basic)
             * @example demo-partner
             */
            client_id?: string;
            /**
             * @description client_secret_post; never together with a Basic Authorization header
             * @example demo-partner-secret-change-me
             */
            client_secret?: string;
            /** @description no scopes are defined (the token carries the roles of its API client): any scope is invalid_scope */
            scope?: string;
        };
        TokenError: {
            /** @enum {string} */
            error: "invalid_request" | "invalid_client" | "unsupported_grant_type" | "invalid_scope" | "unauthorized_client";
            /** @example unknown client_id or wrong client_secret */
            error_description: string;
        };
        TokenResponse: {
            /** @description a JWT for `Authorization: Bearer` */
            access_token: string;
            /** @enum {string} */
            token_type: "Bearer";
            /**
             * @description seconds
             * @example 3600
             */
            expires_in: number;
        };
        TenantFeatures: {
            /** @description limited availability: may register gateway clusters */
            gatewayClustering: boolean;
        };
        QuotaUsage: {
            /** @description held now */
            used: number;
            /** @description the quota: its partner's setting, else the default */
            limit: number;
        };
        TenantQuotas: {
            profiles: components["schemas"]["QuotaUsage"];
            /** @description active (not de-registered) gateways */
            gateways: components["schemas"]["QuotaUsage"];
            apiClients: components["schemas"]["QuotaUsage"];
            webhooks: components["schemas"]["QuotaUsage"];
        };
        Tenant: {
            /** Format: uuid */
            id: string;
            /** @example Acme Monitoring */
            name: string;
            /** @enum {string} */
            kind: "PARTNER" | "CLIENT";
            /** Format: uuid */
            parentId: string | null;
            /** @enum {string} */
            status: "ACTIVE" | "SUSPENDED";
            features: components["schemas"]["TenantFeatures"];
            /** @description audit events kept at least this many days; null: the deployment's default (RETENTION_AUDIT_DAYS) */
            auditRetentionDays: number | null;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            /** @description usage against quota: in GET and PATCH of one tenant (REST), not in lists */
            quotas?: components["schemas"]["TenantQuotas"];
        };
        TenantPage: {
            items: components["schemas"]["Tenant"][];
            /** @description pass as `cursor` to get the next page; null on the last page */
            nextCursor: string | null;
        };
        TenantFeaturesInput: {
            /**
             * @description limited availability: may register gateway clusters
             * @default false
             */
            gatewayClustering: boolean;
        };
        CreateTenantRequest: {
            /** @example Globex Corp */
            name: string;
            features?: components["schemas"]["TenantFeaturesInput"];
        };
        TenantQuotasRequest: {
            /** @description management profiles; null: the default (QUOTA_PROFILES) */
            profiles?: number | null;
            /** @description active gateways; null: the default (QUOTA_GATEWAYS) */
            gateways?: number | null;
            /** @description API clients; null: the default (QUOTA_API_CLIENTS) */
            apiClients?: number | null;
            /** @description webhook endpoints; null: the default (QUOTA_WEBHOOKS) */
            webhooks?: number | null;
        };
        UpdateTenantRequest: {
            name?: string;
            /**
             * @description set by the tenant's partner only
             * @enum {string}
             */
            status?: "ACTIVE" | "SUSPENDED";
            /** @description set by the tenant's partner only */
            features?: components["schemas"]["TenantFeaturesInput"];
            /** @description set by a partner, for itself or its clients: keep this tenant's audit events at least this many days, from the deployment's default (RETENTION_AUDIT_DAYS) up to its maximum (RETENTION_AUDIT_MAX_DAYS); null returns to the default */
            auditRetentionDays?: number | null;
            /** @description set by the tenant's partner only; each null returns to the default */
            quotas?: components["schemas"]["TenantQuotasRequest"];
        };
        CreateApiClientRequest: {
            /** @example nightly inventory sync */
            name: string;
            /**
             * @example [
             *       "operator"
             *     ]
             */
            roles: ("admin" | "operator" | "viewer")[];
        };
        CreatedApiClient: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            tenantId: string;
            /** @example gcp_ci_Xk2m9Qw1 */
            clientId: string;
            /** @example nightly inventory sync */
            name: string;
            roles: ("admin" | "operator" | "viewer")[];
            /**
             * @description the first characters of the secret, to tell secrets apart
             * @example gcs_3kF9
             */
            secretPrefix: string;
            /** Format: date-time */
            createdAt: string;
            /**
             * @description shown in this answer only; store it now
             * @example gcs_3kF9…
             */
            clientSecret: string;
        };
        ApiClient: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            tenantId: string;
            /** @example gcp_ci_Xk2m9Qw1 */
            clientId: string;
            /** @example nightly inventory sync */
            name: string;
            roles: ("admin" | "operator" | "viewer")[];
            /**
             * @description the first characters of the secret, to tell secrets apart
             * @example gcs_3kF9
             */
            secretPrefix: string;
            /** Format: date-time */
            createdAt: string;
        };
        ApiClientPage: {
            items: components["schemas"]["ApiClient"][];
            /** @description pass as `cursor` to get the next page; null on the last page */
            nextCursor: string | null;
        };
        CreateProfileRequest: {
            /** @example dc1-gateway */
            name: string;
            /** @example Frankfurt data centre, hall 2 */
            description?: string;
            /**
             * @description the gateway configuration settings (proxy, discovery, monitoring); at most 64 KiB
             * @example {
             *       "proxy": {
             *         "url": "http://proxy.dc1.example:3128"
             *       },
             *       "discovery": {
             *         "subnets": [
             *           "10.20.0.0/24"
             *         ],
             *         "intervalMinutes": 60
             *       },
             *       "monitoring": {
             *         "pollSeconds": 60
             *       }
             *     }
             */
            configuration?: {
                [key: string]: unknown;
            };
            /**
             * @description Kubernetes-style labels: keys `[prefix/]name`, values of at most 63 characters; at most 64
             * @example {
             *       "site": "paris",
             *       "env": "prod"
             *     }
             */
            labels?: {
                [key: string]: string;
            };
        };
        Configuration: {
            /**
             * @description goes up by one on each change
             * @example 3
             */
            version: number;
            /**
             * @example {
             *       "proxy": {
             *         "url": "http://proxy.dc1.example:3128"
             *       }
             *     }
             */
            settings: {
                [key: string]: unknown;
            };
        };
        ManagementProfile: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            tenantId: string;
            /** @example dc1-gateway */
            name: string;
            /** @example Frankfurt data centre, hall 2 */
            description: string;
            /**
             * @description derived from its active gateway and any running migration
             * @enum {string}
             */
            status: "NOT_REGISTERED" | "CONNECTED" | "DISCONNECTED" | "MIGRATING";
            /**
             * @description of the active gateway
             * @enum {string|null}
             */
            gatewayType: "CLASSIC" | "CLUSTER" | null;
            /** Format: uuid */
            activeGatewayId: string | null;
            configuration: components["schemas"]["Configuration"];
            /**
             * @description Kubernetes-style labels, for label selectors
             * @example {
             *       "site": "paris",
             *       "env": "prod"
             *     }
             */
            labels: {
                [key: string]: string;
            };
            /** @description optimistic-locking version of the profile row; send it back as expectedVersion */
            version: number;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
        };
        ProfilePage: {
            items: components["schemas"]["ManagementProfile"][];
            /** @description pass as `cursor` to get the next page; null on the last page */
            nextCursor: string | null;
        };
        UpdateProfileRequest: {
            name?: string;
            /** @description null clears it */
            description?: {
                [key: string]: unknown;
            } | null;
            /**
             * @description replaces the settings (null: no settings); a change takes the configuration version up by one
             * @example {
             *       "proxy": {
             *         "url": "http://proxy.dc1.example:3128"
             *       },
             *       "discovery": {
             *         "subnets": [
             *           "10.20.0.0/24"
             *         ],
             *         "intervalMinutes": 60
             *       },
             *       "monitoring": {
             *         "pollSeconds": 60
             *       }
             *     }
             */
            configuration?: {
                [key: string]: unknown;
            } | null;
            /**
             * @description replaces the labels (null: none)
             * @example {
             *       "site": "paris",
             *       "env": "prod"
             *     }
             */
            labels?: {
                [key: string]: string;
            } | null;
            /** @description optimistic locking: the `version` you read; a newer one answers 409 PROFILE_VERSION_CONFLICT */
            expectedVersion?: {
                [key: string]: unknown;
            };
        };
        MintActivationTokenRequest: {
            /** @default 86400 */
            ttlSeconds: number;
        };
        MintedActivationToken: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            profileId: string;
            /**
             * @description the first characters, to tell tokens apart
             * @example gwat_3kF9
             */
            prefix: string;
            /** @enum {string} */
            state: "ACTIVE" | "USED" | "EXPIRED" | "REVOKED";
            /** @enum {string} */
            purpose: "REGISTRATION" | "MIGRATION" | "REPLACEMENT";
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            expiresAt: string;
            /** Format: date-time */
            usedAt: string | null;
            /** Format: date-time */
            revokedAt: string | null;
            /**
             * @description who minted it: `api-client:<id>` or `system`
             * @example api-client:5f0c…
             */
            createdBy: string;
            /**
             * @description shown in this answer only: paste it into the gateway manager now
             * @example gwat_3kF9…
             */
            token: string;
        };
        ActivationToken: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            profileId: string;
            /**
             * @description the first characters, to tell tokens apart
             * @example gwat_3kF9
             */
            prefix: string;
            /** @enum {string} */
            state: "ACTIVE" | "USED" | "EXPIRED" | "REVOKED";
            /** @enum {string} */
            purpose: "REGISTRATION" | "MIGRATION" | "REPLACEMENT";
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            expiresAt: string;
            /** Format: date-time */
            usedAt: string | null;
            /** Format: date-time */
            revokedAt: string | null;
            /**
             * @description who minted it: `api-client:<id>` or `system`
             * @example api-client:5f0c…
             */
            createdBy: string;
        };
        ActivationTokenPage: {
            items: components["schemas"]["ActivationToken"][];
            /** @description pass as `cursor` to get the next page; null on the last page */
            nextCursor: string | null;
        };
        ClusterSettings: {
            loadBalancerIp?: string;
            nfsServer?: string;
            nfsPath?: string;
        };
        App: {
            /** @example vprobe */
            name: string;
            /** @example RUNNING */
            status: string;
            /** @example 0 */
            restarts: number;
        };
        HypervisorHostView: {
            /** @example host-1021 */
            id: string;
            /** @example esx-rack1-01.example.net */
            name?: string;
        };
        HypervisorView: {
            /** @example VMware ESXi */
            product: string;
            /** @example 7.0.3 */
            version: string;
        };
        NodeStorageView: {
            /** @example 172.26.111.203 */
            server?: string;
            /** @example /shared/gw-1 */
            path?: string;
            mounted: boolean;
            writable: boolean;
        };
        NodePeerView: {
            /** @example gw-node-2 */
            hostname: string;
            /**
             * @description what the hostname resolved to
             * @example 10.20.0.12
             */
            address: string | null;
            resolves: boolean;
            reachable: boolean;
        };
        NodeEgressView: {
            /** @example quay.io:443 */
            endpoint: string;
            reachable: boolean;
        };
        MicroK8sView: {
            running: boolean;
            /** @example 1.28.3 */
            version?: string;
            /**
             * @example [
             *       "dns",
             *       "metallb"
             *     ]
             */
            addons: string[];
        };
        HelmReleaseView: {
            /** @example gateway-manager */
            name: string;
            /** @example 0.9.6 */
            version?: string;
        };
        GatewayNode: {
            /** Format: uuid */
            id: string;
            /** @example gw-node-1 */
            hostname: string;
            /** @example 10.20.0.11 */
            ipAddress: string;
            /** @example 4 */
            cpuCores: number;
            /** @example 8192 */
            memoryMb: number;
            /** @example 40 */
            diskGb: number;
            ready: boolean;
            /**
             * @description MISSING: absent from the latest report, kept until a user removes it
             * @enum {string}
             */
            state: "ACTIVE" | "MISSING";
            /** @example 1.28.3 */
            kubernetesVersion?: string | null;
            apps: components["schemas"]["App"][];
            /** Format: date-time */
            lastReportedAt: string;
            /**
             * @description this VM's gateway software version
             * @example 0.9.6
             */
            softwareVersion: string | null;
            /** @description the physical host it runs on */
            hypervisorHost: components["schemas"]["HypervisorHostView"] | null;
            hypervisor: components["schemas"]["HypervisorView"] | null;
            /** @description the shared NFS volume as this node sees it */
            storage: components["schemas"]["NodeStorageView"] | null;
            peers: components["schemas"]["NodePeerView"][] | null;
            egress: components["schemas"]["NodeEgressView"][] | null;
            microk8s: components["schemas"]["MicroK8sView"] | null;
            releases: components["schemas"]["HelmReleaseView"][] | null;
        };
        AssessmentCheck: {
            /** @enum {string} */
            check: "NODE_SIZE" | "UNIQUE_HOSTNAMES" | "UNIQUE_ADDRESSES" | "STATIC_ADDRESSES" | "HIGH_AVAILABILITY" | "DISTINCT_HOSTS" | "HYPERVISOR_VERSION" | "SHARED_STORAGE" | "PEER_RESOLUTION" | "EGRESS" | "CLUSTER_ADDONS" | "RELEASES" | "UNIFORM_SOFTWARE" | "READINESS" | "CONNECTIVITY";
            /**
             * @description UNKNOWN: not reported by the gateway; NOT_SUPPORTED: works, but the model does not offer it
             * @enum {string}
             */
            outcome: "PASSED" | "FAILED" | "UNKNOWN" | "NOT_SUPPORTED";
            /** @description false only when the check FAILED */
            passed: boolean;
            /** @description the node concerned; null for the gateway as a whole */
            node: string | null;
            /** @example at least 4 CPU cores */
            expected: string;
            /** @example 2 CPU cores */
            actual: string;
            /** @example gw-node-2 has 2 CPU cores; a gateway node needs at least 4 */
            message: string;
        };
        Assessment: {
            /** @enum {string} */
            health: "HEALTHY" | "DEGRADED" | "DOWN";
            checks: components["schemas"]["AssessmentCheck"][];
        };
        Gateway: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            tenantId: string;
            /** Format: uuid */
            profileId: string;
            /** @enum {string} */
            type: "CLASSIC" | "CLUSTER";
            /** @example dc1-gateway-cluster */
            name: string;
            /** @enum {string} */
            status: "REGISTERED" | "CONNECTED" | "DISCONNECTED" | "DEREGISTERED";
            /** @enum {string} */
            health: "HEALTHY" | "DEGRADED" | "DOWN";
            /** @example 0.9.6 */
            softwareVersion: string;
            /** @description the configuration version the gateway last reported */
            configurationVersion: number | null;
            /** Format: date-time */
            registeredAt: string;
            /**
             * Format: date-time
             * @description when the row was made (lists are newest first by this)
             */
            createdAt: string;
            /** Format: date-time */
            lastHeartbeatAt: string | null;
            /** @description server receive time minus the gateway's sentAt, in seconds */
            clockSkewSeconds: number | null;
            /** @description the clock skew passed 60 s */
            clockSkewWarning: boolean;
            cluster: components["schemas"]["ClusterSettings"] | null;
            /** Format: date-time */
            deregisteredAt: string | null;
            /** @example BY_USER */
            deregistrationReason: string | null;
            nodes: components["schemas"]["GatewayNode"][];
            assessment: components["schemas"]["Assessment"];
        };
        GatewayPage: {
            items: components["schemas"]["Gateway"][];
            /** @description pass as `cursor` to get the next page; null on the last page */
            nextCursor: string | null;
        };
        ReplaceGatewayRequest: {
            /**
             * @description de-register the old gateway now instead of when the new one registers
             * @default false
             */
            deregisterNow: boolean;
            /** @default 86400 */
            ttlSeconds: number;
        };
        ReplacementToken: {
            /** Format: uuid */
            id: string;
            /** @description for the new gateway: in this answer only */
            token: string;
            prefix: string;
            /** Format: date-time */
            expiresAt: string;
        };
        Replacement: {
            /**
             * Format: uuid
             * @description the gateway being replaced
             */
            gatewayId: string;
            /** Format: uuid */
            profileId: string;
            /** @description the old gateway was de-registered at once */
            deregisteredNow: boolean;
            activationToken: components["schemas"]["ReplacementToken"];
        };
        StatusCount: {
            key: string;
            count: number;
        };
        FleetStatus: {
            /** @description active (not de-registered) gateways */
            gateways: number;
            /** @description active gateways by status */
            gatewaysByStatus: components["schemas"]["StatusCount"][];
            /** @description active gateways by health */
            gatewaysByHealth: components["schemas"]["StatusCount"][];
            profiles: number;
            profilesNotRegistered: number;
            /** @description commands by state */
            commandsByState: components["schemas"]["StatusCount"][];
        };
        GatewayConfiguration: {
            /** @example 3 */
            version: number;
            /** @example {} */
            settings: {
                [key: string]: unknown;
            };
        };
        RegisterResponse: {
            /** Format: uuid */
            gatewayId: string;
            /** Format: uuid */
            profileId: string;
            /** Format: uuid */
            tenantId: string;
            /**
             * @description the long-lived credential: shown only here, stored only as a hash
             * @example gws_…
             */
            gatewaySecret: string;
            accessToken: string;
            /** @example 3600 */
            accessTokenExpiresIn: number;
            /** @example 30 */
            heartbeatIntervalSeconds: number;
            configuration: components["schemas"]["GatewayConfiguration"];
            /**
             * @description endpoints every node should report its reachability of in `egress` (the registries of this deployment)
             * @example [
             *       "registry-1.docker.io:443",
             *       "quay.io:443"
             *     ]
             */
            egressEndpoints: string[];
        };
        GatewayTokenRequest: {
            /** Format: uuid */
            gatewayId: string;
            /** @example gws_… */
            gatewaySecret: string;
        };
        GatewayTokenResponse: {
            accessToken: string;
            /** @example 3600 */
            accessTokenExpiresIn: number;
        };
        ProtocolCommand: {
            /** Format: uuid */
            commandId: string;
            /** @example 17 */
            sequence: number;
            /** @example RESTART_APP */
            type: string;
            /**
             * @example {
             *       "app": "vprobe"
             *     }
             */
            parameters: {
                [key: string]: unknown;
            };
            issuedAt: string;
            deliverBy: string;
            /** @example 600 */
            timeoutSeconds: number;
        };
        HeartbeatResponse: {
            /**
             * @description when to send the next one; add up to 10% random jitter
             * @example 30
             */
            nextHeartbeatSeconds: number;
            /** @description commands waiting for this gateway, oldest first */
            commands: components["schemas"]["ProtocolCommand"][];
            /** @description non-null when the gateway's configuration version is behind the profile's */
            configuration: components["schemas"]["GatewayConfiguration"] | null;
        };
        DeregisterResponse: {
            /** Format: uuid */
            gatewayId: string;
            /** @enum {string} */
            status: "DEREGISTERED";
        };
        QueueCommandRequest: {
            /** @enum {string} */
            type: "RESTART_APP" | "UPGRADE_FIRMWARE" | "RUN_DISCOVERY" | "APPLY_CONFIGURATION" | "COLLECT_LOGS" | "PING" | "APPLY_PING_MONITORS" | "STOP_NODE";
            /**
             * @description validated per type: RESTART_APP {app}, UPGRADE_FIRMWARE {version}, RUN_DISCOVERY {profile}, APPLY_CONFIGURATION {version}, COLLECT_LOGS {sinceMinutes}, PING {}
             * @example {
             *       "app": "vprobe"
             *     }
             * @example {
             *       "version": "1.4.2"
             *     }
             * @example {
             *       "profile": "datacenter-1"
             *     }
             * @example {
             *       "version": 3
             *     }
             * @example {
             *       "sinceMinutes": 60
             *     }
             * @example {}
             * @example {
             *       "resources": [
             *         "10.1.0.5",
             *         "core-switch.example.net"
             *       ]
             *     }
             * @example {
             *       "hostname": "gw-node-2"
             *     }
             */
            parameters?: {
                [key: string]: unknown;
            };
            /**
             * @description pick-up deadline; default 1 h from now, at most 30 days
             * @example 2026-11-25T11:00:00Z
             */
            deliverBy?: string;
            /**
             * @description time limit once acknowledged
             * @default 600
             */
            timeoutSeconds: number;
        };
        CommandHistoryEntry: {
            /** Format: date-time */
            at: string;
            /** @enum {string} */
            source: "gateway" | "system" | "api-client";
            /** @enum {string} */
            state: "QUEUED" | "DELIVERED" | "ACKNOWLEDGED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "EXPIRED" | "TIMED_OUT" | "CANCELLED" | "ABORTED";
            progressPercent: number | null;
            message: string | null;
            errorCode: string | null;
        };
        Command: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            tenantId: string;
            /** Format: uuid */
            gatewayId: string;
            /** Format: uuid */
            bulkId: string | null;
            /** @enum {string} */
            type: "RESTART_APP" | "UPGRADE_FIRMWARE" | "RUN_DISCOVERY" | "APPLY_CONFIGURATION" | "COLLECT_LOGS" | "PING" | "APPLY_PING_MONITORS" | "STOP_NODE";
            /**
             * @example {
             *       "app": "vprobe"
             *     }
             */
            parameters: {
                [key: string]: unknown;
            };
            /** @enum {string} */
            state: "QUEUED" | "DELIVERED" | "ACKNOWLEDGED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "EXPIRED" | "TIMED_OUT" | "CANCELLED" | "ABORTED";
            /** @description its place in the gateway's queue */
            sequence: number;
            /** Format: date-time */
            deliverBy: string;
            timeoutSeconds: number;
            /** @description hand-outs so far (at most 3) */
            deliveries: number;
            progressPercent: number | null;
            message: string | null;
            result: {
                [key: string]: unknown;
            } | null;
            /** @example DELIVERY_FAILED */
            errorCode: string | null;
            /** @description only in the answer of GET /commands/{commandId} */
            history?: components["schemas"]["CommandHistoryEntry"][];
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
        };
        CommandPage: {
            items: components["schemas"]["Command"][];
            /** @description pass as `cursor` to get the next page; null on the last page */
            nextCursor: string | null;
        };
        BulkSelector: {
            /** @description Kubernetes label selector on the gateways' profiles, e.g. `site=paris,env!=lab` */
            labelSelector?: string;
            /** @description gateways in one of these statuses */
            status?: ("REGISTERED" | "CONNECTED" | "DISCONNECTED")[];
            /** @enum {string} */
            gatewayType?: "CLASSIC" | "CLUSTER";
            /** @description gateways with one of these healths */
            health?: ("HEALTHY" | "DEGRADED" | "DOWN")[];
        };
        BulkTargets: {
            /** @description gateway ids */
            gatewayIds?: string[];
            /** @description every active gateway of these profiles */
            profileIds?: string[];
            /** @description every active gateway matching all of the selector's filters, evaluated when the bulk command starts */
            selector?: components["schemas"]["BulkSelector"];
        };
        CreateBulkCommandRequest: {
            /** @enum {string} */
            type: "RESTART_APP" | "UPGRADE_FIRMWARE" | "RUN_DISCOVERY" | "APPLY_CONFIGURATION" | "COLLECT_LOGS" | "PING" | "APPLY_PING_MONITORS" | "STOP_NODE";
            /**
             * @description validated per type: RESTART_APP {app}, UPGRADE_FIRMWARE {version}, RUN_DISCOVERY {profile}, APPLY_CONFIGURATION {version}, COLLECT_LOGS {sinceMinutes}, PING {}
             * @example {
             *       "app": "vprobe"
             *     }
             * @example {
             *       "version": "1.4.2"
             *     }
             * @example {
             *       "profile": "datacenter-1"
             *     }
             * @example {
             *       "version": 3
             *     }
             * @example {
             *       "sinceMinutes": 60
             *     }
             * @example {}
             * @example {
             *       "resources": [
             *         "10.1.0.5",
             *         "core-switch.example.net"
             *       ]
             *     }
             * @example {
             *       "hostname": "gw-node-2"
             *     }
             */
            parameters?: {
                [key: string]: unknown;
            };
            /**
             * @description pick-up deadline; default 1 h from now, at most 30 days
             * @example 2026-11-25T11:00:00Z
             */
            deliverBy?: string;
            /**
             * @description time limit once acknowledged
             * @default 600
             */
            timeoutSeconds: number;
            targets: components["schemas"]["BulkTargets"];
            /**
             * @description targets running at once
             * @default 100
             */
            maxConcurrency: number;
            /**
             * @description failures tolerated: a number ("5") or a percentage of the targets ("10%"); default 0 (stop at the first failure)
             * @example 10%
             */
            maxErrors?: string;
            /**
             * @description leave out the targets that are not CONNECTED when it starts; they count as SKIPPED
             * @default false
             */
            skipOffline: boolean;
        };
        BulkCommand: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            tenantId: string;
            /** @enum {string} */
            type: "RESTART_APP" | "UPGRADE_FIRMWARE" | "RUN_DISCOVERY" | "APPLY_CONFIGURATION" | "COLLECT_LOGS" | "PING" | "APPLY_PING_MONITORS" | "STOP_NODE";
            parameters: {
                [key: string]: unknown;
            };
            /** @enum {string} */
            state: "RUNNING" | "COMPLETED" | "STOPPED";
            /** @description why it stopped early */
            stopReason: string | null;
            maxConcurrency: number;
            /** @example 10% */
            maxErrors: string;
            targets: number;
            /** @description targets by state: PENDING (not started), a command state, or CANCELLED (stopped before it started) */
            counts: components["schemas"]["StatusCount"][];
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
        };
        PollCommandsResponse: {
            commands: components["schemas"]["ProtocolCommand"][];
        };
        CommandUpdateResponse: {
            /** @description false: a repeated or older update, which changed nothing */
            applied: boolean;
        };
        StartMigrationRequest: {
            /** Format: uuid */
            profileId: string;
            /**
             * @description the type to migrate to; the profile must have an active gateway of the other type
             * @enum {string}
             */
            targetGatewayType: "CLASSIC" | "CLUSTER";
            /**
             * @description how long the target has to register (seconds); default 24 h
             * @default 86400
             */
            deadlineSeconds: number;
        };
        MigrationStep: {
            /** @enum {string} */
            step: "PENDING" | "SOURCE_DEREGISTERED" | "AWAITING_TARGET" | "TARGET_REGISTERED" | "CONFIGURATION_APPLIED" | "COMPLETED" | "FAILED" | "ROLLED_BACK";
            /** Format: date-time */
            at: string;
            detail: {
                [key: string]: unknown;
            } | null;
        };
        MigrationActivationToken: {
            /** @description the target gateway's activation token: in the start answer only */
            token: string;
            /** Format: date-time */
            expiresAt: string;
        };
        Migration: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            tenantId: string;
            /** Format: uuid */
            profileId: string;
            /** @enum {string} */
            direction: "CLASSIC_TO_CLUSTER" | "CLUSTER_TO_CLASSIC";
            /** @enum {string} */
            targetGatewayType: "CLASSIC" | "CLUSTER";
            /** @enum {string} */
            state: "PENDING" | "SOURCE_DEREGISTERED" | "AWAITING_TARGET" | "TARGET_REGISTERED" | "CONFIGURATION_APPLIED" | "COMPLETED" | "FAILED" | "ROLLED_BACK";
            /** Format: uuid */
            sourceGatewayId: string | null;
            /** Format: uuid */
            targetGatewayId: string | null;
            failureReason: string | null;
            /**
             * Format: date-time
             * @description the target must register before this
             */
            deadline: string;
            /**
             * Format: uuid
             * @description the migration this one rolls back
             */
            rollbackOf: string | null;
            steps: components["schemas"]["MigrationStep"][];
            /** @description the target's activation token: in the answers of start and rollback only, null elsewhere */
            activationToken: components["schemas"]["MigrationActivationToken"] | null;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            /** Format: date-time */
            endedAt: string | null;
        };
        MigrationPage: {
            items: components["schemas"]["Migration"][];
            /** @description pass as `cursor` to get the next page; null on the last page */
            nextCursor: string | null;
        };
        RollbackMigrationRequest: {
            /**
             * @description how long the gateway rolled back to has to register (seconds); default 24 h
             * @default 86400
             */
            deadlineSeconds: number;
        };
        StartSetupValidationDto: {
            /**
             * @description managed resources (IP addresses or hostnames) to discover and ping through the gateway
             * @example [
             *       "10.1.0.5",
             *       "core-switch.example.net"
             *     ]
             */
            resources: string[];
        };
        ResourceResultView: {
            /** @example 10.1.0.5 */
            resource: string;
            /** @description null until the discovery command ended */
            discovered: boolean | null;
            /** @description null until the ping monitor command ended */
            pinged: boolean | null;
            /** @example not discovered: SNMP timeout */
            reason: string | null;
        };
        SetupReportView: {
            resources: components["schemas"]["ResourceResultView"][];
            /**
             * Format: uuid
             * @description the RUN_DISCOVERY command
             */
            discoveryCommandId: string | null;
            /**
             * Format: uuid
             * @description the APPLY_PING_MONITORS command
             */
            pingMonitorsCommandId: string | null;
        };
        NodeAppsView: {
            /** @example gw-node-1 */
            node: string;
            /**
             * @example [
             *       "vprobe"
             *     ]
             */
            apps: string[];
        };
        AppPlacementView: {
            /** @example vprobe */
            app: string;
            /** @example gw-node-2 */
            node: string;
        };
        DrillReportView: {
            /**
             * @description the node that fails
             * @example gw-node-1
             */
            node: string;
            /** @example 600 */
            recoveryDeadlineSeconds: number;
            /** @example 3600 */
            nodeLossDeadlineSeconds: number;
            /** @description the gateway was asked to stop the node (STOP_NODE) */
            stopNode: boolean;
            /** Format: uuid */
            stopNodeCommandId: string | null;
            /** @description the apps RUNNING on each node when the drill started */
            placement: components["schemas"]["NodeAppsView"][];
            /** @description the apps of the failing node, which must come back on the others */
            appsToRecover: string[];
            /** Format: date-time */
            nodeLostAt: string | null;
            /** Format: date-time */
            recoveredAt: string | null;
            /**
             * @description from losing the node to every app RUNNING elsewhere with the gateway heartbeating
             * @example 42.5
             */
            recoverySeconds: number | null;
            /** @description where each app of the failed node runs again */
            recoveredOn: components["schemas"]["AppPlacementView"][];
            /** @description a failed drill: the apps not back in time */
            appsNotRecovered: string[];
            /**
             * Format: date-time
             * @description when the failed node was ready again
             */
            nodeReturnedAt: string | null;
        };
        ValidationView: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            tenantId: string;
            /** Format: uuid */
            gatewayId: string;
            /** @enum {string} */
            kind: "SETUP" | "NODE_FAILURE";
            /** @enum {string} */
            state: "RUNNING" | "PASSED" | "FAILED" | "CANCELLED";
            /** @enum {string} */
            phase: "AWAITING_RESULTS" | "AWAITING_NODE_LOSS" | "AWAITING_RECOVERY" | "ENDED";
            failureReason: string | null;
            /**
             * Format: date-time
             * @description the current phase's deadline
             */
            deadlineAt: string;
            /** @description SETUP runs */
            setup: components["schemas"]["SetupReportView"] | null;
            /** @description NODE_FAILURE runs */
            drill: components["schemas"]["DrillReportView"] | null;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            /** Format: date-time */
            endedAt: string | null;
        };
        StartNodeFailureDrillDto: {
            /**
             * @description the hostname of the node that will fail
             * @example gw-node-2
             */
            node: string;
            /** @description seconds after losing the node within which its apps must be RUNNING elsewhere; default DRILL_RECOVERY_DEADLINE_SECONDS */
            recoveryDeadlineSeconds?: number;
            /** @description seconds for the node to go down (the operator powers it off); default DRILL_NODE_LOSS_DEADLINE_SECONDS */
            nodeLossDeadlineSeconds?: number;
            /** @description ask the gateway to stop the node (STOP_NODE) instead of waiting for the operator to power it off */
            stopNode?: boolean;
        };
        ValidationPage: {
            items: components["schemas"]["ValidationView"][];
            /** @description pass as `cursor` to get the next page; null on the last page */
            nextCursor: string | null;
        };
        CreateWebhookRequest: {
            /**
             * Format: uri
             * @example https://hooks.example.com/gcp
             */
            url: string;
            /**
             * @example [
             *       "gateway.status_changed",
             *       "command.ended"
             *     ]
             */
            events: ("gateway.registered" | "gateway.status_changed" | "gateway.health_changed" | "gateway.deregistered" | "command.ended" | "bulk_command.ended" | "migration.updated" | "activation_token.used" | "webhook.disabled")[];
            /** @example ops pager bridge */
            description?: string | null;
        };
        CreatedWebhook: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            tenantId: string;
            /**
             * Format: uri
             * @example https://hooks.example.com/gcp
             */
            url: string;
            /**
             * @example [
             *       "gateway.status_changed",
             *       "command.ended"
             *     ]
             */
            events: ("gateway.registered" | "gateway.status_changed" | "gateway.health_changed" | "gateway.deregistered" | "command.ended" | "bulk_command.ended" | "migration.updated" | "activation_token.used" | "webhook.disabled")[];
            description: string | null;
            /**
             * @description DISABLED after failing for the whole retry period; an update re-enables it
             * @enum {string}
             */
            status: "ENABLED" | "DISABLED";
            disabledReason: string | null;
            /** Format: date-time */
            disabledAt: string | null;
            /**
             * @description the first characters of the signing secret, to tell secrets apart
             * @example whsec_3kF9
             */
            secretPrefix: string;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            /**
             * @description the Standard Webhooks signing secret; shown in this answer only
             * @example whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
             */
            secret: string;
        };
        Webhook: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            tenantId: string;
            /**
             * Format: uri
             * @example https://hooks.example.com/gcp
             */
            url: string;
            /**
             * @example [
             *       "gateway.status_changed",
             *       "command.ended"
             *     ]
             */
            events: ("gateway.registered" | "gateway.status_changed" | "gateway.health_changed" | "gateway.deregistered" | "command.ended" | "bulk_command.ended" | "migration.updated" | "activation_token.used" | "webhook.disabled")[];
            description: string | null;
            /**
             * @description DISABLED after failing for the whole retry period; an update re-enables it
             * @enum {string}
             */
            status: "ENABLED" | "DISABLED";
            disabledReason: string | null;
            /** Format: date-time */
            disabledAt: string | null;
            /**
             * @description the first characters of the signing secret, to tell secrets apart
             * @example whsec_3kF9
             */
            secretPrefix: string;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
        };
        WebhookPage: {
            items: components["schemas"]["Webhook"][];
            /** @description pass as `cursor` to get the next page; null on the last page */
            nextCursor: string | null;
        };
        UpdateWebhookRequest: {
            /** Format: uri */
            url?: string;
            events?: ("gateway.registered" | "gateway.status_changed" | "gateway.health_changed" | "gateway.deregistered" | "command.ended" | "bulk_command.ended" | "migration.updated" | "activation_token.used" | "webhook.disabled")[];
            description?: string | null;
            /** @description true re-enables a DISABLED endpoint (its failed deliveries are not sent again); false disables it */
            enabled?: boolean;
        };
        WebhookDelivery: {
            /**
             * Format: uuid
             * @description also the `webhook-id` header of every attempt (`msg_…` without the prefix)
             */
            id: string;
            /** Format: uuid */
            webhookId: string;
            /**
             * @example command.ended
             * @enum {string}
             */
            eventType: "gateway.registered" | "gateway.status_changed" | "gateway.health_changed" | "gateway.deregistered" | "command.ended" | "bulk_command.ended" | "migration.updated" | "activation_token.used" | "webhook.disabled" | "webhook.test";
            /** @enum {string} */
            status: "PENDING" | "SUCCEEDED" | "FAILED";
            /** @description attempts made so far */
            attempts: number;
            /** @description the last attempt's HTTP status (null: no answer) */
            lastStatusCode: number | null;
            /** @description why the last attempt got no answer (timeout, refused, …) */
            lastError: string | null;
            /** @description the last attempt's duration in milliseconds */
            lastDurationMs: number | null;
            /** Format: date-time */
            lastAttemptAt: string | null;
            /**
             * Format: date-time
             * @description when the next retry is due (PENDING only)
             */
            nextAttemptAt: string | null;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            deliveredAt: string | null;
        };
        WebhookDeliveryPage: {
            items: components["schemas"]["WebhookDelivery"][];
            /** @description pass as `cursor` to get the next page; null on the last page */
            nextCursor: string | null;
        };
        CommandUpdateRequest: {
            /** @enum {string} */
            state: "ACKNOWLEDGED" | "RUNNING" | "SUCCEEDED" | "FAILED";
            /** @example 40 */
            progressPercent?: number | null;
            /** @example restarting pods */
            message?: string | null;
            result?: {
                [key: string]: unknown;
            } | null;
            /** @example APP_NOT_FOUND */
            errorCode?: string | null;
        };
        NodeReport: {
            /** @example gw-node-1 */
            hostname: string;
            /** @example 10.20.0.11 */
            ipAddress: string;
            /** @example 4 */
            cpuCores: number;
            /** @example 8192 */
            memoryMb: number;
            /** @example 40 */
            diskGb: number;
            ready: boolean;
            /** @example 1.28.3 */
            kubernetesVersion?: string;
            apps?: components["schemas"]["AppReport"][];
            /**
             * @description this VM's gateway software version (the OVA it came from)
             * @example 0.9.6
             */
            softwareVersion?: string;
            /** @description the physical server this VM runs on */
            hypervisorHost?: {
                /**
                 * @description the physical host, stable across reports (for ESXi, its managed object id or UUID)
                 * @example host-1021
                 */
                id: string;
                /** @example esx-rack1-01.example.net */
                name?: string;
            };
            /** @description the hypervisor of that host */
            hypervisor?: {
                /** @example VMware ESXi */
                product: string;
                /** @example 7.0.3 */
                version: string;
            };
            /** @description the cluster's shared NFS volume as this node sees it */
            storage?: {
                /** @example 172.26.111.203 */
                server?: string;
                /** @example /shared/gw-1 */
                path?: string;
                mounted: boolean;
                writable: boolean;
            };
            /** @description each other node of the cluster as this node sees it */
            peers?: components["schemas"]["PeerReport"][];
            /** @description outbound reachability of the service and the registries */
            egress?: components["schemas"]["EgressReport"][];
            /** @description MicroK8s on this node */
            microk8s?: {
                running: boolean;
                /** @example 1.28.3 */
                version?: string;
                /**
                 * @description enabled add-ons
                 * @example [
                 *       "dns",
                 *       "metallb"
                 *     ]
                 */
                addons?: string[];
            };
            /** @description the Helm releases installed in the cluster */
            releases?: components["schemas"]["ReleaseReport"][];
        };
        AppReport: {
            /** @example vprobe */
            name: string;
            /** @example RUNNING */
            status: string;
            /** @example 0 */
            restarts: number;
        };
        PeerReport: {
            /** @example gw-node-2 */
            hostname: string;
            /**
             * @description what the hostname resolved to on this node; absent when it did not resolve
             * @example 10.20.0.12
             */
            address?: string;
            /** @description the hostname resolved on this node */
            resolves: boolean;
            /** @description the peer answered a ping at its IP address */
            reachable: boolean;
        };
        EgressReport: {
            /** @example registry-1.docker.io:443 */
            endpoint: string;
            reachable: boolean;
        };
        ReleaseReport: {
            /** @example gateway-manager */
            name: string;
            /** @example 0.9.6 */
            version?: string;
        };
        RegisterRequest: {
            /** @example gwat_3kF9… */
            activationToken: string;
            /** @enum {string} */
            gatewayType: "CLASSIC" | "CLUSTER";
            /**
             * @description made once by the gateway manager when it is installed
             * @example 9b2d0c1e-5f7a-4c0e-8d35-3f1f2f0b9e11
             */
            instanceId: string;
            /** @example dc1-gateway-cluster */
            name: string;
            /** @example 0.9.6 */
            softwareVersion: string;
            nodes: components["schemas"]["NodeReport"][];
            /** @description clusters only */
            cluster?: {
                /** @example 172.25.252.5 */
                loadBalancerIp?: string;
                /** @example 172.26.111.203 */
                nfsServer?: string;
                /** @example /shared/gw-1 */
                nfsPath?: string;
            };
        };
        HeartbeatRequest: {
            /**
             * @description changes each time the gateway manager starts
             * @example f1c9…
             */
            bootId: string;
            /**
             * @description grows within a boot
             * @example 42
             */
            sequence: number;
            /**
             * Format: date-time
             * @description the gateway's clock; only used to measure its skew
             * @example 2026-11-25T10:00:00Z
             */
            sentAt: string;
            /** @example 0.9.6 */
            softwareVersion: string;
            /** @example 3 */
            configurationVersion?: number;
            nodes: components["schemas"]["NodeReport"][];
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
};
export type $defs = Record<string, never>;
export interface operations {
    AuditEvents_list: {
        parameters: {
            query?: {
                limit?: number;
                /** @description the `nextCursor` of the previous page */
                cursor?: string;
            };
            header?: never;
            path: {
                /** @description the caller's tenant or one of its clients */
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditEventPage"];
                };
            };
            /** @description invalid input (INVALID_REQUEST, with field errors) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the role may not do this, or the tenant is suspended */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description no such object in this tenant (another tenant's answers the same) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the API client's rate limit is used up (TOO_MANY_REQUESTS); `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description any other error: 413 body too large, 415 unsupported media type, 429 too many requests, 500, 503 with Retry-After */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    AuditEvents_export: {
        parameters: {
            query: {
                /** @description events created at or after this time */
                from: string;
                /** @description events created before this time */
                to: string;
            };
            header?: never;
            path: {
                /** @description the caller's tenant or one of its clients */
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description one AuditEvent per line */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/x-ndjson": components["schemas"]["AuditEvent"];
                };
            };
            /** @description invalid input (INVALID_REQUEST, with field errors) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the role may not do this, or the tenant is suspended */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description no such object in this tenant (another tenant's answers the same) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the API client's rate limit is used up (TOO_MANY_REQUESTS); `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description any other error: 413 body too large, 415 unsupported media type, 429 too many requests, 500, 503 with Retry-After */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    OAuth_token: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["TokenRequest"];
                "application/json": components["schemas"]["TokenRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    /** @description no-store (RFC 6749 §5.1) */
                    "Cache-Control": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenResponse"];
                };
            };
            /** @description invalid_request, unsupported_grant_type, invalid_scope, or unauthorized_client (its tenant is suspended); a body refused before the grant is read is problem+json (INVALID_CHARACTERS, BODY_TOO_DEEP) */
            400: {
                headers: {
                    /** @description no-store (RFC 6749 §5.1) */
                    "Cache-Control": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenError"];
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description invalid_client: unknown client, wrong secret or no client authentication */
            401: {
                headers: {
                    /** @description no-store (RFC 6749 §5.1) */
                    "Cache-Control": string;
                    /** @description Basic realm="gateway-control-plane" */
                    "WWW-Authenticate": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenError"];
                };
            };
            /** @description any other error: 413 body too large, 415 unsupported media type, 429 too many requests, 500, 503 with Retry-After */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    Tenants_list: {
        parameters: {
            query?: {
                limit?: number;
                /** @description the `nextCursor` of the previous page */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TenantPage"];
                };
            };
            /** @description invalid input (INVALID_REQUEST, with field errors) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the role may not do this, or the tenant is suspended */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the API client's rate limit is used up (TOO_MANY_REQUESTS); `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description any other error: 413 body too large, 415 unsupported media type, 429 too many requests, 500, 503 with Retry-After */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    Tenants_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateTenantRequest"];
            };
        };
        responses: {
            201: {
                headers: {
                    /** @description the created object: /api/v1/tenants/{id} */
                    Location: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Tenant"];
                };
            };
            /** @description invalid input (INVALID_REQUEST, with field errors) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the role may not do this, or the tenant is suspended */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the API client's rate limit is used up (TOO_MANY_REQUESTS); `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description any other error: 413 body too large, 415 unsupported media type, 429 too many requests, 500, 503 with Retry-After */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    Tenants_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the caller's tenant or one of its clients */
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Tenant"];
                };
            };
            /** @description invalid input (INVALID_REQUEST, with field errors) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the role may not do this, or the tenant is suspended */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description no such object in this tenant (another tenant's answers the same) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the API client's rate limit is used up (TOO_MANY_REQUESTS); `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description any other error: 413 body too large, 415 unsupported media type, 429 too many requests, 500, 503 with Retry-After */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    Tenants_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the caller's tenant or one of its clients */
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateTenantRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Tenant"];
                };
            };
            /** @description invalid input (INVALID_REQUEST, with field errors) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the role may not do this, or the tenant is suspended */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description no such object in this tenant (another tenant's answers the same) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the API client's rate limit is used up (TOO_MANY_REQUESTS); `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description any other error: 413 body too large, 415 unsupported media type, 429 too many requests, 500, 503 with Retry-After */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    ApiClients_list: {
        parameters: {
            query?: {
                limit?: number;
                /** @description the `nextCursor` of the previous page */
                cursor?: string;
            };
            header?: never;
            path: {
                /** @description the caller's tenant or one of its clients */
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiClientPage"];
                };
            };
            /** @description invalid input (INVALID_REQUEST, with field errors) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the role may not do this, or the tenant is suspended */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description no such object in this tenant (another tenant's answers the same) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the API client's rate limit is used up (TOO_MANY_REQUESTS); `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description any other error: 413 body too large, 415 unsupported media type, 429 too many requests, 500, 503 with Retry-After */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    ApiClients_create: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the caller's tenant or one of its clients */
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateApiClientRequest"];
            };
        };
        responses: {
            201: {
                headers: {
                    /** @description the created object: /api/v1/tenants/{tenantId}/api-clients/{id} */
                    Location: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedApiClient"];
                };
            };
            /** @description invalid input (INVALID_REQUEST, with field errors) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the role may not do this, or the tenant is suspended */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description no such object in this tenant (another tenant's answers the same) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the API client's rate limit is used up (TOO_MANY_REQUESTS); `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description any other error: 413 body too large, 415 unsupported media type, 429 too many requests, 500, 503 with Retry-After */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    ApiClients_delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                apiClientId: string;
                /** @description the caller's tenant or one of its clients */
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description invalid input (INVALID_REQUEST, with field errors) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the role may not do this, or the tenant is suspended */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description no such object in this tenant (another tenant's answers the same) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the API client's rate limit is used up (TOO_MANY_REQUESTS); `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description any other error: 413 body too large, 415 unsupported media type, 429 too many requests, 500, 503 with Retry-After */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    Profiles_list: {
        parameters: {
            query?: {
                limit?: number;
                /** @description the `nextCursor` of the previous page */
                cursor?: string;
                status?: "NOT_REGISTERED" | "CONNECTED" | "DISCONNECTED" | "MIGRATING";
                gatewayType?: "CLASSIC" | "CLUSTER";
                /** @description case-insensitive part of the name */
                search?: string;
                /** @description Kubernetes label selector, e.g. `site=paris,env!=lab` (also `in`, `notin`, `key`, `!key`) */
                labelSelector?: string;
            };
            header?: never;
            path: {
                /** @description the caller's tenant or one of its clients */
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProfilePage"];
                };
            };
            /** @description invalid input (INVALID_REQUEST, with field errors) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the role may not do this, or the tenant is suspended */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description no such object in this tenant (another tenant's answers the same) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the API client's rate limit is used up (TOO_MANY_REQUESTS); `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description any other error: 413 body too large, 415 unsupported media type, 429 too many requests, 500, 503 with Retry-After */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    Profiles_create: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the caller's tenant or one of its clients */
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateProfileRequest"];
            };
        };
        responses: {
            201: {
                headers: {
                    /** @description the created object: /api/v1/tenants/{tenantId}/management-profiles/{id} */
                    Location: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ManagementProfile"];
                };
            };
            /** @description invalid input (INVALID_REQUEST, with field errors) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the role may not do this, or the tenant is suspended */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description no such object in this tenant (another tenant's answers the same) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description PROFILE_NAME_TAKEN */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the API client's rate limit is used up (TOO_MANY_REQUESTS); `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description any other error: 413 body too large, 415 unsupported media type, 429 too many requests, 500, 503 with Retry-After */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    Profiles_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                profileId: string;
                /** @description the caller's tenant or one of its clients */
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    /** @description the version of the object; send it back as If-Match */
                    ETag: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ManagementProfile"];
                };
            };
            /** @description invalid input (INVALID_REQUEST, with field errors) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the role may not do this, or the tenant is suspended */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description no such object in this tenant (another tenant's answers the same) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the API client's rate limit is used up (TOO_MANY_REQUESTS); `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description any other error: 413 body too large, 415 unsupported media type, 429 too many requests, 500, 503 with Retry-After */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    Profiles_delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                profileId: string;
                /** @description the caller's tenant or one of its clients */
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description invalid input (INVALID_REQUEST, with field errors) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the role may not do this, or the tenant is suspended */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description no such object in this tenant (another tenant's answers the same) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description PROFILE_HAS_ACTIVE_GATEWAY */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the API client's rate limit is used up (TOO_MANY_REQUESTS); `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description any other error: 413 body too large, 415 unsupported media type, 429 too many requests, 500, 503 with Retry-After */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    Profiles_update: {
        parameters: {
            query?: never;
            header?: {
                /** @description the ETag of the GET this edit is based on: 412 if the object changed since */
                "If-Match"?: string;
            };
            path: {
                profileId: string;
                /** @description the caller's tenant or one of its clients */
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateProfileRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    /** @description the version of the object; send it back as If-Match */
                    ETag: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ManagementProfile"];
                };
            };
            /** @description invalid input (INVALID_REQUEST, with field errors) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the role may not do this, or the tenant is suspended */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description no such object in this tenant (another tenant's answers the same) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description PROFILE_NAME_TAKEN or PROFILE_VERSION_CONFLICT */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description PRECONDITION_FAILED: If-Match does not name the current version */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the API client's rate limit is used up (TOO_MANY_REQUESTS); `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description any other error: 413 body too large, 415 unsupported media type, 429 too many requests, 500, 503 with Retry-After */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    ActivationTokens_list: {
        parameters: {
            query?: {
                limit?: number;
                /** @description the `nextCursor` of the previous page */
                cursor?: string;
            };
            header?: never;
            path: {
                profileId: string;
                /** @description the caller's tenant or one of its clients */
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ActivationTokenPage"];
                };
            };
            /** @description invalid input (INVALID_REQUEST, with field errors) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the role may not do this, or the tenant is suspended */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description no such object in this tenant (another tenant's answers the same) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the API client's rate limit is used up (TOO_MANY_REQUESTS); `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description any other error: 413 body too large, 415 unsupported media type, 429 too many requests, 500, 503 with Retry-After */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    ActivationTokens_mint: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                profileId: string;
                /** @description the caller's tenant or one of its clients */
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MintActivationTokenRequest"];
            };
        };
        responses: {
            201: {
                headers: {
                    /** @description the created object: /api/v1/tenants/{tenantId}/management-profiles/{profileId}/activation-tokens/{id} */
                    Location: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MintedActivationToken"];
                };
            };
            /** @description invalid input (INVALID_REQUEST, with field errors) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the role may not do this, or the tenant is suspended */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description no such object in this tenant (another tenant's answers the same) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description MIGRATION_IN_PROGRESS: a running migration has its own token */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the API client's rate limit is used up (TOO_MANY_REQUESTS); `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description any other error: 413 body too large, 415 unsupported media type, 429 too many requests, 500, 503 with Retry-After */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    ActivationTokens_revoke: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                profileId: string;
                tokenId: string;
                /** @description the caller's tenant or one of its clients */
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description invalid input (INVALID_REQUEST, with field errors) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the role may not do this, or the tenant is suspended */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description no such object in this tenant (another tenant's answers the same) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description ACTIVATION_TOKEN_NOT_ACTIVE: it was used or has expired */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the API client's rate limit is used up (TOO_MANY_REQUESTS); `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description any other error: 413 body too large, 415 unsupported media type, 429 too many requests, 500, 503 with Retry-After */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    Gateways_list: {
        parameters: {
            query?: {
                limit?: number;
                /** @description the `nextCursor` of the previous page */
                cursor?: string;
                status?: "REGISTERED" | "CONNECTED" | "DISCONNECTED" | "DEREGISTERED";
                type?: "CLASSIC" | "CLUSTER";
                health?: "HEALTHY" | "DEGRADED" | "DOWN";
                profileId?: string;
                /** @description Kubernetes label selector on the gateway's profile, e.g. `site=paris,env!=lab` */
                labelSelector?: string;
            };
            header?: never;
            path: {
                /** @description the caller's tenant or one of its clients */
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayPage"];
                };
            };
            /** @description invalid input (INVALID_REQUEST, with field errors) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the role may not do this, or the tenant is suspended */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description no such object in this tenant (another tenant's answers the same) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the API client's rate limit is used up (TOO_MANY_REQUESTS); `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description any other error: 413 body too large, 415 unsupported media type, 429 too many requests, 500, 503 with Retry-After */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    Gateways_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                gatewayId: string;
                /** @description the caller's tenant or one of its clients */
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Gateway"];
                };
            };
            /** @description invalid input (INVALID_REQUEST, with field errors) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the role may not do this, or the tenant is suspended */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description no such object in this tenant (another tenant's answers the same) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the API client's rate limit is used up (TOO_MANY_REQUESTS); `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description any other error: 413 body too large, 415 unsupported media type, 429 too many requests, 500, 503 with Retry-After */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    Gateways_deregister: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                gatewayId: string;
                /** @description the caller's tenant or one of its clients */
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Gateway"];
                };
            };
            /** @description invalid input (INVALID_REQUEST, with field errors) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the role may not do this, or the tenant is suspended */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description no such object in this tenant (another tenant's answers the same) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the API client's rate limit is used up (TOO_MANY_REQUESTS); `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description any other error: 413 body too large, 415 unsupported media type, 429 too many requests, 500, 503 with Retry-After */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    Gateways_replace: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                gatewayId: string;
                /** @description the caller's tenant or one of its clients */
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReplaceGatewayRequest"];
            };
        };
        responses: {
            201: {
                headers: {
                    /** @description the created object: /api/v1/tenants/{tenantId}/management-profiles/{profileId}/activation-tokens/{activationToken.id} */
                    Location: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Replacement"];
                };
            };
            /** @description invalid input (INVALID_REQUEST, with field errors) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the role may not do this, or the tenant is suspended */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description no such object in this tenant (another tenant's answers the same) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description GATEWAY_NOT_ACTIVE (the gateway was de-registered) or MIGRATION_IN_PROGRESS */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the API client's rate limit is used up (TOO_MANY_REQUESTS); `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description any other error: 413 body too large, 415 unsupported media type, 429 too many requests, 500, 503 with Retry-After */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    Gateways_removeNode: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                gatewayId: string;
                nodeId: string;
                /** @description the caller's tenant or one of its clients */
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description invalid input (INVALID_REQUEST, with field errors) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the role may not do this, or the tenant is suspended */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description no such object in this tenant (another tenant's answers the same) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description NODE_NOT_MISSING: the node is still reported */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the API client's rate limit is used up (TOO_MANY_REQUESTS); `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description any other error: 413 body too large, 415 unsupported media type, 429 too many requests, 500, 503 with Retry-After */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    Gateways_fleetStatus: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the caller's tenant or one of its clients */
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FleetStatus"];
                };
            };
            /** @description invalid input (INVALID_REQUEST, with field errors) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the role may not do this, or the tenant is suspended */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description no such object in this tenant (another tenant's answers the same) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the API client's rate limit is used up (TOO_MANY_REQUESTS); `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description any other error: 413 body too large, 415 unsupported media type, 429 too many requests, 500, 503 with Retry-After */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    GatewayProtocol_register: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RegisterRequest"];
            };
        };
        responses: {
            /** @description a retry: the same gateway, a fresh secret */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RegisterResponse"];
                };
            };
            /** @description a new gateway (Location: its management API URL) */
            201: {
                headers: {
                    /** @description the created object: /api/v1/tenants/{tenantId}/gateways/{gatewayId} */
                    Location: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RegisterResponse"];
                };
            };
            /** @description INVALID_REQUEST, with field errors */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description ACTIVATION_TOKEN_INVALID, _EXPIRED, _REVOKED or _USED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description FEATURE_NOT_ENABLED: a cluster on a tenant without gateway clustering */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description PROFILE_HAS_ACTIVE_GATEWAY */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description TOO_MANY_ATTEMPTS, with Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description any other error: 413 body too large, 415 unsupported media type, 429 too many requests, 500, 503 with Retry-After */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    GatewayProtocol_token: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["GatewayTokenRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayTokenResponse"];
                };
            };
            /** @description INVALID_REQUEST, with field errors */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description GATEWAY_CREDENTIAL_INVALID or GATEWAY_DEREGISTERED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description any other error: 413 body too large, 415 unsupported media type, 429 too many requests, 500, 503 with Retry-After */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    GatewayProtocol_heartbeat: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["HeartbeatRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HeartbeatResponse"];
                };
            };
            /** @description INVALID_REQUEST, with field errors */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description ACCESS_TOKEN_EXPIRED (get a new one with 2) or GATEWAY_DEREGISTERED (stop) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description any other error: 413 body too large, 415 unsupported media type, 429 too many requests, 500, 503 with Retry-After */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    GatewayProtocol_deregister: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeregisterResponse"];
                };
            };
            /** @description INVALID_REQUEST, with field errors */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description ACCESS_TOKEN_EXPIRED or GATEWAY_DEREGISTERED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description any other error: 413 body too large, 415 unsupported media type, 429 too many requests, 500, 503 with Retry-After */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    Commands_list: {
        parameters: {
            query?: {
                limit?: number;
                /** @description the `nextCursor` of the previous page */
                cursor?: string;
                state?: "QUEUED" | "DELIVERED" | "ACKNOWLEDGED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "EXPIRED" | "TIMED_OUT" | "CANCELLED" | "ABORTED";
            };
            header?: never;
            path: {
                gatewayId: string;
                /** @description the caller's tenant or one of its clients */
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CommandPage"];
                };
            };
            /** @description invalid input (INVALID_REQUEST, with field errors) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the role may not do this, or the tenant is suspended */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description no such object in this tenant (another tenant's answers the same) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the API client's rate limit is used up (TOO_MANY_REQUESTS); `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description any other error: 413 body too large, 415 unsupported media type, 429 too many requests, 500, 503 with Retry-After */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    Commands_queue: {
        parameters: {
            query?: never;
            header?: {
                /** @description the same key within 24 h answers the first result (200) instead of making a second */
                "Idempotency-Key"?: string;
            };
            path: {
                gatewayId: string;
                /** @description the caller's tenant or one of its clients */
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["QueueCommandRequest"];
            };
        };
        responses: {
            /** @description an Idempotency-Key seen before: the first answer's command, with `Idempotent-Replayed: true` */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Command"];
                };
            };
            201: {
                headers: {
                    /** @description the created object: /api/v1/tenants/{tenantId}/commands/{id} */
                    Location: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Command"];
                };
            };
            /** @description invalid input (INVALID_REQUEST, with field errors) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the role may not do this, or the tenant is suspended */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description no such object in this tenant (another tenant's answers the same) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description GATEWAY_NOT_ACTIVE (the gateway was de-registered), or IDEMPOTENCY_KEY_REUSED */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the API client's rate limit is used up (TOO_MANY_REQUESTS); `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description any other error: 413 body too large, 415 unsupported media type, 429 too many requests, 500, 503 with Retry-After */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    Commands_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                commandId: string;
                /** @description the caller's tenant or one of its clients */
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Command"];
                };
            };
            /** @description invalid input (INVALID_REQUEST, with field errors) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the role may not do this, or the tenant is suspended */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description no such object in this tenant (another tenant's answers the same) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the API client's rate limit is used up (TOO_MANY_REQUESTS); `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description any other error: 413 body too large, 415 unsupported media type, 429 too many requests, 500, 503 with Retry-After */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    Commands_cancel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                commandId: string;
                /** @description the caller's tenant or one of its clients */
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Command"];
                };
            };
            /** @description invalid input (INVALID_REQUEST, with field errors) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the role may not do this, or the tenant is suspended */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description no such object in this tenant (another tenant's answers the same) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description COMMAND_ALREADY_ENDED */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the API client's rate limit is used up (TOO_MANY_REQUESTS); `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description any other error: 413 body too large, 415 unsupported media type, 429 too many requests, 500, 503 with Retry-After */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    Commands_createBulk: {
        parameters: {
            query?: never;
            header?: {
                /** @description the same key within 24 h answers the first result (200) instead of making a second */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description the caller's tenant or one of its clients */
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateBulkCommandRequest"];
            };
        };
        responses: {
            /** @description an Idempotency-Key seen before: the first answer's bulk command, with `Idempotent-Replayed: true` */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BulkCommand"];
                };
            };
            201: {
                headers: {
                    /** @description the created object: /api/v1/tenants/{tenantId}/bulk-commands/{id} */
                    Location: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BulkCommand"];
                };
            };
            /** @description invalid input (INVALID_REQUEST, with field errors) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the role may not do this, or the tenant is suspended */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description no such object in this tenant (another tenant's answers the same) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the API client's rate limit is used up (TOO_MANY_REQUESTS); `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description any other error: 413 body too large, 415 unsupported media type, 429 too many requests, 500, 503 with Retry-After */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    Commands_getBulk: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                bulkId: string;
                /** @description the caller's tenant or one of its clients */
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BulkCommand"];
                };
            };
            /** @description invalid input (INVALID_REQUEST, with field errors) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the role may not do this, or the tenant is suspended */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description no such object in this tenant (another tenant's answers the same) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the API client's rate limit is used up (TOO_MANY_REQUESTS); `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description any other error: 413 body too large, 415 unsupported media type, 429 too many requests, 500, 503 with Retry-After */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    GatewayCommands_poll: {
        parameters: {
            query?: {
                waitSeconds?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PollCommandsResponse"];
                };
            };
            /** @description INVALID_REQUEST, with field errors */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description ACCESS_TOKEN_EXPIRED or GATEWAY_DEREGISTERED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description any other error: 413 body too large, 415 unsupported media type, 429 too many requests, 500, 503 with Retry-After */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    GatewayCommands_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                commandId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CommandUpdateRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CommandUpdateResponse"];
                };
            };
            /** @description INVALID_REQUEST, with field errors */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description ACCESS_TOKEN_EXPIRED or GATEWAY_DEREGISTERED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description COMMAND_NOT_FOUND: not this gateway's command */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description COMMAND_ALREADY_ENDED: stop that work */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description any other error: 413 body too large, 415 unsupported media type, 429 too many requests, 500, 503 with Retry-After */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    Migrations_list: {
        parameters: {
            query?: {
                limit?: number;
                /** @description the `nextCursor` of the previous page */
                cursor?: string;
                profileId?: string;
            };
            header?: never;
            path: {
                /** @description the caller's tenant or one of its clients */
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MigrationPage"];
                };
            };
            /** @description invalid input (INVALID_REQUEST, with field errors) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the role may not do this, or the tenant is suspended */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description no such object in this tenant (another tenant's answers the same) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the API client's rate limit is used up (TOO_MANY_REQUESTS); `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description any other error: 413 body too large, 415 unsupported media type, 429 too many requests, 500, 503 with Retry-After */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    Migrations_start: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the caller's tenant or one of its clients */
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StartMigrationRequest"];
            };
        };
        responses: {
            201: {
                headers: {
                    /** @description the created object: /api/v1/tenants/{tenantId}/migrations/{id} */
                    Location: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Migration"];
                };
            };
            /** @description invalid input (INVALID_REQUEST, with field errors) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the role may not do this, or the tenant is suspended */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description no such object in this tenant (another tenant's answers the same) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description MIGRATION_IN_PROGRESS or NO_GATEWAY_TO_MIGRATE */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the API client's rate limit is used up (TOO_MANY_REQUESTS); `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description any other error: 413 body too large, 415 unsupported media type, 429 too many requests, 500, 503 with Retry-After */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    Migrations_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                migrationId: string;
                /** @description the caller's tenant or one of its clients */
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Migration"];
                };
            };
            /** @description invalid input (INVALID_REQUEST, with field errors) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the role may not do this, or the tenant is suspended */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description no such object in this tenant (another tenant's answers the same) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the API client's rate limit is used up (TOO_MANY_REQUESTS); `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description any other error: 413 body too large, 415 unsupported media type, 429 too many requests, 500, 503 with Retry-After */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    Migrations_rollback: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                migrationId: string;
                /** @description the caller's tenant or one of its clients */
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RollbackMigrationRequest"];
            };
        };
        responses: {
            201: {
                headers: {
                    /** @description the created object: /api/v1/tenants/{tenantId}/migrations/{id} */
                    Location: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Migration"];
                };
            };
            /** @description invalid input (INVALID_REQUEST, with field errors) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the role may not do this, or the tenant is suspended */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description no such object in this tenant (another tenant's answers the same) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description MIGRATION_IN_PROGRESS or MIGRATION_ALREADY_ROLLED_BACK */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the API client's rate limit is used up (TOO_MANY_REQUESTS); `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description any other error: 413 body too large, 415 unsupported media type, 429 too many requests, 500, 503 with Retry-After */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    Validations_startSetup: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                gatewayId: string;
                /** @description the caller's tenant or one of its clients */
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StartSetupValidationDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationView"];
                };
            };
            /** @description invalid input (INVALID_REQUEST, with field errors) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the role may not do this, or the tenant is suspended */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description GATEWAY_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description GATEWAY_NOT_ACTIVE (the gateway was de-registered) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the API client's rate limit is used up (TOO_MANY_REQUESTS); `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description any other error: 413 body too large, 415 unsupported media type, 429 too many requests, 500, 503 with Retry-After */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    Validations_startDrill: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                gatewayId: string;
                /** @description the caller's tenant or one of its clients */
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StartNodeFailureDrillDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationView"];
                };
            };
            /** @description invalid input (INVALID_REQUEST, with field errors) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the role may not do this, or the tenant is suspended */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description GATEWAY_NOT_FOUND or NODE_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description GATEWAY_NOT_ACTIVE, NOT_A_CLUSTER, NODE_NOT_READY, NO_OTHER_NODE or VALIDATION_IN_PROGRESS */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the API client's rate limit is used up (TOO_MANY_REQUESTS); `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description any other error: 413 body too large, 415 unsupported media type, 429 too many requests, 500, 503 with Retry-After */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    Validations_list: {
        parameters: {
            query?: {
                limit?: number;
                /** @description the `nextCursor` of the previous page */
                cursor?: string;
                /** @description only this gateway's runs */
                gatewayId?: string;
            };
            header?: never;
            path: {
                /** @description the caller's tenant or one of its clients */
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationPage"];
                };
            };
            /** @description invalid input (INVALID_REQUEST, with field errors) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the role may not do this, or the tenant is suspended */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description no such object in this tenant (another tenant's answers the same) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the API client's rate limit is used up (TOO_MANY_REQUESTS); `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description any other error: 413 body too large, 415 unsupported media type, 429 too many requests, 500, 503 with Retry-After */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    Validations_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                validationId: string;
                /** @description the caller's tenant or one of its clients */
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationView"];
                };
            };
            /** @description invalid input (INVALID_REQUEST, with field errors) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the role may not do this, or the tenant is suspended */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description VALIDATION_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the API client's rate limit is used up (TOO_MANY_REQUESTS); `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description any other error: 413 body too large, 415 unsupported media type, 429 too many requests, 500, 503 with Retry-After */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    Validations_cancel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                validationId: string;
                /** @description the caller's tenant or one of its clients */
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationView"];
                };
            };
            /** @description invalid input (INVALID_REQUEST, with field errors) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the role may not do this, or the tenant is suspended */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description VALIDATION_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description VALIDATION_ALREADY_ENDED */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the API client's rate limit is used up (TOO_MANY_REQUESTS); `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description any other error: 413 body too large, 415 unsupported media type, 429 too many requests, 500, 503 with Retry-After */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    Webhooks_list: {
        parameters: {
            query?: {
                limit?: number;
                /** @description the `nextCursor` of the previous page */
                cursor?: string;
            };
            header?: never;
            path: {
                /** @description the caller's tenant or one of its clients */
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookPage"];
                };
            };
            /** @description invalid input (INVALID_REQUEST, with field errors) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the role may not do this, or the tenant is suspended */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description no such object in this tenant (another tenant's answers the same) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the API client's rate limit is used up (TOO_MANY_REQUESTS); `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description any other error: 413 body too large, 415 unsupported media type, 429 too many requests, 500, 503 with Retry-After */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    Webhooks_create: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the caller's tenant or one of its clients */
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateWebhookRequest"];
            };
        };
        responses: {
            201: {
                headers: {
                    /** @description the created object: /api/v1/tenants/{tenantId}/webhooks/{id} */
                    Location: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedWebhook"];
                };
            };
            /** @description invalid input (INVALID_REQUEST, with field errors) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the role may not do this, or the tenant is suspended */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description no such object in this tenant (another tenant's answers the same) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the API client's rate limit is used up (TOO_MANY_REQUESTS); `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description any other error: 413 body too large, 415 unsupported media type, 429 too many requests, 500, 503 with Retry-After */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    Webhooks_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                webhookId: string;
                /** @description the caller's tenant or one of its clients */
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Webhook"];
                };
            };
            /** @description invalid input (INVALID_REQUEST, with field errors) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the role may not do this, or the tenant is suspended */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description no such object in this tenant (another tenant's answers the same) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the API client's rate limit is used up (TOO_MANY_REQUESTS); `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description any other error: 413 body too large, 415 unsupported media type, 429 too many requests, 500, 503 with Retry-After */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    Webhooks_delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                webhookId: string;
                /** @description the caller's tenant or one of its clients */
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description invalid input (INVALID_REQUEST, with field errors) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the role may not do this, or the tenant is suspended */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description no such object in this tenant (another tenant's answers the same) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the API client's rate limit is used up (TOO_MANY_REQUESTS); `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description any other error: 413 body too large, 415 unsupported media type, 429 too many requests, 500, 503 with Retry-After */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    Webhooks_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                webhookId: string;
                /** @description the caller's tenant or one of its clients */
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateWebhookRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Webhook"];
                };
            };
            /** @description invalid input (INVALID_REQUEST, with field errors) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the role may not do this, or the tenant is suspended */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description no such object in this tenant (another tenant's answers the same) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the API client's rate limit is used up (TOO_MANY_REQUESTS); `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description any other error: 413 body too large, 415 unsupported media type, 429 too many requests, 500, 503 with Retry-After */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    Webhooks_test: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                webhookId: string;
                /** @description the caller's tenant or one of its clients */
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDelivery"];
                };
            };
            /** @description invalid input (INVALID_REQUEST, with field errors) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the role may not do this, or the tenant is suspended */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description no such object in this tenant (another tenant's answers the same) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the API client's rate limit is used up (TOO_MANY_REQUESTS); `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description any other error: 413 body too large, 415 unsupported media type, 429 too many requests, 500, 503 with Retry-After */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    Webhooks_deliveries: {
        parameters: {
            query?: {
                limit?: number;
                /** @description the `nextCursor` of the previous page */
                cursor?: string;
            };
            header?: never;
            path: {
                webhookId: string;
                /** @description the caller's tenant or one of its clients */
                tenantId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDeliveryPage"];
                };
            };
            /** @description invalid input (INVALID_REQUEST, with field errors) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the role may not do this, or the tenant is suspended */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description no such object in this tenant (another tenant's answers the same) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description the API client's rate limit is used up (TOO_MANY_REQUESTS); `Retry-After` says when to try again */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description any other error: 413 body too large, 415 unsupported media type, 429 too many requests, 500, 503 with Retry-After */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
}
