import { DomainError } from '../platform/errors/domain-error.js';

export const TenantErrorCode = {
  TENANT_NOT_FOUND: 'TENANT_NOT_FOUND',
  TENANT_SUSPENDED: 'TENANT_SUSPENDED',
  ONLY_PARTNERS_CREATE_CLIENTS: 'ONLY_PARTNERS_CREATE_CLIENTS',
  ONLY_PARENT_MAY_CHANGE: 'ONLY_PARENT_MAY_CHANGE',
  API_CLIENT_NOT_FOUND: 'API_CLIENT_NOT_FOUND',
  CANNOT_DELETE_SELF: 'CANNOT_DELETE_SELF',
  INVALID_CLIENT: 'INVALID_CLIENT',
} as const;

export const TenantErrors = {
  notFound: () => new DomainError(TenantErrorCode.TENANT_NOT_FOUND, 404, 'tenant not found'),
  suspended: () => new DomainError(TenantErrorCode.TENANT_SUSPENDED, 403, 'the tenant is suspended'),
  onlyPartnersCreateClients: () =>
    new DomainError(TenantErrorCode.ONLY_PARTNERS_CREATE_CLIENTS, 403, 'only a partner creates client tenants'),
  onlyParentMayChange: (what: string) =>
    new DomainError(TenantErrorCode.ONLY_PARENT_MAY_CHANGE, 403, `a tenant's ${what} is changed by its partner, not by the tenant itself`),
  apiClientNotFound: () => new DomainError(TenantErrorCode.API_CLIENT_NOT_FOUND, 404, 'API client not found'),
  cannotDeleteSelf: () => new DomainError(TenantErrorCode.CANNOT_DELETE_SELF, 409, 'an API client cannot delete itself'),
  invalidClient: () => new DomainError(TenantErrorCode.INVALID_CLIENT, 401, 'unknown client_id or wrong client_secret'),
};
