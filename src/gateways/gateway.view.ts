import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { GATEWAY_TYPES, type GatewayType } from '../profiles/profile-status.js';
import { GatewayTypeEnum } from '../profiles/profile.view.js';
import { ASSESSMENT_CHECKS, type Assessment } from './cluster-assessment.js';
import { NODE_STATES, type AppReport, type GatewayNodeEntity, type NodeState } from './gateway-node.entity.js';
import { GATEWAY_STATUSES, HEALTHS, type GatewayStatus, type Health } from './gateway-status.js';
import type { GatewayEntity } from './gateway.entity.js';
import type { LiveValues } from './gateway-live-state.js';

export const GatewayStatusEnum = Object.fromEntries(GATEWAY_STATUSES.map((s) => [s, s])) as { [S in GatewayStatus]: S };
export const HealthEnum = Object.fromEntries(HEALTHS.map((s) => [s, s])) as { [S in Health]: S };
export const NodeStateEnum = Object.fromEntries(NODE_STATES.map((s) => [s, s])) as { [S in NodeState]: S };
registerEnumType(GatewayStatusEnum, { name: 'GatewayStatus' });
registerEnumType(HealthEnum, { name: 'Health' });
registerEnumType(NodeStateEnum, { name: 'NodeState' });

/** Past this, the gateway's clock is shown as a warning (it never changes the status). */
export const CLOCK_SKEW_WARNING_SECONDS = 60;

@ObjectType('App')
@ApiSchema({ name: 'App' })
export class AppView {
  @ApiProperty({ example: 'vprobe' }) @Field() name!: string;
  @ApiProperty({ example: 'RUNNING' }) @Field() status!: string;
  @ApiProperty({ example: 0 }) @Field(() => Int) restarts!: number;
}

@ObjectType('GatewayNode')
@ApiSchema({ name: 'GatewayNode' })
export class NodeView {
  @ApiProperty({ format: 'uuid' }) @Field(() => ID) id!: string;
  @ApiProperty({ example: 'gw-node-1' }) @Field() hostname!: string;
  @ApiProperty({ example: '10.20.0.11' }) @Field() ipAddress!: string;
  @ApiProperty({ example: 4 }) @Field(() => Int) cpuCores!: number;
  @ApiProperty({ example: 8192 }) @Field(() => Int) memoryMb!: number;
  @ApiProperty({ example: 40 }) @Field(() => Int) diskGb!: number;
  @ApiProperty() @Field() ready!: boolean;
  @ApiProperty({ enum: NODE_STATES, description: 'MISSING: absent from the latest report, kept until a user removes it' })
  @Field(() => NodeStateEnum)
  state!: NodeState;
  @ApiPropertyOptional({ type: String, nullable: true, example: '1.28.3' }) @Field(() => String, { nullable: true }) kubernetesVersion!: string | null;
  @ApiProperty({ type: [AppView] }) @Field(() => [AppView]) apps!: AppReport[];
  @ApiProperty() @Field() lastReportedAt!: Date;

  static of(node: GatewayNodeEntity): NodeView {
    return Object.assign(new NodeView(), {
      id: node.id,
      hostname: node.hostname,
      ipAddress: node.ipAddress,
      cpuCores: node.cpuCores,
      memoryMb: node.memoryMb,
      diskGb: node.diskGb,
      ready: node.ready,
      state: node.state,
      kubernetesVersion: node.kubernetesVersion,
      apps: node.apps,
      lastReportedAt: node.lastReportedAt,
    });
  }
}

@ObjectType('AssessmentCheck')
@ApiSchema({ name: 'AssessmentCheck' })
export class AssessmentCheckView {
  @ApiProperty({ enum: ASSESSMENT_CHECKS }) @Field() check!: string;
  @ApiProperty() @Field() passed!: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'the node concerned; null for the gateway as a whole' })
  @Field(() => String, { nullable: true })
  node!: string | null;
  @ApiProperty({ example: 'at least 4 CPU cores' }) @Field() expected!: string;
  @ApiProperty({ example: '2 CPU cores' }) @Field() actual!: string;
  @ApiProperty({ example: 'gw-node-2 has 2 CPU cores; a gateway node needs at least 4' }) @Field() message!: string;
}

@ObjectType('Assessment')
@ApiSchema({ name: 'Assessment' })
export class AssessmentView {
  @ApiProperty({ enum: HEALTHS }) @Field(() => HealthEnum) health!: Health;
  @ApiProperty({ type: [AssessmentCheckView] }) @Field(() => [AssessmentCheckView]) checks!: AssessmentCheckView[];
}

@ObjectType('ClusterSettings')
@ApiSchema({ name: 'ClusterSettings' })
export class ClusterSettingsView {
  @ApiPropertyOptional() @Field({ nullable: true }) loadBalancerIp?: string;
  @ApiPropertyOptional() @Field({ nullable: true }) nfsServer?: string;
  @ApiPropertyOptional() @Field({ nullable: true }) nfsPath?: string;
}

