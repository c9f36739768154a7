import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { TenantPageArgs } from '../../platform/pagination/page.dto.js';
import { PageQueryDto } from '../../platform/pagination/page-query.dto.js';
import { GATEWAY_TYPES, type GatewayType } from '../../profiles/profile-status.js';
import { GatewayTypeEnum } from '../../profiles/profile.view.js';

/** The target's deadline; short ones are for rehearsals (and tests). */
const DEADLINE = { minimum: 5, maximum: 30 * 86_400, default: 86_400 } as const;

@InputType('StartMigrationInput')
@ApiSchema({ name: 'StartMigrationRequest' })
export class StartMigrationDto {
  @ApiProperty({ format: 'uuid' }) @Field(() => ID) @IsUUID() profileId!: string;
  @ApiProperty({ enum: GATEWAY_TYPES, description: 'the type to migrate to; the profile must have an active gateway of the other type' })
  @Field(() => GatewayTypeEnum)
  @IsIn(GATEWAY_TYPES)
  targetGatewayType!: GatewayType;
  @ApiPropertyOptional({ ...DEADLINE, description: 'how long the target has to register (seconds); default 24 h' })
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(DEADLINE.minimum)
  @Max(DEADLINE.maximum)
  deadlineSeconds?: number;
}

@InputType({ isAbstract: true })
@ApiSchema({ name: 'RollbackMigrationRequest' })
export class RollbackMigrationDto {
  @ApiPropertyOptional({ ...DEADLINE, description: 'how long the gateway rolled back to has to register (seconds); default 24 h' })
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(DEADLINE.minimum)
  @Max(DEADLINE.maximum)
  deadlineSeconds?: number;
}

export class ListMigrationsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsString() @MaxLength(100) profileId?: string;
}

@ArgsType()
export class ListMigrationsArgs extends TenantPageArgs {
  @Field(() => ID, { nullable: true }) @IsOptional() @IsString() @MaxLength(100) profileId?: string;
}

/** GraphQL: a rollback names the migration in its one `input`. */
@InputType('RollbackMigrationInput')
export class RollbackMigrationInput extends RollbackMigrationDto {
  @Field(() => ID) @IsUUID() id!: string;
}
