import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { ROLES, type Role } from '../platform/auth/principal.js';
import type { ApiClientEntity } from './api-client.entity.js';

/** GraphQL names the roles in upper case (ADMIN, …), like its other enums; REST and tokens keep `admin`, …. */
export const RoleEnum = Object.fromEntries(ROLES.map((role) => [role.toUpperCase(), role])) as { [R in Role as Uppercase<R>]: R };
registerEnumType(RoleEnum, { name: 'Role' });

@ObjectType('ApiClient')
@ApiSchema({ name: 'ApiClient' })
export class ApiClientView {
  @ApiProperty({ format: 'uuid' }) @Field(() => ID) id!: string;
  @ApiProperty({ format: 'uuid' }) @Field(() => ID) tenantId!: string;
  @ApiProperty({ example: 'gcp_ci_Xk2m9Qw1' }) @Field() clientId!: string;
  @ApiProperty({ example: 'nightly inventory sync' }) @Field() name!: string;
  @ApiProperty({ enum: ROLES, isArray: true }) @Field(() => [RoleEnum]) roles!: Role[];
  @ApiProperty({ description: 'the first characters of the secret, to tell secrets apart', example: 'gcs_3kF9' })
  @Field()
  secretPrefix!: string;
  @ApiProperty() @Field() createdAt!: Date;

  static of(client: ApiClientEntity): ApiClientView {
    return Object.assign(new ApiClientView(), {
      id: client.id,
      tenantId: client.tenantId,
      clientId: client.clientId,
      name: client.name,
      roles: client.roles,
      secretPrefix: client.secretPrefix,
      createdAt: client.createdAt,
    });
  }
}

/** The answer to creating an API client: the only time its secret is shown. */
@ObjectType('CreatedApiClient')
@ApiSchema({ name: 'CreatedApiClient' })
export class CreatedApiClientView extends ApiClientView {
  @ApiProperty({ description: 'shown in this answer only; store it now', example: 'gcs_3kF9…' })
  @Field()
  clientSecret!: string;
}
