import { Field, ID, ObjectType } from '@nestjs/graphql';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { JSONObject } from '../graphql/scalars.js';
import type { AuditEventRow } from './audit.store.js';

/** An audit event as both APIs show it. */
@ObjectType('AuditEvent')
@ApiSchema({ name: 'AuditEvent' })
export class AuditEventView {
  @ApiProperty({ format: 'uuid' }) @Field(() => ID) id!: string;
  @ApiProperty({ format: 'uuid' }) @Field(() => ID) tenantId!: string;
  @ApiProperty({ enum: ['api-client', 'gateway', 'system'] }) @Field() actorType!: string;
  @ApiProperty({ type: String, nullable: true, description: 'API client or gateway id; null for the system' })
  @Field(() => String, { nullable: true })
  actorId!: string | null;
  @ApiProperty({ example: 'profile.updated' }) @Field() action!: string;
  @ApiProperty({ example: 'managementProfile' }) @Field() targetType!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) @Field(() => ID, { nullable: true }) targetId!: string | null;
  @ApiProperty({ type: Object, nullable: true }) @Field(() => JSONObject, { nullable: true }) before!: Record<string, unknown> | null;
  @ApiProperty({ type: Object, nullable: true }) @Field(() => JSONObject, { nullable: true }) after!: Record<string, unknown> | null;
  @ApiProperty() @Field() createdAt!: Date;

  static of(entity: AuditEventRow): AuditEventView {
    return Object.assign(new AuditEventView(), {
      id: entity.id,
      tenantId: entity.tenantId,
      actorType: entity.actorType,
      actorId: entity.actorId,
      action: entity.action,
      targetType: entity.targetType,
      targetId: entity.targetId,
      before: entity.before,
      after: entity.after,
      createdAt: entity.createdAt,
    });
  }
}
