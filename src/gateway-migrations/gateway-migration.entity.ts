import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { GatewayType } from '../profiles/profile-status.js';
import type { MigrationState } from './migration-state.js';

export const MIGRATION_DIRECTIONS = ['CLASSIC_TO_CLUSTER', 'CLUSTER_TO_CLASSIC'] as const;
export type MigrationDirection = (typeof MIGRATION_DIRECTIONS)[number];

export interface MigrationStepRecord {
  step: MigrationState;
  at: string;
  detail?: { [key: string]: string | number | boolean | null };
}

/** One migration (or rollback) of a profile from one gateway to another, as a durable workflow. */
@Entity({ name: 'gateway_migrations' })
export class GatewayMigrationEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId!: string;
  @Column('uuid', { name: 'profile_id' }) profileId!: string;
  @Column('text') direction!: MigrationDirection;
  @Column('text', { name: 'target_type' }) targetType!: GatewayType;
  @Column('uuid', { name: 'source_gateway_id', nullable: true }) sourceGatewayId!: string | null;
  @Column('uuid', { name: 'target_gateway_id', nullable: true }) targetGatewayId!: string | null;
  @Column('text') state!: MigrationState;
  @Column('text', { name: 'failure_reason', nullable: true }) failureReason!: string | null;
  @Column('uuid', { name: 'activation_token_id', nullable: true }) activationTokenId!: string | null;
  @Column('timestamptz') deadline!: Date;
  @Column('uuid', { name: 'rollback_of', nullable: true }) rollbackOf!: string | null;
  @Column('uuid', { name: 'apply_command_id', nullable: true }) applyCommandId!: string | null;
  @Column('integer', { name: 'configuration_version', nullable: true }) configurationVersion!: number | null;
  @Column('jsonb') steps!: MigrationStepRecord[];
  @Column('text', { name: 'created_by' }) createdBy!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
  @Column('timestamptz', { name: 'ended_at', nullable: true }) endedAt!: Date | null;
}
