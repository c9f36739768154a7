import { GatewayStatusEnum, HealthEnum } from '../../gateways/gateway.view.js';
import { HEALTHS, type GatewayStatus, type Health } from '../../gateways/gateway-status.js';
import { GATEWAY_TYPES, type GatewayType } from '../../profiles/profile-status.js';
import { GatewayTypeEnum } from '../../profiles/profile.view.js';
import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { JSONObject } from '../../platform/graphql/scalars.js';
import { PageArgs } from '../../platform/pagination/page.dto.js';
import { PageQueryDto } from '../../platform/pagination/page-query.dto.js';
import { COMMAND_STATES, type CommandState } from '../command-state.js';
import { COMMAND_TYPES, PARAMETER_EXAMPLES, type CommandType } from '../command-types.js';
import { CommandStateEnum, CommandTypeEnum } from '../command.view.js';

export const MAX_TIMEOUT_SECONDS = 7 * 24 * 3600;
export const MAX_DELIVER_BY_DAYS = 30;

@InputType({ isAbstract: true })
@ApiSchema({ name: 'QueueCommandRequest' })
export class QueueCommandDto {
  @ApiProperty({ enum: COMMAND_TYPES })
  @Field(() => CommandTypeEnum)
  @IsIn(COMMAND_TYPES)
  type!: CommandType;

  @ApiPropertyOptional({
    type: Object,
    description:
      'validated per type: RESTART_APP {app}, UPGRADE_FIRMWARE {version}, RUN_DISCOVERY {profile}, APPLY_CONFIGURATION {version}, COLLECT_LOGS {sinceMinutes}, PING {}',
    examples: Object.values(PARAMETER_EXAMPLES),
  })
  @Field(() => JSONObject, { nullable: true })
  @IsOptional()
  @IsObject()
  parameters?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'pick-up deadline; default 1 h from now, at most 30 days', example: '2026-11-25T11:00:00Z' })
  @Field({ nullable: true })
  @IsOptional()
  @IsISO8601({ strict: true })
  deliverBy?: string;

  @ApiPropertyOptional({ description: 'time limit once acknowledged', minimum: 1, maximum: MAX_TIMEOUT_SECONDS, default: 600 })
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_TIMEOUT_SECONDS)
  timeoutSeconds?: number;
}

export class ListCommandsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: COMMAND_STATES }) @IsOptional() @IsIn(COMMAND_STATES) state?: CommandState;
}

@ArgsType()
export class ListCommandsArgs extends PageArgs {
  @Field(() => ID) @IsString() @MaxLength(100) gatewayId!: string;
  @Field(() => CommandStateEnum, { nullable: true }) @IsOptional() @IsIn(COMMAND_STATES) state?: CommandState;
}

@InputType('BulkSelectorInput')
@ApiSchema({ name: 'BulkSelector' })
export class BulkSelectorDto {
  @ApiPropertyOptional({ description: "Kubernetes label selector on the gateways' profiles, e.g. `site=paris,env!=lab`", maxLength: 4096 })
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  labelSelector?: string;

  @ApiPropertyOptional({
    enum: ['REGISTERED', 'CONNECTED', 'DISCONNECTED'],
    isArray: true,
    description: 'gateways in one of these statuses',
  })
  @Field(() => [GatewayStatusEnum], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(3)
  @ArrayUnique()
  @IsIn(['REGISTERED', 'CONNECTED', 'DISCONNECTED'], { each: true })
  status?: GatewayStatus[];

  @ApiPropertyOptional({ enum: GATEWAY_TYPES })
  @Field(() => GatewayTypeEnum, { nullable: true })
  @IsOptional()
  @IsIn(GATEWAY_TYPES)
  gatewayType?: GatewayType;

  @ApiPropertyOptional({ enum: HEALTHS, isArray: true, description: 'gateways with one of these healths' })
  @Field(() => [HealthEnum], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(3)
  @ArrayUnique()
  @IsIn(HEALTHS, { each: true })
  health?: Health[];
}

@InputType('BulkTargetsInput')
@ApiSchema({ name: 'BulkTargets' })
export class BulkTargetsDto {
  @ApiPropertyOptional({ type: [String], description: 'gateway ids', maxItems: 50_000 })
  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50_000)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  gatewayIds?: string[];

  @ApiPropertyOptional({ type: [String], description: 'every active gateway of these profiles', maxItems: 50_000 })
  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50_000)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  profileIds?: string[];

  @ApiPropertyOptional({
    type: BulkSelectorDto,
    description: "every active gateway matching all of the selector's filters, evaluated when the bulk command starts",
  })
  @Field(() => BulkSelectorDto, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => BulkSelectorDto)
  selector?: BulkSelectorDto;
}

@InputType({ isAbstract: true })
@ApiSchema({ name: 'CreateBulkCommandRequest' })
export class CreateBulkCommandDto extends QueueCommandDto {
  @ApiProperty({ type: BulkTargetsDto })
  @Field(() => BulkTargetsDto)
  @ValidateNested()
  @Type(() => BulkTargetsDto)
  targets!: BulkTargetsDto;

  @ApiPropertyOptional({ minimum: 1, maximum: 10_000, default: 100, description: 'targets running at once' })
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000)
  maxConcurrency?: number;

  @ApiPropertyOptional({
    description: 'failures tolerated: a number ("5") or a percentage of the targets ("10%"); default 0 (stop at the first failure)',
    example: '10%',
  })
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @Matches(/^(\d{1,6}|(100|\d{1,2})(\.\d{1,2})?%)$/, { message: 'maxErrors must be a number like 5 or a percentage like 10%' })
  maxErrors?: string;

  @ApiPropertyOptional({
    default: false,
    description: 'leave out the targets that are not CONNECTED when it starts; they count as SKIPPED',
  })
  @Field({ nullable: true })
  @IsOptional()
  @IsBoolean()
  skipOffline?: boolean;
}
