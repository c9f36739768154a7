import { NodeInterface } from '../platform/graphql/node.interface.js';
import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
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

@ApiSchema({ name: 'QuotaUsage' })
export class QuotaUsageView {
  @ApiProperty({ minimum: 0, description: 'held now' }) used!: number;
  @ApiProperty({ minimum: 0, description: "the quota: its partner's setting, else the default" }) limit!: number;
}

@ApiSchema({ name: 'TenantQuotas' })
export class TenantQuotasView {
  @ApiProperty({ type: QuotaUsageView }) profiles!: QuotaUsageView;
  @ApiProperty({ type: QuotaUsageView, description: 'active (not de-registered) gateways' }) gateways!: QuotaUsageView;
  @ApiProperty({ type: QuotaUsageView }) apiClients!: QuotaUsageView;
  @ApiProperty({ type: QuotaUsageView }) webhooks!: QuotaUsageView;
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
  @ApiPropertyOptional({ type: TenantQuotasView, description: 'usage against quota: in GET and PATCH of one tenant (REST), not in lists' })
  quotas?: TenantQuotasView;

  /** With usage against quota (one tenant's GET and PATCH). Not `of`'s second argument: `of` is passed to array maps, which add an index. */
  static withQuotas(tenant: TenantEntity, quotas: TenantQuotasView): TenantView {
    return Object.assign(TenantView.of(tenant), { quotas });
  }

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
