import { CreateTenantsAuditOutbox1764057600000 } from './1764057600000-create-tenants-audit-outbox.js';
import { CreateProfilesActivationTokens1764057700000 } from './1764057700000-create-profiles-activation-tokens.js';
import { CreateGateways1764057800000 } from './1764057800000-create-gateways.js';
import { CreateCommands1764057900000 } from './1764057900000-create-commands.js';
import { CreateGatewayMigrations1764058000000 } from './1764058000000-create-gateway-migrations.js';
import { AddNodeFacts1764400000000 } from './1764400000000-add-node-facts.js';
import { CreateValidationRuns1764400100000 } from './1764400100000-create-validation-runs.js';
import { PartitionHistoryAndRetention1796040000000 } from './1796040000000-partition-history-and-retention.js';
import { GatewayFleetCounts1796050000000 } from './1796050000000-gateway-fleet-counts.js';
import { GatewayCredentialGeneration1796060000000 } from './1796060000000-gateway-credential-generation.js';
import { Webhooks1796170000000 } from './1796170000000-webhooks.js';
import { ProfileLabelsAndQuotas1796170100000 } from './1796170100000-profile-labels-and-quotas.js';
import { TenantFleetCounts1796180000000 } from './1796180000000-tenant-fleet-counts.js';
import { BulkSkippedTargets1796180100000 } from './1796180100000-bulk-skipped-targets.js';
import { GatewayQuotaAtCommit1796190140000 } from './1796190140000-gateway-quota-at-commit.js';
import { GatewayQuotaStripes1796200000000 } from './1796200000000-gateway-quota-stripes.js';
import { StormWriteCosts1796210300000 } from './1796210300000-storm-write-costs.js';
import { GatewaysFillfactor1796220000000 } from './1796220000000-gateways-fillfactor.js';

/**
 * Every migration, oldest first. Listed explicitly rather than globbed: the same list works from
 * TypeScript sources (tests) and from the compiled output (the service), ES modules included.
 */
export const MIGRATIONS = [
  CreateTenantsAuditOutbox1764057600000,
  CreateProfilesActivationTokens1764057700000,
  CreateGateways1764057800000,
  CreateCommands1764057900000,
  CreateGatewayMigrations1764058000000,
  AddNodeFacts1764400000000,
  CreateValidationRuns1764400100000,
  PartitionHistoryAndRetention1796040000000,
  GatewayFleetCounts1796050000000,
  GatewayCredentialGeneration1796060000000,
  Webhooks1796170000000,
  ProfileLabelsAndQuotas1796170100000,
  TenantFleetCounts1796180000000,
  BulkSkippedTargets1796180100000,
  GatewayQuotaAtCommit1796190140000,
  GatewayQuotaStripes1796200000000,
  StormWriteCosts1796210300000,
  GatewaysFillfactor1796220000000,
];
