import { Field, InputType, Int, ArgsType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsIn, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { JSONObject } from '../../platform/graphql/scalars.js';
import { TenantPageArgs } from '../../platform/pagination/page.dto.js';
import { PageQueryDto } from '../../platform/pagination/page-query.dto.js';
import { OmittableNotNull } from '../../platform/validation/validation.js';
import { IsBoundedJson } from '../../platform/validation/bounded-json.js';
import { IsLabels } from '../labels.validator.js';
import { GATEWAY_TYPES, PROFILE_STATUSES, type GatewayType, type ProfileStatus } from '../profile-status.js';
import { GatewayTypeEnum, ProfileStatusEnum } from '../profile.view.js';
import { TOKEN_TTL } from '../activation-token-state.js';

const CONFIGURATION_EXAMPLE = {
  proxy: { url: 'http://proxy.dc1.example:3128' },
  discovery: { subnets: ['10.20.0.0/24'], intervalMinutes: 60 },
  monitoring: { pollSeconds: 60 },
};

@InputType({ isAbstract: true })
@ApiSchema({ name: 'CreateProfileRequest' })
export class CreateProfileDto {
  @ApiProperty({ maxLength: 200, example: 'dc1-gateway' })
  @Field()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ maxLength: 2000, example: 'Frankfurt data centre, hall 2' })
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @ApiPropertyOptional({
    type: Object,
    description: 'the gateway configuration settings (proxy, discovery, monitoring); at most 64 KiB',
    example: CONFIGURATION_EXAMPLE,
  })
  @Field(() => JSONObject, { nullable: true })
  @IsOptional()
  @IsObject()
  @IsBoundedJson()
  configuration?: Record<string, unknown>;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'Kubernetes-style labels: keys `[prefix/]name`, values of at most 63 characters; at most 64',
    example: { site: 'paris', env: 'prod' },
  })
  @Field(() => JSONObject, { nullable: true, description: 'Kubernetes-style labels (key to value)' })
  @IsOptional()
  @IsLabels()
  labels?: Record<string, string>;
}

@InputType({ isAbstract: true })
@ApiSchema({ name: 'UpdateProfileRequest' })
export class UpdateProfileDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @Field({ nullable: true, description: 'null is refused: a profile always has a name' })
  @OmittableNotNull()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ maxLength: 2000, nullable: true, description: 'null clears it' })
  @Field(() => String, { nullable: true, description: 'null clears it' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string | null;

  @ApiPropertyOptional({
    type: Object,
    nullable: true,
    description: 'replaces the settings (null: no settings); a change takes the configuration version up by one',
    example: CONFIGURATION_EXAMPLE,
  })
  @Field(() => JSONObject, { nullable: true, description: 'replaces the settings (null: no settings)' })
  @IsOptional()
  @IsObject()
  @IsBoundedJson()
  configuration?: Record<string, unknown> | null;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    nullable: true,
    description: 'replaces the labels (null: none)',
    example: { site: 'paris', env: 'prod' },
  })
  @Field(() => JSONObject, { nullable: true, description: 'replaces the labels (null: none)' })
  @IsOptional()
  @IsLabels()
  labels?: Record<string, string> | null;

  @ApiPropertyOptional({ description: 'optimistic locking: the `version` you read; a newer one answers 409 PROFILE_VERSION_CONFLICT' })
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number | null;
}

export class ListProfilesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: PROFILE_STATUSES })
  @IsOptional()
  @IsIn(PROFILE_STATUSES)
  status?: ProfileStatus;

  @ApiPropertyOptional({ enum: GATEWAY_TYPES })
  @IsOptional()
  @IsIn(GATEWAY_TYPES)
  gatewayType?: GatewayType;

  @ApiPropertyOptional({ description: 'case-insensitive part of the name', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;

  @ApiPropertyOptional({
    description: 'Kubernetes label selector, e.g. `site=paris,env!=lab` (also `in`, `notin`, `key`, `!key`)',
    maxLength: 4096,
  })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  labelSelector?: string;
}

@ArgsType()
export class ListProfilesArgs extends TenantPageArgs {
  @Field(() => ProfileStatusEnum, { nullable: true })
  @IsOptional()
  @IsIn(PROFILE_STATUSES)
  status?: ProfileStatus;

  @Field(() => GatewayTypeEnum, { nullable: true })
  @IsOptional()
  @IsIn(GATEWAY_TYPES)
  gatewayType?: GatewayType;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;

  @Field({ nullable: true, description: 'Kubernetes label selector, e.g. `site=paris,env!=lab`' })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  labelSelector?: string;
}

@InputType({ isAbstract: true })
@ApiSchema({ name: 'MintActivationTokenRequest' })
export class MintTokenDto {
  @ApiPropertyOptional({ minimum: TOKEN_TTL.MIN_SECONDS, maximum: TOKEN_TTL.MAX_SECONDS, default: TOKEN_TTL.DEFAULT_SECONDS })
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(TOKEN_TTL.MIN_SECONDS)
  @Max(TOKEN_TTL.MAX_SECONDS)
  ttlSeconds?: number;
}
