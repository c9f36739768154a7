import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { IsUUID } from 'class-validator';
import { GatewayView } from '../gateway.view.js';
import { ReplacementView } from '../replacement.view.js';
import { ReplaceGatewayDto } from './replace-gateway.dto.js';

/** GraphQL: every mutation takes one `input` and answers a payload; the objects it names carry their tenant. */
@InputType('DeregisterGatewayInput')
export class DeregisterGatewayInput {
  @Field(() => ID) @IsUUID() id!: string;
}

@InputType('RemoveMissingNodeInput')
export class RemoveMissingNodeInput {
  @Field(() => ID) @IsUUID() gatewayId!: string;
  @Field(() => ID) @IsUUID() nodeId!: string;
}

@InputType('ReplaceGatewayInput')
export class ReplaceGatewayInput extends ReplaceGatewayDto {
  @Field(() => ID, { description: 'the gateway being replaced' }) @IsUUID() gatewayId!: string;
}

@ObjectType('DeregisterGatewayPayload')
export class DeregisterGatewayPayload {
  @Field(() => GatewayView) gateway!: GatewayView;
}

@ObjectType('RemoveMissingNodePayload')
export class RemoveMissingNodePayload {
  @Field(() => GatewayView) gateway!: GatewayView;
}

@ObjectType('ReplaceGatewayPayload')
export class ReplaceGatewayPayload {
  @Field(() => ReplacementView) replacement!: ReplacementView;
}
