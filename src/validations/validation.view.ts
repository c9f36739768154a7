import { NodeInterface } from '../platform/graphql/node.interface.js';
import { Field, Float, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ApiProperty } from '@nestjs/swagger';
import type { ValidationRunEntity } from './validation-run.entity.js';
import {
  VALIDATION_KINDS,
  VALIDATION_PHASES,
  VALIDATION_STATES,
  type ValidationKind,
  type ValidationPhase,
  type ValidationState,
} from './validation-rules.js';

export const ValidationKindEnum = Object.fromEntries(VALIDATION_KINDS.map((s) => [s, s])) as { [S in ValidationKind]: S };
export const ValidationStateEnum = Object.fromEntries(VALIDATION_STATES.map((s) => [s, s])) as { [S in ValidationState]: S };
export const ValidationPhaseEnum = Object.fromEntries(VALIDATION_PHASES.map((s) => [s, s])) as { [S in ValidationPhase]: S };
registerEnumType(ValidationKindEnum, {
  name: 'ValidationKind',
  description: 'SETUP: discovery and ping monitors on managed resources; NODE_FAILURE: a node-failure drill',
});
registerEnumType(ValidationStateEnum, { name: 'ValidationState' });
registerEnumType(ValidationPhaseEnum, { name: 'ValidationPhase' });

@ObjectType('ValidationResource')
export class ResourceResultView {
  @ApiProperty({ example: '10.1.0.5' }) @Field() resource!: string;
  @ApiProperty({ type: Boolean, nullable: true, description: 'null until the discovery command ended' })
  @Field(() => Boolean, { nullable: true })
  discovered!: boolean | null;
  @ApiProperty({ type: Boolean, nullable: true, description: 'null until the ping monitor command ended' })
  @Field(() => Boolean, { nullable: true })
  pinged!: boolean | null;
  @ApiProperty({ type: String, nullable: true, example: 'not discovered: SNMP timeout' }) @Field(() => String, { nullable: true }) reason!:
    string | null;
}

@ObjectType('SetupValidationReport')
export class SetupReportView {
  @ApiProperty({ type: [ResourceResultView] }) @Field(() => [ResourceResultView]) resources!: ResourceResultView[];
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'the RUN_DISCOVERY command' })
  @Field(() => ID, { nullable: true })
  discoveryCommandId!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'the APPLY_PING_MONITORS command' })
  @Field(() => ID, { nullable: true })
  pingMonitorsCommandId!: string | null;
}

@ObjectType('NodeApps')
export class NodeAppsView {
  @ApiProperty({ example: 'gw-node-1' }) @Field() node!: string;
  @ApiProperty({ type: [String], example: ['vprobe'] }) @Field(() => [String]) apps!: string[];
}

@ObjectType('AppPlacement')
export class AppPlacementView {
  @ApiProperty({ example: 'vprobe' }) @Field() app!: string;
  @ApiProperty({ example: 'gw-node-2' }) @Field() node!: string;
}

@ObjectType('NodeFailureDrillReport')
export class DrillReportView {
  @ApiProperty({ example: 'gw-node-1', description: 'the node that fails' }) @Field() node!: string;
  @ApiProperty({ example: 600 }) @Field(() => Float) recoveryDeadlineSeconds!: number;
  @ApiProperty({ example: 3600 }) @Field(() => Float) nodeLossDeadlineSeconds!: number;
  @ApiProperty({ description: 'the gateway was asked to stop the node (STOP_NODE)' }) @Field() stopNode!: boolean;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) @Field(() => ID, { nullable: true }) stopNodeCommandId!: string | null;
  @ApiProperty({ type: [NodeAppsView], description: 'the apps RUNNING on each node when the drill started' })
  @Field(() => [NodeAppsView])
  placement!: NodeAppsView[];
  @ApiProperty({ type: [String], description: 'the apps of the failing node, which must come back on the others' })
  @Field(() => [String])
  appsToRecover!: string[];
  @ApiProperty({ type: Date, nullable: true }) @Field(() => Date, { nullable: true }) nodeLostAt!: Date | null;
  @ApiProperty({ type: Date, nullable: true }) @Field(() => Date, { nullable: true }) recoveredAt!: Date | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 42.5,
    description: 'from losing the node to every app RUNNING elsewhere with the gateway heartbeating',
  })
  @Field(() => Float, { nullable: true })
  recoverySeconds!: number | null;
  @ApiProperty({ type: [AppPlacementView], description: 'where each app of the failed node runs again' })
  @Field(() => [AppPlacementView])
  recoveredOn!: AppPlacementView[];
  @ApiProperty({ type: [String], description: 'a failed drill: the apps not back in time' })
  @Field(() => [String])
  appsNotRecovered!: string[];
  @ApiProperty({ type: Date, nullable: true, description: 'when the failed node was ready again' })
  @Field(() => Date, { nullable: true })
  nodeReturnedAt!: Date | null;
}

