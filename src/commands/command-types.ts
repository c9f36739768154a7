import { plainToInstance } from 'class-transformer';
import { IsInt, IsNotEmpty, IsString, Matches, Max, MaxLength, Min, validateSync } from 'class-validator';
import { invalidRequest } from '../platform/errors/domain-error.js';
import { toFieldErrors } from '../platform/validation/validation.js';

export const COMMAND_TYPES = ['RESTART_APP', 'UPGRADE_FIRMWARE', 'RUN_DISCOVERY', 'APPLY_CONFIGURATION', 'COLLECT_LOGS', 'PING'] as const;
export type CommandType = (typeof COMMAND_TYPES)[number];

class RestartAppParameters {
  @IsString() @IsNotEmpty() @MaxLength(100) app!: string;
}
class UpgradeFirmwareParameters {
  @IsString() @Matches(/^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/, { message: 'version must be a version like 1.4.2' }) @MaxLength(50) version!: string;
}
class RunDiscoveryParameters {
  @IsString() @IsNotEmpty() @MaxLength(100) profile!: string;
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
};

export const PARAMETER_EXAMPLES: Record<CommandType, Record<string, unknown>> = {
  RESTART_APP: { app: 'vprobe' },
  UPGRADE_FIRMWARE: { version: '1.4.2' },
  RUN_DISCOVERY: { profile: 'datacenter-1' },
  APPLY_CONFIGURATION: { version: 3 },
  COLLECT_LOGS: { sinceMinutes: 60 },
  PING: {},
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
