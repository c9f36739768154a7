import { NodeInterface } from '../platform/graphql/node.interface.js';
import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { TENANT_KINDS, TENANT_STATUSES, type TenantEntity, type TenantKind, type TenantStatus } from './tenant.entity.js';

export const TenantKindEnum = Object.fromEntries(TENANT_KINDS.map((kind) => [kind, kind])) as { [K in TenantKind]: K };
export const TenantStatusEnum = Object.fromEntries(TENANT_STATUSES.map((status) => [status, status])) as { [S in TenantStatus]: S };
registerEnumType(TenantKindEnum, { name: 'TenantKind' });
registerEnumType(TenantStatusEnum, { name: 'TenantStatus' });

@ObjectType('TenantFeatures')
@ApiSchema({ name: 'TenantFeatures' })
export class TenantFeaturesView {
  @ApiProperty({ description: 'limited availability: may register gateway clusters' })
  @Field()
  gatewayClustering!: boolean;
}

/** A tenant as both APIs show it. */
@ObjectType('Tenant', { implements: () => [NodeInterface] })
@ApiSchema({ name: 'Tenant' })
export class TenantView {
  @ApiProperty({ format: 'uuid' }) @Field(() => ID) id!: string;
  @ApiProperty({ example: 'Acme Monitoring' }) @Field() name!: string;
  @ApiProperty({ enum: TENANT_KINDS }) @Field(() => TenantKindEnum) kind!: TenantKind;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) @Field(() => ID, { nullable: true }) parentId!: string | null;
  @ApiProperty({ enum: TENANT_STATUSES }) @Field(() => TenantStatusEnum) status!: TenantStatus;
  @ApiProperty({ type: TenantFeaturesView }) @Field(() => TenantFeaturesView) features!: TenantFeaturesView;
  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: "audit events kept at least this many days; null: the deployment's default (RETENTION_AUDIT_DAYS)",
  })
  @Field(() => Int, { nullable: true })
  auditRetentionDays!: number | null;
  @ApiProperty() @Field() createdAt!: Date;
  @ApiProperty() @Field() updatedAt!: Date;

  static of(tenant: TenantEntity): TenantView {
    return Object.assign(new TenantView(), {
      id: tenant.id,
      name: tenant.name,
      kind: tenant.kind,
      parentId: tenant.parentId,
      status: tenant.status,
      features: { gatewayClustering: tenant.features.gatewayClustering === true },
      auditRetentionDays: tenant.auditRetentionDays,
      createdAt: tenant.createdAt,
      updatedAt: tenant.updatedAt,
    });
  }
}
