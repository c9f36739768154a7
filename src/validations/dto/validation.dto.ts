import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { MANAGED_RESOURCE, MAX_MANAGED_RESOURCES } from '../../commands/command-types.js';
import { TenantPageArgs } from '../../platform/pagination/page.dto.js';
import { PageQueryDto } from '../../platform/pagination/page-query.dto.js';

const RESOURCES: { type: [StringConstructor]; minItems: number; maxItems: number; example: string[]; description: string } = {
  type: [String],
  minItems: 1,
  maxItems: MAX_MANAGED_RESOURCES,
  example: ['10.1.0.5', 'core-switch.example.net'],
  description: 'managed resources (IP addresses or hostnames) to discover and ping through the gateway',
};
const RECOVERY = {
  minimum: 5,
  maximum: 86_400,
  description: 'seconds after losing the node within which its apps must be RUNNING elsewhere; default DRILL_RECOVERY_DEADLINE_SECONDS',
};
const NODE_LOSS = {
  minimum: 5,
  maximum: 86_400,
  description: 'seconds for the node to go down (the operator powers it off); default DRILL_NODE_LOSS_DEADLINE_SECONDS',
};
const STOP_NODE = { description: 'ask the gateway to stop the node (STOP_NODE) instead of waiting for the operator to power it off' };

/** REST body of a setup validation (the gateway is in the path). */
export class StartSetupValidationDto {
  @ApiProperty(RESOURCES)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_MANAGED_RESOURCES)
  @IsString({ each: true })
  @Matches(MANAGED_RESOURCE, { each: true, message: 'each resource must be an IP address or a hostname' })
  resources!: string[];
}

/** REST body of a node-failure drill (the gateway is in the path). */
export class StartNodeFailureDrillDto {
  @ApiProperty({ example: 'gw-node-2', description: 'the hostname of the node that will fail' })
  @IsString()
  @MaxLength(253)
  @Matches(/^\S+$/)
  node!: string;
  @ApiPropertyOptional(RECOVERY) @IsOptional() @IsInt() @Min(RECOVERY.minimum) @Max(RECOVERY.maximum) recoveryDeadlineSeconds?: number;
  @ApiPropertyOptional(NODE_LOSS) @IsOptional() @IsInt() @Min(NODE_LOSS.minimum) @Max(NODE_LOSS.maximum) nodeLossDeadlineSeconds?: number;
  @ApiPropertyOptional(STOP_NODE) @IsOptional() @IsBoolean() stopNode?: boolean;
}

export class ListValidationsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: "only this gateway's runs" })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  gatewayId?: string;
}

@InputType('StartSetupValidationInput')
export class StartSetupValidationInput {
  @Field(() => ID) @IsUUID() gatewayId!: string;
  @Field(() => [String], { description: RESOURCES.description })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_MANAGED_RESOURCES)
  @IsString({ each: true })
  @Matches(MANAGED_RESOURCE, { each: true, message: 'each resource must be an IP address or a hostname' })
  resources!: string[];
}

@InputType('StartNodeFailureDrillInput')
export class StartNodeFailureDrillInput {
  @Field(() => ID) @IsUUID() gatewayId!: string;
  @Field({ description: 'the hostname of the node that will fail' }) @IsString() @MaxLength(253) @Matches(/^\S+$/) node!: string;
  @Field(() => Int, { nullable: true, description: RECOVERY.description })
  @IsOptional()
  @IsInt()
  @Min(RECOVERY.minimum)
  @Max(RECOVERY.maximum)
  recoveryDeadlineSeconds?: number;
  @Field(() => Int, { nullable: true, description: NODE_LOSS.description })
  @IsOptional()
  @IsInt()
  @Min(NODE_LOSS.minimum)
  @Max(NODE_LOSS.maximum)
  nodeLossDeadlineSeconds?: number;
  @Field({ nullable: true, description: STOP_NODE.description }) @IsOptional() @IsBoolean() stopNode?: boolean;
}

@InputType('CancelValidationInput')
export class CancelValidationInput {
  @Field(() => ID) @IsString() @MaxLength(100) id!: string;
}

@ArgsType()
export class ListValidationsArgs extends TenantPageArgs {
  @Field(() => ID, { nullable: true, description: "only this gateway's runs" })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  gatewayId?: string;
}
