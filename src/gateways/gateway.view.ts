import { NodeInterface } from '../platform/graphql/node.interface.js';
import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { GATEWAY_TYPES, type GatewayType } from '../profiles/profile-status.js';
import { GatewayTypeEnum } from '../profiles/profile.view.js';
import { ASSESSMENT_CHECKS, CHECK_OUTCOMES, type CheckOutcome } from './cluster-assessment.js';
import { assessmentView } from './assessment-texts.js';
import type { Page } from '../platform/pagination/cursor.js';
import { NODE_STATES, type AppReport, type NodeState } from './gateway-node.entity.js';
import type { GatewayListRow, GatewayNodeRow } from './gateway-reads.store.js';
import { GATEWAY_STATUSES, HEALTHS, type GatewayStatus, type Health } from './gateway-status.js';
import type { LiveValues } from './gateway-live-state.js';

export const GatewayStatusEnum = Object.fromEntries(GATEWAY_STATUSES.map((s) => [s, s])) as { [S in GatewayStatus]: S };
export const HealthEnum = Object.fromEntries(HEALTHS.map((s) => [s, s])) as { [S in Health]: S };
export const NodeStateEnum = Object.fromEntries(NODE_STATES.map((s) => [s, s])) as { [S in NodeState]: S };
registerEnumType(GatewayStatusEnum, { name: 'GatewayStatus' });
registerEnumType(HealthEnum, { name: 'Health' });
registerEnumType(NodeStateEnum, { name: 'NodeState' });
export const CheckOutcomeEnum = Object.fromEntries(CHECK_OUTCOMES.map((s) => [s, s])) as { [S in CheckOutcome]: S };
registerEnumType(CheckOutcomeEnum, {
  name: 'CheckOutcome',
  description:
    'UNKNOWN: the gateway does not report what the check needs; NOT_SUPPORTED: works, but the model does not offer it. Neither is a failure.',
});

/** Past this, the gateway's clock is shown as a warning (it never changes the status). */
export const CLOCK_SKEW_WARNING_SECONDS = 60;

@ObjectType('App')
@ApiSchema({ name: 'App' })
export class AppView {
  @ApiProperty({ example: 'vprobe' }) @Field() name!: string;
  @ApiProperty({ example: 'RUNNING' }) @Field() status!: string;
  @ApiProperty({ example: 0 }) @Field(() => Int) restarts!: number;
}

@ObjectType('HypervisorHost')
export class HypervisorHostView {
  @ApiProperty({ example: 'host-1021' }) @Field() id!: string;
  @ApiPropertyOptional({ example: 'esx-rack1-01.example.net' }) @Field(() => String, { nullable: true }) name?: string;
}

@ObjectType('Hypervisor')
export class HypervisorView {
  @ApiProperty({ example: 'VMware ESXi' }) @Field() product!: string;
  @ApiProperty({ example: '7.0.3' }) @Field() version!: string;
}

@ObjectType('NodeStorage')
export class NodeStorageView {
  @ApiPropertyOptional({ example: '172.26.111.203' }) @Field(() => String, { nullable: true }) server?: string;
  @ApiPropertyOptional({ example: '/shared/gw-1' }) @Field(() => String, { nullable: true }) path?: string;
  @ApiProperty() @Field() mounted!: boolean;
  @ApiProperty() @Field() writable!: boolean;
}

@ObjectType('NodePeer')
export class NodePeerView {
  @ApiProperty({ example: 'gw-node-2' }) @Field() hostname!: string;
  @ApiProperty({ type: String, nullable: true, example: '10.20.0.12', description: 'what the hostname resolved to' })
  @Field(() => String, { nullable: true })
  address!: string | null;
  @ApiProperty() @Field() resolves!: boolean;
  @ApiProperty() @Field() reachable!: boolean;
}

@ObjectType('NodeEgress')
export class NodeEgressView {
  @ApiProperty({ example: 'quay.io:443' }) @Field() endpoint!: string;
  @ApiProperty() @Field() reachable!: boolean;
}

@ObjectType('MicroK8s')
export class MicroK8sView {
  @ApiProperty() @Field() running!: boolean;
  @ApiPropertyOptional({ example: '1.28.3' }) @Field(() => String, { nullable: true }) version?: string;
  @ApiProperty({ type: [String], example: ['dns', 'metallb'] }) @Field(() => [String]) addons!: string[];
}

@ObjectType('HelmRelease')
export class HelmReleaseView {
  @ApiProperty({ example: 'gateway-manager' }) @Field() name!: string;
  @ApiPropertyOptional({ example: '0.9.6' }) @Field(() => String, { nullable: true }) version?: string;
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
  @ApiPropertyOptional({ type: String, nullable: true, example: '1.28.3' }) @Field(() => String, { nullable: true }) kubernetesVersion!:
    string | null;
  @ApiProperty({ type: [AppView] }) @Field(() => [AppView]) apps!: AppReport[];
  @ApiProperty() @Field() lastReportedAt!: Date;
  // The cluster guide's prerequisites as the node reported them; null: not reported (unknown).
  @ApiProperty({ type: String, nullable: true, example: '0.9.6', description: "this VM's gateway software version" })
  @Field(() => String, { nullable: true })
  softwareVersion!: string | null;
  @ApiProperty({ type: HypervisorHostView, nullable: true, description: 'the physical host it runs on' })
  @Field(() => HypervisorHostView, { nullable: true })
  hypervisorHost!: HypervisorHostView | null;
  @ApiProperty({ type: HypervisorView, nullable: true })
  @Field(() => HypervisorView, { nullable: true })
  hypervisor!: HypervisorView | null;
  @ApiProperty({ type: NodeStorageView, nullable: true, description: 'the shared NFS volume as this node sees it' })
  @Field(() => NodeStorageView, { nullable: true })
  storage!: NodeStorageView | null;
  @ApiProperty({ type: [NodePeerView], nullable: true }) @Field(() => [NodePeerView], { nullable: true }) peers!: NodePeerView[] | null;
  @ApiProperty({ type: [NodeEgressView], nullable: true }) @Field(() => [NodeEgressView], { nullable: true }) egress!:
    NodeEgressView[] | null;
  @ApiProperty({ type: MicroK8sView, nullable: true }) @Field(() => MicroK8sView, { nullable: true }) microk8s!: MicroK8sView | null;
  @ApiProperty({ type: [HelmReleaseView], nullable: true }) @Field(() => [HelmReleaseView], { nullable: true }) releases!:
    HelmReleaseView[] | null;

