import type { paths } from './openapi.js';

/**
 * Protocol v1's messages, taken from the service's OpenAPI document by path and method (so they
 * keep their meaning whatever the document names its components). Free-form objects are typed
 * here as JSON objects.
 */
type JsonOf<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;
type Post<P extends keyof paths> = NonNullable<paths[P]['post']>;
type Get<P extends keyof paths> = NonNullable<paths[P]['get']>;
type JsonObject = Record<string, unknown>;

export type GatewayType = 'CLASSIC' | 'CLUSTER';

export type RegisterRequest = JsonOf<Post<'/gateway/v1/register'>['requestBody']>;
export type RegisterResponse = Omit<JsonOf<Post<'/gateway/v1/register'>['responses'][201]>, 'configuration'> & {
  configuration: Configuration;
};
export type TokenRequest = JsonOf<Post<'/gateway/v1/token'>['requestBody']>;
export type TokenResponse = JsonOf<Post<'/gateway/v1/token'>['responses'][200]>;
export type HeartbeatRequest = JsonOf<Post<'/gateway/v1/heartbeat'>['requestBody']>;
type HeartbeatAnswerAsDocumented = JsonOf<Post<'/gateway/v1/heartbeat'>['responses'][200]>;
export type ProtocolCommand = Omit<HeartbeatAnswerAsDocumented['commands'][number], 'parameters'> & { parameters: JsonObject };
export type HeartbeatResponse = Omit<HeartbeatAnswerAsDocumented, 'commands' | 'configuration'> & {
  commands: ProtocolCommand[];
  configuration: Configuration | null;
};
export type PollCommandsResponse = { commands: ProtocolCommand[] } & Omit<
  JsonOf<Get<'/gateway/v1/commands'>['responses'][200]>,
  'commands'
>;
export type CommandUpdateRequest = Omit<JsonOf<Post<'/gateway/v1/commands/{commandId}/updates'>['requestBody']>, 'result'> & {
  result?: JsonObject | null;
};
export type CommandUpdateResponse = JsonOf<Post<'/gateway/v1/commands/{commandId}/updates'>['responses'][200]>;
export type CommandUpdateState = CommandUpdateRequest['state'];

export type NodeReport = HeartbeatRequest['nodes'][number];
export type AppReport = NonNullable<NodeReport['apps']>[number];
export type ClusterReport = NonNullable<RegisterRequest['cluster']>;

/** The profile's gateway configuration (versioned settings). */
export interface Configuration {
  version: number;
  settings: JsonObject;
}

/** An error answer (application/problem+json). */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  errors?: { field: string; message: string }[];
}
