/** Topics of outgoing events; each is also the GraphQL subscription field that carries it. */
export enum EventTopic {
  GatewayStatusChanged = 'gatewayStatusChanged',
  CommandUpdated = 'commandUpdated',
  MigrationUpdated = 'migrationUpdated',
}

/** What every event carries so subscribers can be filtered by tenant. */
export interface EventEnvelope<T = Record<string, unknown>> {
  tenantId: string;
  topic: EventTopic;
  payload: T;
}
