import { Field, InputType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { TENANT_STATUSES, type TenantStatus } from '../tenant.entity.js';
import { TenantStatusEnum } from '../tenant.view.js';
import { OmittableNotNull } from '../../platform/validation/validation.js';

@InputType('TenantFeaturesInput')
export class TenantFeaturesDto {
  @ApiPropertyOptional({ description: 'limited availability: may register gateway clusters', default: false })
  @Field({ nullable: true })
  @OmittableNotNull()
  @IsBoolean()
  gatewayClustering?: boolean;
}

@InputType('CreateTenantInput')
export class CreateTenantDto {
  @ApiProperty({ maxLength: 200, example: 'Globex Corp' })
  @Field()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ type: TenantFeaturesDto })
  @Field(() => TenantFeaturesDto, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => TenantFeaturesDto)
  features?: TenantFeaturesDto;
}

@InputType('UpdateTenantInput')
export class UpdateTenantDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @Field({ nullable: true })
  @OmittableNotNull()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ enum: TENANT_STATUSES, description: "set by the tenant's partner only" })
  @Field(() => TenantStatusEnum, { nullable: true })
  @OmittableNotNull()
  @IsIn(TENANT_STATUSES)
  status?: TenantStatus;

  @ApiPropertyOptional({ type: TenantFeaturesDto, description: "set by the tenant's partner only" })
  @Field(() => TenantFeaturesDto, { nullable: true })
  @OmittableNotNull()
  @ValidateNested()
  @Type(() => TenantFeaturesDto)
  features?: TenantFeaturesDto;
}
