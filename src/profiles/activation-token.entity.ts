import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const TOKEN_PURPOSES = ['REGISTRATION', 'MIGRATION', 'REPLACEMENT'] as const;
export type TokenPurpose = (typeof TOKEN_PURPOSES)[number];

/** A one-time activation token of a profile. Only its keyed hash and a short prefix are stored. */
@Entity({ name: 'activation_tokens' })
export class ActivationTokenEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId!: string;
  @Column('uuid', { name: 'profile_id' }) profileId!: string;
  @Column('text', { name: 'token_hash' }) tokenHash!: string;
  @Column('text') prefix!: string;
  @Column('text') purpose!: TokenPurpose;
  @Column('text', { name: 'created_by_type' }) createdByType!: string;
  @Column('text', { name: 'created_by_id', nullable: true }) createdById!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column('timestamptz', { name: 'expires_at' }) expiresAt!: Date;
  @Column('timestamptz', { name: 'used_at', nullable: true }) usedAt!: Date | null;
  @Column('text', { name: 'used_by_instance_id', nullable: true }) usedByInstanceId!: string | null;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt!: Date | null;
  @Column('text', { name: 'revoked_reason', nullable: true }) revokedReason!: string | null;
  /** A MIGRATION token: the migration whose target it registers. */
  @Column('uuid', { name: 'migration_id', nullable: true }) migrationId!: string | null;
  /** A REPLACEMENT token: the gateway its registration replaces (firmware upgrade, VM swap). */
  @Column('uuid', { name: 'replaces_gateway_id', nullable: true }) replacesGatewayId!: string | null;
}
