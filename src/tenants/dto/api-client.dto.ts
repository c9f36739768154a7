import { Field, InputType } from '@nestjs/graphql';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { ROLES, type Role } from '../../platform/auth/principal.js';
import { RoleEnum } from '../api-client.view.js';

@InputType({ isAbstract: true })
@ApiSchema({ name: 'CreateApiClientRequest' })
export class CreateApiClientDto {
  @ApiProperty({ maxLength: 200, example: 'nightly inventory sync' })
  @Field()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiProperty({ enum: ROLES, isArray: true, example: ['operator'] })
  @Field(() => [RoleEnum])
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(3)
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles!: Role[];
}
