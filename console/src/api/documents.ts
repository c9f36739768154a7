import { graphql } from './graphql';

// Every operation the console sends, in one place: when schema.gql changes, `tsc` points here.

export const ViewerQuery = graphql(`
  query Viewer {
    viewer {
      apiClientId
      roles
      tenant {
        id
        name
        kind
      }
    }
    tenants(first: 100) {
      nodes {
        id
        name
        kind
        status
        parentId
        features {
          gatewayClustering
        }
        auditRetentionDays
      }
    }
  }
`);

export const FleetQuery = graphql(`
  query Fleet($tenantId: ID, $first: Int, $after: String, $status: ProfileStatus, $gatewayType: GatewayType, $search: String) {
    fleetStatus(tenantId: $tenantId) {
      profiles
      profilesNotRegistered
      gateways
      gatewaysByStatus {
        key
        count
      }
      gatewaysByHealth {
        key
        count
      }
      commandsByState {
        key
        count
      }
    }
    managementProfiles(tenantId: $tenantId, first: $first, after: $after, status: $status, gatewayType: $gatewayType, search: $search) {
      nodes {
        id
        name
        status
        gatewayType
        activeGateway {
          id
          name
          status
          health
          lastHeartbeatAt
          softwareVersion
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const GatewayStatusChangedSubscription = graphql(`
  subscription GatewayStatusChanged($tenantId: ID) {
    gatewayStatusChanged(tenantId: $tenantId) {
      gatewayId
      profileId
      status
      previousStatus
      lastHeartbeatAt
      changedAt
    }
  }
`);

export const CommandUpdatedSubscription = graphql(`
  subscription CommandUpdated($tenantId: ID, $gatewayId: ID) {
    commandUpdated(tenantId: $tenantId, gatewayId: $gatewayId) {
      commandId
      gatewayId
      bulkId
      state
      progressPercent
      errorCode
      message
      updatedAt
    }
  }
`);

export const MigrationUpdatedSubscription = graphql(`
  subscription MigrationUpdated($tenantId: ID) {
    migrationUpdated(tenantId: $tenantId) {
      migrationId
      profileId
      state
      failureReason
      updatedAt
    }
  }
`);

export const CommandFields = graphql(`
  fragment CommandFields on Command {
    id
    type
    state
    parameters
    progressPercent
    errorCode
    message
    createdAt
    updatedAt
    deliveries
    bulkId
    history {
      at
      state
      source
      progressPercent
      errorCode
      message
    }
  }
`);

export const GatewayQuery = graphql(
  `
    query Gateway($gatewayId: ID!, $tenantId: ID) {
      gateway(gatewayId: $gatewayId, tenantId: $tenantId) {
        id
        name
        type
        status
        health
        profileId
        profile {
          id
          name
        }
        softwareVersion
        configurationVersion
        clockSkewSeconds
        clockSkewWarning
        lastHeartbeatAt
        registeredAt
        deregisteredAt
        deregistrationReason
        cluster {
          loadBalancerIp
          nfsServer
          nfsPath
        }
        assessment {
          health
          checks {
            check
            node
            outcome
            passed
            expected
            actual
            message
          }
        }
        nodes {
          id
          hostname
          ipAddress
          state
          ready
          cpuCores
          memoryMb
          diskGb
          kubernetesVersion
          softwareVersion
          lastReportedAt
          apps {
            name
            status
            restarts
          }
        }
        commands(first: 20) {
          nodes {
            ...CommandFields
          }
        }
      }
    }
  `,
  [CommandFields],
);

export const MigrationFields = graphql(`
  fragment MigrationFields on Migration {
    id
    state
    direction
    targetGatewayType
    failureReason
    createdAt
    endedAt
    deadline
    rollbackOf
    sourceGatewayId
    targetGatewayId
    steps {
      step
      at
    }
  }
`);

export const ProfileQuery = graphql(
  `
    query Profile($profileId: ID!, $tenantId: ID) {
      managementProfile(profileId: $profileId, tenantId: $tenantId) {
        id
        name
        description
        status
        gatewayType
        version
        createdAt
        configuration {
          version
          settings
        }
        activeGateway {
          id
          name
          status
          health
          type
        }
        gateways {
          id
          name
          type
          status
          registeredAt
          deregisteredAt
          deregistrationReason
        }
        activationTokens(first: 20) {
          nodes {
            id
            prefix
            state
            purpose
            createdAt
            expiresAt
            usedAt
          }
        }
      }
      migrations(profileId: $profileId, tenantId: $tenantId, first: 10) {
        nodes {
          ...MigrationFields
        }
      }
    }
  `,
  [MigrationFields],
);

export const AuditQuery = graphql(`
  query Audit($tenantId: ID, $first: Int, $after: String) {
    auditEvents(tenantId: $tenantId, first: $first, after: $after) {
      nodes {
        id
        createdAt
        action
        actorType
        actorId
        targetType
        targetId
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const BulkCommandQuery = graphql(`
  query BulkCommand($bulkId: ID!, $tenantId: ID) {
    bulkCommand(bulkId: $bulkId, tenantId: $tenantId) {
      id
      type
      state
      targets
      stopReason
      maxConcurrency
      maxErrors
      counts {
        key
        count
      }
      createdAt
    }
  }
`);

// Mutations

export const CreateProfileMutation = graphql(`
  mutation CreateProfile($tenantId: ID!, $input: CreateManagementProfileInput!) {
    createManagementProfile(tenantId: $tenantId, input: $input) {
      id
      name
    }
  }
`);

export const MintTokenMutation = graphql(`
  mutation MintToken($tenantId: ID!, $profileId: ID!, $input: MintActivationTokenInput) {
    mintActivationToken(tenantId: $tenantId, profileId: $profileId, input: $input) {
      id
      token
      prefix
      expiresAt
    }
  }
`);

export const QueueCommandMutation = graphql(
  `
    mutation QueueCommand($tenantId: ID!, $gatewayId: ID!, $input: QueueCommandInput!, $idempotencyKey: String) {
      queueCommand(tenantId: $tenantId, gatewayId: $gatewayId, input: $input, idempotencyKey: $idempotencyKey) {
        ...CommandFields
      }
    }
  `,
  [CommandFields],
);

export const CommandQuery = graphql(
  `
    query Command($commandId: ID!, $tenantId: ID) {
      command(commandId: $commandId, tenantId: $tenantId) {
        ...CommandFields
      }
    }
  `,
  [CommandFields],
);

export const CancelCommandMutation = graphql(`
  mutation CancelCommand($tenantId: ID!, $commandId: ID!) {
    cancelCommand(tenantId: $tenantId, commandId: $commandId) {
      id
      state
    }
  }
`);

export const BulkCommandMutation = graphql(`
  mutation CreateBulkCommand($tenantId: ID!, $input: CreateBulkCommandInput!, $idempotencyKey: String) {
    createBulkCommand(tenantId: $tenantId, input: $input, idempotencyKey: $idempotencyKey) {
      id
      targets
      state
    }
  }
`);

export const StartMigrationMutation = graphql(
  `
    mutation StartMigration($tenantId: ID!, $input: StartMigrationInput!) {
      startMigration(tenantId: $tenantId, input: $input) {
        ...MigrationFields
        activationToken {
          token
          expiresAt
        }
      }
    }
  `,
  [MigrationFields],
);

export const RollbackMigrationMutation = graphql(
  `
    mutation RollbackMigration($tenantId: ID!, $migrationId: ID!) {
      rollbackMigration(tenantId: $tenantId, migrationId: $migrationId) {
        ...MigrationFields
        activationToken {
          token
          expiresAt
        }
      }
    }
  `,
  [MigrationFields],
);

export const ReplaceGatewayMutation = graphql(`
  mutation ReplaceGateway($tenantId: ID!, $gatewayId: ID!, $input: ReplaceGatewayInput) {
    replaceGateway(tenantId: $tenantId, gatewayId: $gatewayId, input: $input) {
      deregisteredNow
      activationToken {
        token
        expiresAt
      }
    }
  }
`);

export const DeregisterGatewayMutation = graphql(`
  mutation DeregisterGateway($tenantId: ID!, $gatewayId: ID!) {
    deregisterGateway(tenantId: $tenantId, gatewayId: $gatewayId) {
      id
      status
    }
  }
`);

export const RemoveMissingNodeMutation = graphql(`
  mutation RemoveMissingNode($tenantId: ID!, $gatewayId: ID!, $nodeId: ID!) {
    removeMissingNode(tenantId: $tenantId, gatewayId: $gatewayId, nodeId: $nodeId) {
      id
    }
  }
`);

export const UpdateTenantMutation = graphql(`
  mutation UpdateTenant($id: ID!, $input: UpdateTenantInput!) {
    updateTenant(id: $id, input: $input) {
      id
      status
      features {
        gatewayClustering
      }
    }
  }
`);
