import { Field, ID, InputType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
} from 'class-validator';
import { OmittableNotNull } from '../../platform/validation/validation.js';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '../webhook-events.js';

@InputType({ isAbstract: true })
@ApiSchema({ name: 'CreateWebhookRequest' })
export class CreateWebhookDto {
  @ApiProperty({ format: 'uri', maxLength: 2000, example: 'https://hooks.example.com/gcp' })
  @Field()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  url!: string;

  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true, minItems: 1, example: ['gateway.status_changed', 'command.ended'] })
  @Field(() => [String])
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true })
  events!: WebhookEventType[];

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 500, example: 'ops pager bridge' })
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string | null;
}

@InputType({ isAbstract: true })
@ApiSchema({ name: 'UpdateWebhookRequest' })
export class UpdateWebhookDto {
  @ApiPropertyOptional({ format: 'uri', maxLength: 2000 })
  @Field({ nullable: true })
  @OmittableNotNull()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  url?: string;

  @ApiPropertyOptional({ enum: WEBHOOK_EVENT_TYPES, isArray: true, minItems: 1 })
  @Field(() => [String], { nullable: true })
  @OmittableNotNull()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true })
  events?: WebhookEventType[];

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 500 })
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string | null;

  @ApiPropertyOptional({ description: 'true re-enables a DISABLED endpoint (its failed deliveries are not sent again); false disables it' })
  @Field({ nullable: true })
  @OmittableNotNull()
  @IsBoolean()
  enabled?: boolean;
}

@InputType('CreateWebhookInput')
export class CreateWebhookInput extends CreateWebhookDto {
  @Field(() => ID, { nullable: true, description: "default: the caller's own tenant" }) @IsOptional() @IsUUID() tenantId?: string;
}

@InputType('UpdateWebhookInput')
export class UpdateWebhookInput extends UpdateWebhookDto {
  @Field(() => ID) @IsString() id!: string;
}

@InputType('WebhookRefInput')
export class WebhookRefInput {
  @Field(() => ID) @IsString() id!: string;
}
