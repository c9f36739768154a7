import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { ActivationTokenEntity } from './activation-token.entity.js';
import { tokenState, TOKEN_STATES, type TokenState } from './activation-token-state.js';

export const TokenStateEnum = Object.fromEntries(TOKEN_STATES.map((s) => [s, s])) as { [S in TokenState]: S };
registerEnumType(TokenStateEnum, { name: 'ActivationTokenState' });

/** An activation token without its secret, as lists show it. */
@ObjectType('ActivationToken')
@ApiSchema({ name: 'ActivationToken' })
export class ActivationTokenView {
  @ApiProperty({ format: 'uuid' }) @Field(() => ID) id!: string;
  @ApiProperty({ format: 'uuid' }) @Field(() => ID) profileId!: string;
  @ApiProperty({ description: 'the first characters, to tell tokens apart', example: 'gwat_3kF9' }) @Field() prefix!: string;
  @ApiProperty({ enum: TOKEN_STATES }) @Field(() => TokenStateEnum) state!: TokenState;
  @ApiProperty({ enum: ['REGISTRATION', 'MIGRATION', 'REPLACEMENT'] }) @Field() purpose!: string;
  @ApiProperty() @Field() createdAt!: Date;
  @ApiProperty() @Field() expiresAt!: Date;
  @ApiProperty({ type: Date, nullable: true }) @Field(() => Date, { nullable: true }) usedAt!: Date | null;
  @ApiProperty({ type: Date, nullable: true }) @Field(() => Date, { nullable: true }) revokedAt!: Date | null;
  @ApiProperty({ description: 'who minted it: `api-client:<id>` or `system`', example: 'api-client:5f0c…' }) @Field() createdBy!: string;

  static of(token: ActivationTokenEntity, now = new Date()): ActivationTokenView {
    return Object.assign(new ActivationTokenView(), {
      id: token.id,
      profileId: token.profileId,
      prefix: token.prefix,
      state: tokenState(token, now),
      purpose: token.purpose,
      createdAt: token.createdAt,
      expiresAt: token.expiresAt,
      usedAt: token.usedAt,
      revokedAt: token.revokedAt,
      createdBy: token.createdById ? `${token.createdByType}:${token.createdById}` : token.createdByType,
    });
  }
}

/** The answer to minting: the only time the plaintext token is shown. */
@ObjectType('MintedActivationToken')
@ApiSchema({ name: 'MintedActivationToken' })
export class MintedActivationTokenView extends ActivationTokenView {
  @ApiProperty({ description: 'shown in this answer only: paste it into the gateway manager now', example: 'gwat_3kF9…' })
  @Field()
  token!: string;
}
