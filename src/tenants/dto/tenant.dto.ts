import { Field, InputType, Int } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { TENANT_STATUSES, type TenantStatus } from '../tenant.entity.js';
import { TenantStatusEnum } from '../tenant.view.js';
import { OmittableNotNull } from '../../platform/validation/validation.js';

@InputType('TenantFeaturesInput')
@ApiSchema({ name: 'TenantFeaturesInput' })
export class TenantFeaturesDto {
  @ApiPropertyOptional({ description: 'limited availability: may register gateway clusters', default: false })
  @Field({ nullable: true })
  @OmittableNotNull()
  @IsBoolean()
  gatewayClustering?: boolean;
}

@InputType('CreateTenantInput')
@ApiSchema({ name: 'CreateTenantRequest' })
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

@InputType({ isAbstract: true })
@ApiSchema({ name: 'UpdateTenantRequest' })
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

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    minimum: 1,
    maximum: 36500,
    description:
      "set by a partner, for itself or its clients: keep this tenant's audit events at least this many days, from the deployment's default (RETENTION_AUDIT_DAYS) up to its maximum (RETENTION_AUDIT_MAX_DAYS); null returns to the default",
  })
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(36500)
  auditRetentionDays?: number | null;
}
