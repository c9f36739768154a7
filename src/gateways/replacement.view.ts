import { Field, ID, ObjectType } from '@nestjs/graphql';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { Replacement } from './replacement.service.js';

@ObjectType('ReplacementToken')
@ApiSchema({ name: 'ReplacementToken' })
export class ReplacementTokenView {
  @ApiProperty({ format: 'uuid' }) @Field(() => ID) id!: string;
  @ApiProperty({ description: 'for the new gateway: in this answer only' }) @Field() token!: string;
  @ApiProperty() @Field() prefix!: string;
  @ApiProperty() @Field() expiresAt!: Date;
}

@ObjectType('Replacement')
@ApiSchema({ name: 'Replacement' })
export class ReplacementView {
  @ApiProperty({ format: 'uuid', description: 'the gateway being replaced' }) @Field(() => ID) gatewayId!: string;
  @ApiProperty({ format: 'uuid' }) @Field(() => ID) profileId!: string;
  @ApiProperty({ description: 'the old gateway was de-registered at once' }) @Field() deregisteredNow!: boolean;
  @ApiProperty({ type: ReplacementTokenView }) @Field(() => ReplacementTokenView) activationToken!: ReplacementTokenView;

  static of(replacement: Replacement): ReplacementView {
    return Object.assign(new ReplacementView(), {
      gatewayId: replacement.gateway.id,
      profileId: replacement.gateway.profileId,
      deregisteredNow: replacement.deregisteredNow,
      activationToken: {
        id: replacement.minted.token.id,
        token: replacement.minted.plaintext,
        prefix: replacement.minted.token.prefix,
        expiresAt: replacement.minted.token.expiresAt,
      },
    });
  }
}