/** A gateway as both APIs show it. GraphQL resolves `nodes` in a batch per request. */
@ObjectType('Gateway')
@ApiSchema({ name: 'Gateway' })
export class GatewayView {
  @ApiProperty({ format: 'uuid' }) @Field(() => ID) id!: string;
  @ApiProperty({ format: 'uuid' }) @Field(() => ID) tenantId!: string;
  @ApiProperty({ format: 'uuid' }) @Field(() => ID) profileId!: string;
  @ApiProperty({ enum: GATEWAY_TYPES }) @Field(() => GatewayTypeEnum) type!: GatewayType;
  @ApiProperty({ example: 'dc1-gateway-cluster' }) @Field() name!: string;
  @ApiProperty({ enum: GATEWAY_STATUSES }) @Field(() => GatewayStatusEnum) status!: GatewayStatus;
  @ApiProperty({ enum: HEALTHS }) @Field(() => HealthEnum) health!: Health;
  @ApiProperty({ example: '0.9.6' }) @Field() softwareVersion!: string;
  @ApiProperty({ type: Number, nullable: true, description: 'the configuration version the gateway last reported' })
  @Field(() => Int, { nullable: true })
  configurationVersion!: number | null;
  @ApiProperty() @Field() registeredAt!: Date;
  @ApiProperty({ type: Date, nullable: true }) @Field(() => Date, { nullable: true }) lastHeartbeatAt!: Date | null;
  @ApiProperty({ type: Number, nullable: true, description: "server receive time minus the gateway's sentAt, in seconds" })
  @Field(() => Float, { nullable: true })
  clockSkewSeconds!: number | null;
  @ApiProperty({ description: `the clock skew passed ${CLOCK_SKEW_WARNING_SECONDS} s` }) @Field() clockSkewWarning!: boolean;
  @ApiProperty({ type: ClusterSettingsView, nullable: true }) @Field(() => ClusterSettingsView, { nullable: true }) cluster!: ClusterSettingsView | null;
  @ApiProperty({ type: Date, nullable: true }) @Field(() => Date, { nullable: true }) deregisteredAt!: Date | null;
  @ApiProperty({ type: String, nullable: true, example: 'BY_USER' }) @Field(() => String, { nullable: true }) deregistrationReason!: string | null;
  @ApiProperty({ type: [NodeView] }) nodes!: NodeView[];
  @ApiProperty({ type: AssessmentView }) @Field(() => AssessmentView) assessment!: AssessmentView;

  static of(gateway: GatewayEntity, live?: LiveValues, nodes?: GatewayNodeEntity[]): GatewayView {
    const liveSeen = live?.lastHeartbeatAt ?? null;
    const lastHeartbeatAt = liveSeen && (!gateway.lastHeartbeatAt || liveSeen > gateway.lastHeartbeatAt) ? liveSeen : gateway.lastHeartbeatAt;
    const clockSkewSeconds = live?.clockSkewSeconds ?? gateway.clockSkewSeconds;
    const assessment: Assessment = gateway.assessment;
    return Object.assign(new GatewayView(), {
      id: gateway.id,
      tenantId: gateway.tenantId,
      profileId: gateway.profileId,
      type: gateway.type,
      name: gateway.name,
      status: gateway.status,
      health: gateway.health,
      softwareVersion: gateway.softwareVersion,
      configurationVersion: gateway.configurationVersion,
      registeredAt: gateway.registeredAt,
      lastHeartbeatAt,
      clockSkewSeconds,
      clockSkewWarning: clockSkewSeconds !== null && Math.abs(clockSkewSeconds) > CLOCK_SKEW_WARNING_SECONDS,
      cluster: gateway.cluster,
      deregisteredAt: gateway.deregisteredAt,
      deregistrationReason: gateway.deregistrationReason,
      nodes: (nodes ?? []).map(NodeView.of),
      assessment,
    });
  }
}

@ObjectType('GatewayStatusChange')
export class GatewayStatusChangeView {
  @Field(() => ID) gatewayId!: string;
  @Field(() => ID) profileId!: string;
  @Field(() => ID) tenantId!: string;
  @Field(() => GatewayStatusEnum, { nullable: true }) previousStatus!: GatewayStatus | null;
  @Field(() => GatewayStatusEnum) status!: GatewayStatus;
  @Field(() => Date, { nullable: true }) lastHeartbeatAt!: Date | null;
  @Field() changedAt!: Date;
}

@ObjectType('CountByKey')
@ApiSchema({ name: 'StatusCount' })
export class CountView {
  @ApiProperty() @Field() key!: string;
  @ApiProperty() @Field(() => Int) count!: number;
}

@ObjectType('FleetStatus')
@ApiSchema({ name: 'FleetStatus' })
export class FleetStatusView {
  @ApiProperty({ description: 'active (not de-registered) gateways' }) @Field(() => Int) gateways!: number;
  @ApiProperty({ type: [CountView], description: 'active gateways by status' }) @Field(() => [CountView]) gatewaysByStatus!: CountView[];
  @ApiProperty({ type: [CountView], description: 'active gateways by health' }) @Field(() => [CountView]) gatewaysByHealth!: CountView[];
  @ApiProperty() @Field(() => Int) profiles!: number;
  @ApiProperty() @Field(() => Int) profilesNotRegistered!: number;
  @ApiProperty({ type: [CountView], description: 'commands by state' }) @Field(() => [CountView]) commandsByState!: CountView[];
}
