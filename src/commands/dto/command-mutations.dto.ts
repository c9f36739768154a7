import { Field, GraphQLISODateTime, ID, InputType, ObjectType, OmitType } from '@nestjs/graphql';
import { IsDate, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { BulkCommandView, CommandView } from '../command.view.js';
import { CreateBulkCommandDto, QueueCommandDto } from './command.dto.js';

/** GraphQL: every mutation takes one `input` and answers a payload; the objects it names carry their tenant. */
const IDEMPOTENCY_KEY = 'the same key within 24 h answers the first request again instead of queueing twice';
const DELIVER_BY = 'pick-up deadline; default 1 h from now, at most 30 days';

@InputType('QueueCommandInput')
export class QueueCommandInput extends OmitType(QueueCommandDto, ['deliverBy'] as const, InputType) {
  @Field(() => ID) @IsUUID() gatewayId!: string;
  @Field(() => GraphQLISODateTime, { nullable: true, description: DELIVER_BY }) @IsOptional() @IsDate() deliverBy?: Date;
  @Field({ nullable: true, description: IDEMPOTENCY_KEY }) @IsOptional() @IsString() @MaxLength(200) idempotencyKey?: string;
}

@InputType('CreateBulkCommandInput')
export class CreateBulkCommandInput extends OmitType(CreateBulkCommandDto, ['deliverBy'] as const, InputType) {
  @Field(() => ID, { nullable: true, description: "default: the caller's own tenant" }) @IsOptional() @IsUUID() tenantId?: string;
  @Field(() => GraphQLISODateTime, { nullable: true, description: DELIVER_BY }) @IsOptional() @IsDate() deliverBy?: Date;
  @Field({ nullable: true, description: IDEMPOTENCY_KEY }) @IsOptional() @IsString() @MaxLength(200) idempotencyKey?: string;
}

@InputType('CancelCommandInput')
export class CancelCommandInput {
  @Field(() => ID) @IsUUID() id!: string;
}

@ObjectType('QueueCommandPayload')
export class QueueCommandPayload {
  @Field(() => CommandView) command!: CommandView;
}

@ObjectType('CancelCommandPayload')
export class CancelCommandPayload {
  @Field(() => CommandView) command!: CommandView;
}

@ObjectType('CreateBulkCommandPayload')
export class CreateBulkCommandPayload {
  @Field(() => BulkCommandView) bulkCommand!: BulkCommandView;
}
