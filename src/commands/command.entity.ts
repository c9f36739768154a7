import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { CommandState } from './command-state.js';
import type { CommandType } from './command-types.js';

/** Something one gateway must do, with its place in that gateway's queue. */
@Entity({ name: 'commands' })
export class CommandEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId!: string;
  @Column('uuid', { name: 'gateway_id' }) gatewayId!: string;
  @Column('uuid', { name: 'bulk_id', nullable: true }) bulkId!: string | null;
  @Column('bigint') sequence!: string;
  @Column('text') type!: CommandType;
  @Column('jsonb') parameters!: Record<string, unknown>;
  @Column('text') state!: CommandState;
  @Column('timestamptz', { name: 'deliver_by' }) deliverBy!: Date;
  @Column('integer', { name: 'timeout_seconds' }) timeoutSeconds!: number;
  @Column('integer') deliveries!: number;
  @Column('timestamptz', { name: 'delivered_at', nullable: true }) deliveredAt!: Date | null;
  @Column('timestamptz', { name: 'acknowledged_at', nullable: true }) acknowledgedAt!: Date | null;
  @Column('timestamptz', { name: 'ended_at', nullable: true }) endedAt!: Date | null;
  @Column('integer', { name: 'progress_percent', nullable: true }) progressPercent!: number | null;
  @Column('text', { nullable: true }) message!: string | null;
  @Column('jsonb', { nullable: true }) result!: Record<string, unknown> | null;
  @Column('text', { name: 'error_code', nullable: true }) errorCode!: string | null;
  @Column('text', { name: 'created_by' }) createdBy!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

/** The columns of CommandRow, for statements that read whole rows (named, never `*`: see `prepared`). */
export const COMMAND_COLUMNS =
  'id, tenant_id, gateway_id, bulk_id, sequence, type, parameters, state, deliver_by, timeout_seconds, deliveries, delivered_at, acknowledged_at, ended_at, progress_percent, message, result, error_code, created_by, created_at, updated_at';

/** A `commands` row as pg returns it, for statements TypeORM does not build. */
export interface CommandRow {
  id: string;
  tenant_id: string;
  gateway_id: string;
  bulk_id: string | null;
  sequence: string;
  type: CommandType;
  parameters: Record<string, unknown>;
  state: CommandState;
  deliver_by: Date;
  timeout_seconds: number;
  deliveries: number;
  delivered_at: Date | null;
  acknowledged_at: Date | null;
  ended_at: Date | null;
  progress_percent: number | null;
  message: string | null;
  result: Record<string, unknown> | null;
  error_code: string | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

export const commandFromRow = (row: CommandRow): CommandEntity =>
  Object.assign(new CommandEntity(), {
    id: row.id,
    tenantId: row.tenant_id,
    gatewayId: row.gateway_id,
    bulkId: row.bulk_id,
    sequence: row.sequence,
    type: row.type,
    parameters: row.parameters,
    state: row.state,
    deliverBy: row.deliver_by,
    timeoutSeconds: row.timeout_seconds,
    deliveries: row.deliveries,
    deliveredAt: row.delivered_at,
    acknowledgedAt: row.acknowledged_at,
    endedAt: row.ended_at,
    progressPercent: row.progress_percent,
    message: row.message,
    result: row.result,
    errorCode: row.error_code,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });

/** One step of a command's history: a state change, or progress reported while running. */
@Entity({ name: 'command_history' })
export class CommandHistoryEntity {
  @PrimaryColumn('bigint') id!: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId!: string;
  @Column('uuid', { name: 'command_id' }) commandId!: string;
  @Column('timestamptz') at!: Date;
  @Column('text') source!: 'gateway' | 'system' | 'api-client';
  @Column('text') state!: CommandState;
  @Column('integer', { name: 'progress_percent', nullable: true }) progressPercent!: number | null;
  @Column('text', { nullable: true }) message!: string | null;
  @Column('text', { name: 'error_code', nullable: true }) errorCode!: string | null;
}

export const BULK_STATES = ['RUNNING', 'COMPLETED', 'STOPPED'] as const;
export type BulkState = (typeof BULK_STATES)[number];

/** A command to many gateways, run with a concurrency limit and an error threshold. */
@Entity({ name: 'bulk_commands' })
export class BulkCommandEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId!: string;
  @Column('text') type!: CommandType;
  @Column('jsonb') parameters!: Record<string, unknown>;
  @Column('timestamptz', { name: 'deliver_by' }) deliverBy!: Date;
  @Column('integer', { name: 'timeout_seconds' }) timeoutSeconds!: number;
  @Column('integer', { name: 'max_concurrency' }) maxConcurrency!: number;
  @Column('integer', { name: 'max_errors', nullable: true }) maxErrors!: number | null;
  @Column('numeric', { name: 'max_errors_percent', nullable: true }) maxErrorsPercent!: string | null;
  @Column('text') state!: BulkState;
  @Column('text', { name: 'stop_reason', nullable: true }) stopReason!: string | null;
  @Column('integer', { name: 'target_count' }) targetCount!: number;
  @Column('integer', { name: 'started_count' }) startedCount!: number;
  @Column('integer', { name: 'ended_count' }) endedCount!: number;
  @Column('integer', { name: 'failed_count' }) failedCount!: number;
  @Column('text', { name: 'created_by' }) createdBy!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