/** A validation run as both APIs show it. GraphQL adds the `gateway` relation. */
@ObjectType('Validation', { implements: () => [NodeInterface] })
export class ValidationView {
  @ApiProperty({ format: 'uuid' }) @Field(() => ID) id!: string;
  @ApiProperty({ format: 'uuid' }) tenantId!: string;
  @ApiProperty({ format: 'uuid' }) gatewayId!: string;
  @ApiProperty({ enum: VALIDATION_KINDS }) @Field(() => ValidationKindEnum) kind!: ValidationKind;
  @ApiProperty({ enum: VALIDATION_STATES }) @Field(() => ValidationStateEnum) state!: ValidationState;
  @ApiProperty({ enum: VALIDATION_PHASES }) @Field(() => ValidationPhaseEnum) phase!: ValidationPhase;
  @ApiProperty({ type: String, nullable: true }) @Field(() => String, { nullable: true }) failureReason!: string | null;
  @ApiProperty({ description: "the current phase's deadline" }) @Field() deadlineAt!: Date;
  @ApiProperty({ type: SetupReportView, nullable: true, description: 'SETUP runs' })
  @Field(() => SetupReportView, { nullable: true })
  setup!: SetupReportView | null;
  @ApiProperty({ type: DrillReportView, nullable: true, description: 'NODE_FAILURE runs' })
  @Field(() => DrillReportView, { nullable: true })
  drill!: DrillReportView | null;
  @ApiProperty() @Field() createdAt!: Date;
  @ApiProperty() @Field() updatedAt!: Date;
  @ApiProperty({ type: Date, nullable: true }) @Field(() => Date, { nullable: true }) endedAt!: Date | null;

  static of(run: ValidationRunEntity): ValidationView {
    const date = (value: string | null) => (value ? new Date(value) : null);
    const report = run.report;
    const request = run.request;
    return Object.assign(new ValidationView(), {
      id: run.id,
      tenantId: run.tenantId,
      gatewayId: run.gatewayId,
      kind: run.kind,
      state: run.state,
      phase: run.phase,
      failureReason: run.failureReason,
      deadlineAt: run.deadlineAt,
      setup:
        report.kind === 'SETUP'
          ? {
              resources: report.resources,
              discoveryCommandId: run.commandIds.discovery ?? null,
              pingMonitorsCommandId: run.commandIds.pingMonitors ?? null,
            }
          : null,
      drill:
        report.kind === 'NODE_FAILURE' && request.kind === 'NODE_FAILURE'
          ? {
              node: report.node,
              recoveryDeadlineSeconds: request.recoveryDeadlineSeconds,
              nodeLossDeadlineSeconds: request.nodeLossDeadlineSeconds,
              stopNode: request.stopNode,
              stopNodeCommandId: run.commandIds.stopNode ?? null,
              placement: report.placement,
              appsToRecover: report.appsToRecover,
              nodeLostAt: date(report.nodeLostAt),
              recoveredAt: date(report.recoveredAt),
              recoverySeconds: report.recoverySeconds,
              recoveredOn: report.recoveredOn,
              appsNotRecovered: report.appsNotRecovered,
              nodeReturnedAt: date(report.nodeReturnedAt),
            }
          : null,
      createdAt: run.createdAt,
      updatedAt: run.updatedAt,
      endedAt: run.endedAt,
    });
  }
}

@ObjectType('StartSetupValidationPayload')
export class StartSetupValidationPayload {
  @Field(() => ValidationView) validation!: ValidationView;
}

@ObjectType('StartNodeFailureDrillPayload')
export class StartNodeFailureDrillPayload {
  @Field(() => ValidationView) validation!: ValidationView;
}

@ObjectType('CancelValidationPayload')
export class CancelValidationPayload {
  @Field(() => ValidationView) validation!: ValidationView;
}

/** What `validationUpdated` carries; `validation` resolves the whole run. */
@ObjectType('ValidationUpdate')
export class ValidationUpdateView {
  @Field(() => ID) validationId!: string;
  @Field(() => ID) gatewayId!: string;
  @Field(() => ID) tenantId!: string;
  @Field(() => ValidationKindEnum) kind!: ValidationKind;
  @Field(() => ValidationStateEnum) state!: ValidationState;
  @Field(() => ValidationPhaseEnum) phase!: ValidationPhase;
  @Field(() => String, { nullable: true }) failureReason!: string | null;
  @Field() updatedAt!: Date;
}
