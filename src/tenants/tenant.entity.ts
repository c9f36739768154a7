import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import type { TenantFeatures } from '../platform/auth/tenant-scope.js';

export const TENANT_KINDS = ['PARTNER', 'CLIENT'] as const;
export type TenantKind = (typeof TENANT_KINDS)[number];
export const TENANT_STATUSES = ['ACTIVE', 'SUSPENDED'] as const;
export type TenantStatus = (typeof TENANT_STATUSES)[number];

/** A partner, or a client under a partner. */
@Entity({ name: 'tenants' })
@Index('tenants_parent_idx', ['parentId', 'createdAt', 'id'])
export class TenantEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text') name!: string;
  @Column('text') kind!: TenantKind;
  @Column('uuid', { name: 'parent_id', nullable: true }) parentId!: string | null;
  @Column('text') status!: TenantStatus;
  @Column('jsonb') features!: TenantFeatures;
  /** Audit events of this tenant are kept at least this many days (null: the deployment's default). */
  @Column('integer', { name: 'audit_retention_days', nullable: true }) auditRetentionDays!: number | null;
  /** Quotas its partner set (tenant-quotas.ts); an absent one is the configured default. */
  @Column('jsonb') quotas!: Partial<Record<'profiles' | 'gateways' | 'apiClients' | 'webhooks', number>>;
  @VersionColumn() version!: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
