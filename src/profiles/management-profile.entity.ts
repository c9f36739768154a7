import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

/** A tenant's management profile: what a gateway registers on, and the configuration it runs with. */
@Entity({ name: 'management_profiles' })
export class ManagementProfileEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId!: string;
  @Column('text') name!: string;
  @Column('text') description!: string;
  /** The gateway configuration (proxy, discovery, monitoring settings). It belongs to the profile,
   *  not to a gateway, which is why it survives migrations and VM swaps. */
  @Column('jsonb') configuration!: Record<string, unknown>;
  @Column('integer', { name: 'configuration_version' }) configurationVersion!: number;
  /** Kubernetes-style labels (labels.ts), for label selectors on lists and bulk commands. */
  @Column('jsonb') labels!: Record<string, string>;
  /** Optimistic lock for concurrent edits. */
  @VersionColumn() version!: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
  @Column('timestamptz', { name: 'deleted_at', nullable: true }) deletedAt!: Date | null;
}
