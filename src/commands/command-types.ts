import { plainToInstance } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  validateSync,
} from 'class-validator';
import { invalidRequest } from '../platform/errors/domain-error.js';
import { toFieldErrors } from '../platform/validation/validation.js';

export const COMMAND_TYPES = [
  'RESTART_APP',
  'UPGRADE_FIRMWARE',
  'RUN_DISCOVERY',
  'APPLY_CONFIGURATION',
  'COLLECT_LOGS',
  'PING',
  'APPLY_PING_MONITORS',
  'STOP_NODE',
] as const;
export type CommandType = (typeof COMMAND_TYPES)[number];

class RestartAppParameters {
  @IsString() @IsNotEmpty() @MaxLength(100) app!: string;
}
class UpgradeFirmwareParameters {
  @IsString()
  @Matches(/^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/, { message: 'version must be a version like 1.4.2' })
  @MaxLength(50)
  version!: string;
}
/** A managed resource: an IP address or a hostname. */
export const MANAGED_RESOURCE = /^[A-Za-z0-9]([A-Za-z0-9.:_-]{0,252})$/;
export const MAX_MANAGED_RESOURCES = 50;

class RunDiscoveryParameters {
  @IsString() @IsNotEmpty() @MaxLength(100) profile!: string;
  /** Optional: discover only these resources (the setup validation's), and report each in the result. */
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_MANAGED_RESOURCES)
  @Matches(MANAGED_RESOURCE, { each: true, message: 'each resource must be an IP address or a hostname' })
  resources?: string[];
}
/** Applies a ping monitor to each resource and reports, per resource, whether it answered. */
class ApplyPingMonitorsParameters {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_MANAGED_RESOURCES)
  @Matches(MANAGED_RESOURCE, { each: true, message: 'each resource must be an IP address or a hostname' })
  resources!: string[];
}
/** Stops a node of the cluster (a node-failure drill, when the gateway can and is asked to). */
class StopNodeParameters {
  @IsString() @IsNotEmpty() @MaxLength(253) hostname!: string;
}
class ApplyConfigurationParameters {
  @IsInt() @Min(1) version!: number;
}
class CollectLogsParameters {
  @IsInt() @Min(1) @Max(10_080) sinceMinutes!: number;
}

/** The parameters of each command type of protocol v1 (section 5); null: the type takes none. */
const PARAMETERS: Record<CommandType, (new () => object) | null> = {
  RESTART_APP: RestartAppParameters,
  UPGRADE_FIRMWARE: UpgradeFirmwareParameters,
  RUN_DISCOVERY: RunDiscoveryParameters,
  APPLY_CONFIGURATION: ApplyConfigurationParameters,
  COLLECT_LOGS: CollectLogsParameters,
  PING: null,
  APPLY_PING_MONITORS: ApplyPingMonitorsParameters,
  STOP_NODE: StopNodeParameters,
};

export const PARAMETER_EXAMPLES: Record<CommandType, Record<string, unknown>> = {
  RESTART_APP: { app: 'vprobe' },
  UPGRADE_FIRMWARE: { version: '1.4.2' },
  RUN_DISCOVERY: { profile: 'datacenter-1' },
  APPLY_CONFIGURATION: { version: 3 },
  COLLECT_LOGS: { sinceMinutes: 60 },
  PING: {},
  APPLY_PING_MONITORS: { resources: ['10.1.0.5', 'core-switch.example.net'] },
  STOP_NODE: { hostname: 'gw-node-2' },
};

/**
 * Validates parameters for their type when a command is queued (not when it is delivered), and
 * answers them without unknown fields. Errors name `parameters.<field>`.
 */
export function validateParameters(type: CommandType, parameters: Record<string, unknown> = {}): Record<string, unknown> {
  const shape = PARAMETERS[type];
  const instance = shape ? plainToInstance(shape, parameters) : {};
  const fieldErrors = shape
    ? toFieldErrors(validateSync(instance, { whitelist: true, forbidNonWhitelisted: true }), 'parameters')
    : Object.keys(parameters).map((key) => ({ field: `parameters.${key}`, message: `${key} should not exist` }));
  if (fieldErrors.length) {
    throw invalidRequest(`invalid parameters for ${type}: ${fieldErrors.map((e) => e.message).join('; ')}`, fieldErrors);
  }
  return { ...instance };
}
