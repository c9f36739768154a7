import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { IsOptional, IsUUID } from 'class-validator';
import { ActivationTokenView } from '../activation-token.view.js';
import { ProfileView } from '../profile.view.js';
import { CreateProfileDto, MintTokenDto, UpdateProfileDto } from './profile.dto.js';

/** GraphQL: every mutation takes one `input` and answers a payload; the objects it names carry their tenant. */
@InputType('CreateProfileInput')
export class CreateProfileInput extends CreateProfileDto {
  @Field(() => ID, { nullable: true, description: "default: the caller's own tenant" }) @IsOptional() @IsUUID() tenantId?: string;
}

@InputType('UpdateProfileInput')
export class UpdateProfileInput extends UpdateProfileDto {
  @Field(() => ID) @IsUUID() id!: string;
}

@InputType('DeleteProfileInput')
export class DeleteProfileInput {
  @Field(() => ID) @IsUUID() id!: string;
}

@InputType('MintActivationTokenInput')
export class MintActivationTokenInput extends MintTokenDto {
  @Field(() => ID) @IsUUID() profileId!: string;
}

@InputType('RevokeActivationTokenInput')
export class RevokeActivationTokenInput {
  @Field(() => ID) @IsUUID() id!: string;
}

@ObjectType('CreateProfilePayload')
export class CreateProfilePayload {
  @Field(() => ProfileView) profile!: ProfileView;
}

@ObjectType('UpdateProfilePayload')
export class UpdateProfilePayload {
  @Field(() => ProfileView) profile!: ProfileView;
}

@ObjectType('DeleteProfilePayload')
export class DeleteProfilePayload {
  @Field(() => ID) deletedProfileId!: string;
}

@ObjectType('MintActivationTokenPayload')
export class MintActivationTokenPayload {
  @Field(() => ActivationTokenView) activationToken!: ActivationTokenView;
  @Field({ description: 'the token itself, in this answer only: hand it to the gateway' }) token!: string;
}

@ObjectType('RevokeActivationTokenPayload')
export class RevokeActivationTokenPayload {
  @Field(() => ActivationTokenView) activationToken!: ActivationTokenView;
}
