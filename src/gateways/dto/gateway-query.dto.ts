import { ArgsType, Field, ID } from '@nestjs/graphql';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { TenantPageArgs } from '../../platform/pagination/page.dto.js';
import { PageQueryDto } from '../../platform/pagination/page-query.dto.js';
import { GATEWAY_TYPES, type GatewayType } from '../../profiles/profile-status.js';
import { GatewayTypeEnum } from '../../profiles/profile.view.js';
import { GATEWAY_STATUSES, HEALTHS, type GatewayStatus, type Health } from '../gateway-status.js';
import { GatewayStatusEnum, HealthEnum } from '../gateway.view.js';

export class ListGatewaysQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: GATEWAY_STATUSES }) @IsOptional() @IsIn(GATEWAY_STATUSES) status?: GatewayStatus;
  @ApiPropertyOptional({ enum: GATEWAY_TYPES }) @IsOptional() @IsIn(GATEWAY_TYPES) type?: GatewayType;
  @ApiPropertyOptional({ enum: HEALTHS }) @IsOptional() @IsIn(HEALTHS) health?: Health;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsString() @MaxLength(100) profileId?: string;
  @ApiPropertyOptional({ description: "Kubernetes label selector on the gateway's profile, e.g. `site=paris,env!=lab`", maxLength: 4096 })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  labelSelector?: string;
}

@ArgsType()
export class ListGatewaysArgs extends TenantPageArgs {
  @Field(() => GatewayStatusEnum, { nullable: true }) @IsOptional() @IsIn(GATEWAY_STATUSES) status?: GatewayStatus;
  @Field(() => GatewayTypeEnum, { nullable: true }) @IsOptional() @IsIn(GATEWAY_TYPES) type?: GatewayType;
  @Field(() => HealthEnum, { nullable: true }) @IsOptional() @IsIn(HEALTHS) health?: Health;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsString() @MaxLength(100) profileId?: string;
  @Field({ nullable: true, description: "Kubernetes label selector on the gateway's profile, e.g. `site=paris,env!=lab`" })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  labelSelector?: string;
}
