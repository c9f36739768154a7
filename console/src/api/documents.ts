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
    profiles(tenantId: $tenantId, first: $first, after: $after, status: $status, gatewayType: $gatewayType, search: $search) {
      nodes {
        id
        name
        status
        gatewayType
        labels
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
    query Gateway($gatewayId: ID!) {
      gateway(id: $gatewayId) {
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
    query Profile($profileId: ID!) {
      profile(id: $profileId) {
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
      migrations(profileId: $profileId, first: 10) {
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
  query BulkCommand($bulkId: ID!) {
    bulkCommand(id: $bulkId) {
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
  mutation CreateProfile($input: CreateProfileInput!) {
    createProfile(input: $input) {
      profile {
        id
        name
      }
    }
  }
`);

export const MintTokenMutation = graphql(`
  mutation MintToken($input: MintActivationTokenInput!) {
    mintActivationToken(input: $input) {
      token
      activationToken {
        id
        prefix
        expiresAt
      }
    }
  }
`);

export const QueueCommandMutation = graphql(
  `
    mutation QueueCommand($input: QueueCommandInput!) {
      queueCommand(input: $input) {
        command {
          ...CommandFields
        }
      }
    }
  `,
  [CommandFields],
);

export const CommandQuery = graphql(
  `
    query Command($commandId: ID!) {
      command(id: $commandId) {
        ...CommandFields
      }
    }
  `,
  [CommandFields],
);

export const CancelCommandMutation = graphql(`
  mutation CancelCommand($commandId: ID!) {
    cancelCommand(input: { id: $commandId }) {
      command {
        id
        state
      }
    }
  }
`);

export const BulkCommandMutation = graphql(`
  mutation CreateBulkCommand($input: CreateBulkCommandInput!) {
    createBulkCommand(input: $input) {
      bulkCommand {
        id
        targets
        state
      }
    }
  }
`);

export const StartMigrationMutation = graphql(
  `
    mutation StartMigration($input: StartMigrationInput!) {
      startMigration(input: $input) {
        migration {
          ...MigrationFields
          activationToken {
            token
            expiresAt
          }
        }
      }
    }
  `,
  [MigrationFields],
);

export const RollbackMigrationMutation = graphql(
  `
    mutation RollbackMigration($migrationId: ID!) {
      rollbackMigration(input: { id: $migrationId }) {
        migration {
          ...MigrationFields
          activationToken {
            token
            expiresAt
          }
        }
      }
    }
  `,
  [MigrationFields],
);

export const ReplaceGatewayMutation = graphql(`
  mutation ReplaceGateway($input: ReplaceGatewayInput!) {
    replaceGateway(input: $input) {
      replacement {
        deregisteredNow
        activationToken {
          token
          expiresAt
        }
      }
    }
  }
`);

export const DeregisterGatewayMutation = graphql(`
  mutation DeregisterGateway($gatewayId: ID!) {
    deregisterGateway(input: { id: $gatewayId }) {
      gateway {
        id
        status
      }
    }
  }
`);

export const RemoveMissingNodeMutation = graphql(`
  mutation RemoveMissingNode($gatewayId: ID!, $nodeId: ID!) {
    removeMissingNode(input: { gatewayId: $gatewayId, nodeId: $nodeId }) {
      gateway {
        id
      }
    }
  }
`);

export const UpdateTenantMutation = graphql(`
  mutation UpdateTenant($input: UpdateTenantInput!) {
    updateTenant(input: $input) {
      tenant {
        id
        status
        features {
          gatewayClustering
        }
      }
    }
  }
`);