  static of(node: GatewayNodeRow): NodeView {
    const facts = node.facts ?? {};
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
      softwareVersion: facts.softwareVersion ?? null,
      hypervisorHost: facts.hypervisorHost ?? null,
      hypervisor: facts.hypervisor ?? null,
      storage: facts.storage ?? null,
      peers: facts.peers?.map((peer) => ({ ...peer, address: peer.address ?? null })) ?? null,
      egress: facts.egress ?? null,
      microk8s: facts.microk8s ? { ...facts.microk8s, addons: facts.microk8s.addons ?? [] } : null,
      releases: facts.releases ?? null,
    });
  }
}

@ObjectType('AssessmentCheck')
@ApiSchema({ name: 'AssessmentCheck' })
export class AssessmentCheckView {
  @ApiProperty({ enum: ASSESSMENT_CHECKS }) @Field() check!: string;
  @ApiProperty({
    enum: CHECK_OUTCOMES,
    description: 'UNKNOWN: not reported by the gateway; NOT_SUPPORTED: works, but the model does not offer it',
  })
  @Field(() => CheckOutcomeEnum)
  outcome!: CheckOutcome;
  @ApiProperty({ description: 'false only when the check FAILED' }) @Field() passed!: boolean;
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
@ObjectType('Gateway', { implements: () => [NodeInterface] })
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
  @ApiProperty({ description: 'when the row was made (lists are newest first by this)' }) @Field() createdAt!: Date;
  @ApiProperty({ type: Date, nullable: true }) @Field(() => Date, { nullable: true }) lastHeartbeatAt!: Date | null;
  @ApiProperty({ type: Number, nullable: true, description: "server receive time minus the gateway's sentAt, in seconds" })
  @Field(() => Float, { nullable: true })
  clockSkewSeconds!: number | null;
  @ApiProperty({ description: `the clock skew passed ${CLOCK_SKEW_WARNING_SECONDS} s` }) @Field() clockSkewWarning!: boolean;
  @ApiProperty({ type: ClusterSettingsView, nullable: true })
  @Field(() => ClusterSettingsView, { nullable: true })
  cluster!: ClusterSettingsView | null;
  @ApiProperty({ type: Date, nullable: true }) @Field(() => Date, { nullable: true }) deregisteredAt!: Date | null;
  @ApiProperty({ type: String, nullable: true, example: 'BY_USER' }) @Field(() => String, { nullable: true }) deregistrationReason!:
    string | null;
  @ApiProperty({ type: [NodeView] }) nodes!: NodeView[];
  @ApiProperty({ type: AssessmentView }) @Field(() => AssessmentView) assessment!: AssessmentView;

  /**
   * A row read without its assessment (a GraphQL list that does not ask for it) gives a view without
   * one; so does `withAssessment: false` (GatewayView.json splices the assessment's JSON in).
   */
  static of(gateway: GatewayListRow, live?: LiveValues, nodes?: GatewayNodeRow[], withAssessment = true): GatewayView {
    const liveSeen = live?.lastHeartbeatAt ?? null;
    const lastHeartbeatAt =
      liveSeen && (!gateway.lastHeartbeatAt || liveSeen > gateway.lastHeartbeatAt) ? liveSeen : gateway.lastHeartbeatAt;
    const clockSkewSeconds = live?.clockSkewSeconds ?? gateway.clockSkewSeconds;
    const assessment = withAssessment ? assessmentView(gateway.assessment) : undefined;
    // The assessment stays the last field: GatewayView.json relies on it.
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
      createdAt: gateway.createdAt,
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

  /**
   * The REST JSON of one gateway, byte for byte what JSON.stringify(GatewayView.of(…)) gives: an
   * assessment read as text comes with its view's JSON (AssessmentTexts), spliced in as the last
   * field instead of serialized again (about two thirds of the page's bytes).
   */
  static json(gateway: GatewayListRow, live?: LiveValues, nodes?: GatewayNodeRow[]): string {
    if (gateway.assessmentJson === undefined) return JSON.stringify(GatewayView.of(gateway, live, nodes));
    const head = JSON.stringify(GatewayView.of(gateway, live, nodes, false));
    return `${head.slice(0, -1)},"assessment":${gateway.assessmentJson}}`;
  }

  /** The REST page `{ items, nextCursor }` as JSON, as JSON.stringify of its views would write it. */
  static pageJson(page: Page<{ gateway: GatewayListRow; live?: LiveValues; nodes?: GatewayNodeRow[] }>): string {
    const items = page.items.map((record) => GatewayView.json(record.gateway, record.live, record.nodes));
    return `{"items":[${items.join(',')}],"nextCursor":${JSON.stringify(page.nextCursor)}}`;
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
