import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { IsOptional, IsUUID } from 'class-validator';
import { ApiClientView } from '../api-client.view.js';
import { TenantView } from '../tenant.view.js';
import { CreateApiClientDto } from './api-client.dto.js';
import { UpdateTenantDto } from './tenant.dto.js';

/** GraphQL: every mutation takes one `input` and answers a payload; the objects it names carry their tenant. */
@InputType('UpdateTenantInput')
export class UpdateTenantInput extends UpdateTenantDto {
  @Field(() => ID) @IsUUID() id!: string;
}

@InputType('CreateApiClientInput')
export class CreateApiClientInput extends CreateApiClientDto {
  @Field(() => ID, { nullable: true, description: "default: the caller's own tenant" }) @IsOptional() @IsUUID() tenantId?: string;
}

@InputType('DeleteApiClientInput')
export class DeleteApiClientInput {
  @Field(() => ID) @IsUUID() id!: string;
}

@ObjectType('CreateTenantPayload')
export class CreateTenantPayload {
  @Field(() => TenantView) tenant!: TenantView;
}

@ObjectType('UpdateTenantPayload')
export class UpdateTenantPayload {
  @Field(() => TenantView) tenant!: TenantView;
}

@ObjectType('CreateApiClientPayload')
export class CreateApiClientPayload {
  @Field(() => ApiClientView) apiClient!: ApiClientView;
  @Field({ description: 'shown in this answer only; store it now' }) clientSecret!: string;
}

@ObjectType('DeleteApiClientPayload')
export class DeleteApiClientPayload {
  @Field(() => ID) deletedApiClientId!: string;
}
