import type { NodeFacts } from './node-report.js';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export interface AppReport {
  name: string;
  status: string;
  restarts: number;
}

export const NODE_STATES = ['ACTIVE', 'MISSING'] as const;
export type NodeState = (typeof NODE_STATES)[number];

/** A VM of a gateway as last reported (a classic gateway is one node). */
@Entity({ name: 'gateway_nodes' })
export class GatewayNodeEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId!: string;
  @Column('uuid', { name: 'gateway_id' }) gatewayId!: string;
  @Column('text') hostname!: string;
  @Column('text', { name: 'ip_address' }) ipAddress!: string;
  @Column('integer', { name: 'cpu_cores' }) cpuCores!: number;
  @Column('integer', { name: 'memory_mb' }) memoryMb!: number;
  @Column('integer', { name: 'disk_gb' }) diskGb!: number;
  @Column('boolean') ready!: boolean;
  @Column('text', { name: 'kubernetes_version', nullable: true }) kubernetesVersion!: string | null;
  @Column('jsonb') apps!: AppReport[];
  /** The prerequisite facts of the latest report (canonical), null when it reported none. */
  @Column('jsonb', { nullable: true }) facts!: NodeFacts | null;
  @Column('text') state!: NodeState;
  @Column('timestamptz', { name: 'last_reported_at' }) lastReportedAt!: Date;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
