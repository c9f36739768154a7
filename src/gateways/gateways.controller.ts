import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiConflictResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Created } from '../platform/http/created.js';
import { Roles, TenantScope } from '../platform/auth/auth.decorators.js';
import { ReplaceGatewayDto } from './dto/replace-gateway.dto.js';
import type { TenantScope as Scope } from '../platform/auth/tenant-scope.js';
import { ManagementApi, problem } from '../platform/http/management-api.decorator.js';
import { RestPage } from '../platform/pagination/page.dto.js';
import { DeregistrationService } from './deregistration.service.js';
import { ListGatewaysQueryDto } from './dto/gateway-query.dto.js';
import { FleetStatusView, GatewayView } from './gateway.view.js';
import { GatewaysQueryService } from './gateways-query.service.js';
import { NodeRemovalService } from './node-removal.service.js';
import { ReplacementService } from './replacement.service.js';
import { ReplacementView } from './replacement.view.js';

class GatewayPage extends RestPage(GatewayView, 'GatewayPage') {}

@ApiTags('gateways')
@ManagementApi()
@Controller('api/v1/tenants/:tenantId')
export class GatewaysController {
  constructor(
    @Inject(GatewaysQueryService) private readonly queries: GatewaysQueryService,
    @Inject(DeregistrationService) private readonly deregistration: DeregistrationService,
    @Inject(NodeRemovalService) private readonly nodeRemoval: NodeRemovalService,
    @Inject(ReplacementService) private readonly replacement: ReplacementService,
  ) {}

  @Get('gateways')
  @ApiOperation({
    summary: 'List gateways',
    description: 'Gateways of the tenant, newest first; filter by status, type, profile and health',
  })
  @ApiOkResponse({ type: GatewayPage })
  async list(
    @TenantScope() scope: Scope,
    @Query() query: ListGatewaysQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const { status, type, health, profileId, labelSelector, ...page } = query;
    const found = await this.queries.list(scope, { status, type, health, profileId, labelSelector }, page);
    // The page's JSON is written here, with each interned assessment's JSON spliced in (GatewayView.pageJson):
    // the same bytes as serializing the GatewayPage, without parsing and serializing ~200 kB of assessments.
    void reply.type('application/json; charset=utf-8');
    return GatewayView.pageJson(found);
  }

  @Get('gateways/:gatewayId')
  @ApiParam({ name: 'gatewayId', format: 'uuid' })
  @ApiOperation({
    summary: 'Get a gateway',
    description: 'One gateway: status, last heartbeat, software version, clock skew, nodes with their apps, assessment',
  })
  @ApiOkResponse({ type: GatewayView })
  async get(@TenantScope() scope: Scope, @Param('gatewayId') gatewayId: string): Promise<GatewayView> {
    const record = await this.queries.get(scope, gatewayId);
    return GatewayView.of(record.gateway, record.live, record.nodes);
  }

  @Post('gateways/:gatewayId/deregister')
  @HttpCode(200)
  @ApiParam({ name: 'gatewayId', format: 'uuid' })
  @ApiOperation({
    summary: 'De-register a gateway',
    description: 'De-register a gateway (admin): its credential stops working at once; the profile keeps its configuration',
  })
  @ApiOkResponse({ type: GatewayView })
  async deregister(@TenantScope() scope: Scope, @Param('gatewayId') gatewayId: string): Promise<GatewayView> {
    await this.deregistration.deregister(scope.tenantId, gatewayId, scope.actor, 'BY_USER');
    const record = await this.queries.get(scope, gatewayId);
    return GatewayView.of(record.gateway, record.live, record.nodes);
  }

  @Post('gateways/:gatewayId/replace')
  @HttpCode(201)
  @Roles('admin', 'operator')
  @ApiParam({ name: 'gatewayId', format: 'uuid' })
  @ApiOperation({
    summary: 'Replace a gateway',
    description:
      'Firmware upgrade / VM swap (admin, operator): a token for a new gateway of the same type on the same profile; the old one is de-registered when the new one registers, or at once with deregisterNow',
  })
  @Created(ReplacementView, '/api/v1/tenants/{tenantId}/management-profiles/{profileId}/activation-tokens/{activationToken.id}')
  @ApiConflictResponse({ description: 'GATEWAY_NOT_ACTIVE (the gateway was de-registered) or MIGRATION_IN_PROGRESS', ...problem })
  async replace(
    @TenantScope() scope: Scope,
    @Param('gatewayId') gatewayId: string,
    @Body() body: ReplaceGatewayDto,
  ): Promise<ReplacementView> {
    return ReplacementView.of(await this.replacement.start(scope, gatewayId, body));
  }

  @Delete('gateways/:gatewayId/nodes/:nodeId')
  @HttpCode(204)
  @ApiParam({ name: 'gatewayId', format: 'uuid' })
  @ApiParam({ name: 'nodeId', format: 'uuid' })
  @ApiOperation({ summary: 'Remove a missing node', description: 'Remove a node that is MISSING from the reports (admin)' })
  @ApiNoContentResponse()
  @ApiConflictResponse({ description: 'NODE_NOT_MISSING: the node is still reported', ...problem })
  async removeNode(@TenantScope() scope: Scope, @Param('gatewayId') gatewayId: string, @Param('nodeId') nodeId: string): Promise<void> {
    await this.nodeRemoval.removeMissing(scope, gatewayId, nodeId);
  }

  @Get('status')
  @ApiOperation({
    summary: 'Get the fleet status',
    description: 'Fleet summary: gateways by status and health, profiles not registered, commands by state',
  })
  @ApiOkResponse({ type: FleetStatusView })
  async fleetStatus(@TenantScope() scope: Scope): Promise<FleetStatusView> {
    return this.queries.fleetStatus(scope);
  }
}
