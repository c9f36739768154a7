import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { DrillReport, ResourceResult, ValidationKind, ValidationPhase, ValidationState } from './validation-rules.js';

/** What the operator asked for. */
export type ValidationRequest =
  | { kind: 'SETUP'; resources: string[] }
  | { kind: 'NODE_FAILURE'; node: string; recoveryDeadlineSeconds: number; nodeLossDeadlineSeconds: number; stopNode: boolean };

/** What the run has seen so far. */
export type ValidationReport = { kind: 'SETUP'; resources: ResourceResult[] } | ({ kind: 'NODE_FAILURE' } & DrillReport);

export interface ValidationCommandIds {
  discovery?: string;
  pingMonitors?: string;
  stopNode?: string;
}

/** One run of a validation of the cluster guide (a setup validation or a node-failure drill). */
@Entity({ name: 'validation_runs' })
export class ValidationRunEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId!: string;
  @Column('uuid', { name: 'gateway_id' }) gatewayId!: string;
  @Column('text') kind!: ValidationKind;
  @Column('text') state!: ValidationState;
  @Column('text') phase!: ValidationPhase;
  @Column('jsonb') request!: ValidationRequest;
  @Column('jsonb') report!: ValidationReport;
  @Column('jsonb', { name: 'command_ids' }) commandIds!: ValidationCommandIds;
  @Column('text', { name: 'failure_reason', nullable: true }) failureReason!: string | null;
  @Column('timestamptz', { name: 'deadline_at' }) deadlineAt!: Date;
  @Column('timestamptz', { name: 'watch_until', nullable: true }) watchUntil!: Date | null;
  @Column('integer') tick!: number;
  @Column('text', { name: 'created_by' }) createdBy!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
  @Column('timestamptz', { name: 'ended_at', nullable: true }) endedAt!: Date | null;
}
