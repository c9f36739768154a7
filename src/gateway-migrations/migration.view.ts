import { NodeInterface } from '../platform/graphql/node.interface.js';
import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { JSONObject } from '../platform/graphql/scalars.js';
import { GATEWAY_TYPES, type GatewayType } from '../profiles/profile-status.js';
import { GatewayTypeEnum } from '../profiles/profile.view.js';
import { MIGRATION_DIRECTIONS, type GatewayMigrationEntity, type MigrationDirection } from './gateway-migration.entity.js';
import { MIGRATION_STATES, type MigrationState } from './migration-state.js';

export const MigrationStateEnum = Object.fromEntries(MIGRATION_STATES.map((s) => [s, s])) as { [S in MigrationState]: S };
export const MigrationDirectionEnum = Object.fromEntries(MIGRATION_DIRECTIONS.map((s) => [s, s])) as { [S in MigrationDirection]: S };
registerEnumType(MigrationStateEnum, { name: 'MigrationState' });
registerEnumType(MigrationDirectionEnum, { name: 'MigrationDirection' });

@ObjectType('MigrationStep')
@ApiSchema({ name: 'MigrationStep' })
export class MigrationStepView {
  @ApiProperty({ enum: MIGRATION_STATES }) @Field(() => MigrationStateEnum) step!: MigrationState;
  @ApiProperty() @Field() at!: Date;
  @ApiProperty({ type: Object, nullable: true }) @Field(() => JSONObject, { nullable: true }) detail!: Record<string, unknown> | null;
}

@ObjectType('MigrationActivationToken')
@ApiSchema({ name: 'MigrationActivationToken' })
export class MigrationTokenView {
  @ApiProperty({ description: "the target gateway's activation token: in the start answer only" }) @Field() token!: string;
  @ApiProperty() @Field() expiresAt!: Date;
}

/** A migration (or rollback) as both APIs show it, with each step's time and outcome. */
@ObjectType('Migration', { implements: () => [NodeInterface] })
@ApiSchema({ name: 'Migration' })
export class MigrationView {
  @ApiProperty({ format: 'uuid' }) @Field(() => ID) id!: string;
  @ApiProperty({ format: 'uuid' }) @Field(() => ID) tenantId!: string;
  @ApiProperty({ format: 'uuid' }) @Field(() => ID) profileId!: string;
  @ApiProperty({ enum: MIGRATION_DIRECTIONS }) @Field(() => MigrationDirectionEnum) direction!: MigrationDirection;
  @ApiProperty({ enum: GATEWAY_TYPES }) @Field(() => GatewayTypeEnum) targetGatewayType!: GatewayType;
  @ApiProperty({ enum: MIGRATION_STATES }) @Field(() => MigrationStateEnum) state!: MigrationState;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) @Field(() => ID, { nullable: true }) sourceGatewayId!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) @Field(() => ID, { nullable: true }) targetGatewayId!: string | null;
  @ApiProperty({ type: String, nullable: true }) @Field(() => String, { nullable: true }) failureReason!: string | null;
  @ApiProperty({ description: 'the target must register before this' }) @Field() deadline!: Date;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'the migration this one rolls back' })
  @Field(() => ID, { nullable: true })
  rollbackOf!: string | null;
  @ApiProperty({ type: [MigrationStepView] }) @Field(() => [MigrationStepView]) steps!: MigrationStepView[];
  @ApiProperty({
    type: MigrationTokenView,
    nullable: true,
    description: "the target's activation token: in the answers of start and rollback only, null elsewhere",
  })
  @Field(() => MigrationTokenView, { nullable: true })
  activationToken!: MigrationTokenView | null;
  @ApiProperty() @Field() createdAt!: Date;
  @ApiProperty() @Field() updatedAt!: Date;
  @ApiProperty({ type: Date, nullable: true }) @Field(() => Date, { nullable: true }) endedAt!: Date | null;

  static of(migration: GatewayMigrationEntity, token?: { plaintext: string; expiresAt: Date }): MigrationView {
    return Object.assign(new MigrationView(), {
      id: migration.id,
      tenantId: migration.tenantId,
      profileId: migration.profileId,
      direction: migration.direction,
      targetGatewayType: migration.targetType,
      state: migration.state,
      sourceGatewayId: migration.sourceGatewayId,
      targetGatewayId: migration.targetGatewayId,
      failureReason: migration.failureReason,
      deadline: migration.deadline,
      rollbackOf: migration.rollbackOf,
      steps: migration.steps.map((step) => ({ step: step.step, at: new Date(step.at), detail: step.detail ?? null })),
      activationToken: token ? { token: token.plaintext, expiresAt: token.expiresAt } : null,
      createdAt: migration.createdAt,
      updatedAt: migration.updatedAt,
      endedAt: migration.endedAt,
    });
  }
}

@ObjectType('MigrationUpdate')
export class MigrationUpdateView {
  @Field(() => ID) migrationId!: string;
  @Field(() => ID) profileId!: string;
  @Field(() => ID) tenantId!: string;
  @Field(() => MigrationStateEnum) state!: MigrationState;
  @Field(() => String, { nullable: true }) failureReason!: string | null;
  @Field() updatedAt!: Date;
}
