import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { GatewayType } from '../profiles/profile-status.js';
import type { Assessment } from './cluster-assessment.js';
import type { GatewayStatus, Health } from './gateway-status.js';

export interface ClusterSettings {
  loadBalancerIp?: string;
  nfsServer?: string;
  nfsPath?: string;
}

/** One registration of a classic gateway or a cluster on a profile; kept after de-registration. */
@Entity({ name: 'gateways' })
export class GatewayEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId!: string;
  @Column('uuid', { name: 'profile_id' }) profileId!: string;
  @Column('text') type!: GatewayType;
  @Column('text') name!: string;
  @Column('text', { name: 'instance_id' }) instanceId!: string;
  @Column('uuid', { name: 'registration_token_id', nullable: true }) registrationTokenId!: string | null;
  @Column('text') status!: GatewayStatus;
  @Column('bigint', { name: 'status_seq' }) statusSeq!: string;
  @Column('text') health!: Health;
  @Column('jsonb') assessment!: Assessment;
  @Column('text', { name: 'secret_hash' }) secretHash!: string;
  @Column('text', { name: 'secret_prefix' }) secretPrefix!: string;
  /** Goes up with every secret rotation; access tokens carry it (an older one is refused). */
  @Column('integer', { name: 'credential_generation', default: 1 }) credentialGeneration!: number;
  @Column('text', { name: 'software_version' }) softwareVersion!: string;
  @Column('integer', { name: 'configuration_version', nullable: true }) configurationVersion!: number | null;
  @Column('jsonb', { nullable: true }) cluster!: ClusterSettings | null;
  @Column('text', { name: 'boot_id', nullable: true }) bootId!: string | null;
  @Column('bigint', { name: 'report_sequence', nullable: true }) reportSequence!: string | null;
  @Column('text', { name: 'report_hash', nullable: true }) reportHash!: string | null;
  @Column('timestamptz', { name: 'registered_at' }) registeredAt!: Date;
  @Column('timestamptz', { name: 'last_heartbeat_at', nullable: true }) lastHeartbeatAt!: Date | null;
  @Column('double precision', { name: 'clock_skew_seconds', nullable: true }) clockSkewSeconds!: number | null;
  @Column('timestamptz', { name: 'deregistered_at', nullable: true }) deregisteredAt!: Date | null;
  @Column('text', { name: 'deregistered_by', nullable: true }) deregisteredBy!: string | null;
  @Column('text', { name: 'deregistration_reason', nullable: true }) deregistrationReason!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
