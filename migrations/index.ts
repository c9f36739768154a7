import { CreateTenantsAuditOutbox1764057600000 } from './1764057600000-create-tenants-audit-outbox.js';

/**
 * Every migration, oldest first. Listed explicitly rather than globbed: the same list works from
 * TypeScript sources (tests) and from the compiled output (the service), ES modules included.
 */
export const MIGRATIONS = [CreateTenantsAuditOutbox1764057600000];
