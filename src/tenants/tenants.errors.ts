import { codesOf, errorOf, type ErrorCodes } from '../platform/errors/domain-error.js';

/** The tenants part's codes and their one status each (see ErrorCodes). */
export const TENANT_ERRORS = {
  TENANT_NOT_FOUND: 404,
  TENANT_SUSPENDED: 403,
  ONLY_PARTNERS_CREATE_CLIENTS: 403,
  ONLY_PARENT_MAY_CHANGE: 403,
  API_CLIENT_NOT_FOUND: 404,
  CANNOT_DELETE_SELF: 409,
  INVALID_CLIENT: 401,
  UNSUPPORTED_GRANT_TYPE: 400,
  QUOTA_EXCEEDED: 409,
} as const satisfies ErrorCodes;

export const TenantErrorCode = codesOf(TENANT_ERRORS);

export const TenantErrors = {
  notFound: () => errorOf(TENANT_ERRORS, 'TENANT_NOT_FOUND', 'tenant not found'),
  suspended: () => errorOf(TENANT_ERRORS, 'TENANT_SUSPENDED', 'the tenant is suspended'),
  onlyPartnersCreateClients: () => errorOf(TENANT_ERRORS, 'ONLY_PARTNERS_CREATE_CLIENTS', 'only a partner creates client tenants'),
  onlyParentMayChange: (what: string) =>
    errorOf(TENANT_ERRORS, 'ONLY_PARENT_MAY_CHANGE', `a tenant's ${what} is changed by its partner, not by the tenant itself`),
  apiClientNotFound: () => errorOf(TENANT_ERRORS, 'API_CLIENT_NOT_FOUND', 'API client not found'),
  cannotDeleteSelf: () => errorOf(TENANT_ERRORS, 'CANNOT_DELETE_SELF', 'an API client cannot delete itself'),
  invalidClient: () => errorOf(TENANT_ERRORS, 'INVALID_CLIENT', 'unknown client_id or wrong client_secret'),
  unsupportedGrantType: () =>
    errorOf(TENANT_ERRORS, 'UNSUPPORTED_GRANT_TYPE', 'grant_type must be client_credentials', [
      { field: 'grant_type', message: 'grant_type must be client_credentials' },
    ]),
  quotaExceeded: (quota: string, limit: number) =>
    errorOf(TENANT_ERRORS, 'QUOTA_EXCEEDED', `the tenant's ${quota} quota (${limit}) is used up`, [
      { field: `quotas.${quota}`, message: `the tenant holds ${limit} ${quota}, its quota` },
    ]),
};
