import { Body, Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
  ApiSchema,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Created } from '../platform/http/created.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { CurrentGateway, GatewayAuth, Public } from '../platform/auth/auth.decorators.js';
import type { GatewayPrincipal } from '../platform/auth/principal.js';
import { GATEWAY_BEARER, GatewayProtocolApi, problem } from '../platform/http/management-api.decorator.js';
import { DeregistrationService } from '../gateways/deregistration.service.js';
import { GatewayCredentials } from '../gateways/gateway-credentials.service.js';
import { HeartbeatService } from '../gateways/heartbeat.service.js';
import { CommandHandOut } from '../commands/hand-out/command-hand-out.service.js';
import { RegistrationService } from '../gateways/registration.service.js';
import { heartbeatBody, HeartbeatResponseDto, type HeartbeatBody } from './dto/heartbeat.dto.js';
import { registerBody, RegisterResponseDto, type RegisterBody } from './dto/register.dto.js';
import { ApiSchemaBody, SchemaBody } from '../platform/validation/schema-body.js';
import { GatewayTokenRequestDto, GatewayTokenResponseDto } from './dto/token.dto.js';

@ApiSchema({ name: 'DeregisterResponse' })
class DeregisterResponseDto {
  @ApiProperty({ format: 'uuid' }) gatewayId!: string;
  @ApiProperty({ enum: ['DEREGISTERED'] }) status!: 'DEREGISTERED';
}

/**
 * Gateway protocol v1 (../shared/design/gateway-protocol.md), sections 1, 2, 3 and 7. A thin face:
 * every rule lives in the gateways and commands services.
 */
@ApiTags('gateway protocol v1')
@GatewayProtocolApi()
@Controller('gateway/v1')
export class GatewayProtocolController {
  constructor(
    @Inject(RegistrationService) private readonly registration: RegistrationService,
    @Inject(GatewayCredentials) private readonly credentials: GatewayCredentials,
    @Inject(HeartbeatService) private readonly heartbeats: HeartbeatService,
    @Inject(DeregistrationService) private readonly deregistration: DeregistrationService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CommandHandOut) private readonly commands: CommandHandOut,
  ) {}

  @Public()
  @Post('register')
  @ApiOperation({
    summary: 'Register a gateway',
    description: '1. Register with an activation token; 200 (not 201) for a safe retry by the same instance',
  })
  @ApiSchemaBody(registerBody, 'RegisterRequest')
  @Created(RegisterResponseDto, '/api/v1/tenants/{tenantId}/gateways/{gatewayId}', 'a new gateway (Location: its management API URL)')
  @ApiOkResponse({ type: RegisterResponseDto, description: 'a retry: the same gateway, a fresh secret' })
  @ApiUnauthorizedResponse({ description: 'ACTIVATION_TOKEN_INVALID, _EXPIRED, _REVOKED or _USED', ...problem })
  @ApiForbiddenResponse({ description: 'FEATURE_NOT_ENABLED: a cluster on a tenant without gateway clustering', ...problem })
  @ApiConflictResponse({ description: 'PROFILE_HAS_ACTIVE_GATEWAY', ...problem })
  @ApiTooManyRequestsResponse({ description: 'TOO_MANY_ATTEMPTS, with Retry-After', ...problem })
  async register(
    @SchemaBody(registerBody) body: RegisterBody,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RegisterResponseDto> {
    const result = await this.registration.register({ ...body, sourceAddress: request.ip });
    void reply.status(result.retry ? 200 : 201);
    return {
      gatewayId: result.gateway.id,
      profileId: result.profile.id,
      tenantId: result.gateway.tenantId,
      gatewaySecret: result.gatewaySecret,
      accessToken: result.accessToken,
      accessTokenExpiresIn: result.accessTokenExpiresIn,
      heartbeatIntervalSeconds: this.heartbeats.intervalSeconds,
      configuration: { version: result.profile.configurationVersion, settings: result.profile.configuration },
      egressEndpoints: this.config.cluster.egressEndpoints,
    };
  }

  @Public()
  @Post('token')
  @HttpCode(200)
  @ApiOperation({ summary: 'Get a gateway access token', description: '2. A fresh access token for the gateway id and secret' })
  @ApiOkResponse({ type: GatewayTokenResponseDto })
  @ApiUnauthorizedResponse({ description: 'GATEWAY_CREDENTIAL_INVALID or GATEWAY_DEREGISTERED', ...problem })
  async token(@Body() body: GatewayTokenRequestDto): Promise<GatewayTokenResponseDto> {
    const issued = await this.credentials.exchangeSecret(body.gatewayId, body.gatewaySecret);
    return { accessToken: issued.accessToken, accessTokenExpiresIn: issued.expiresIn };
  }

  // HeartbeatService refuses an unknown or de-registered gateway in its one Redis round trip.
  @GatewayAuth({ statusCheckedByHandler: true })
  @Post('heartbeat')
  @HttpCode(200)
  @ApiBearerAuth(GATEWAY_BEARER)
  @ApiOperation({
    summary: 'Send a heartbeat',
    description: '3. Heartbeat with the node report; the answer carries waiting commands and any newer configuration',
  })
  @ApiSchemaBody(heartbeatBody, 'HeartbeatRequest')
  @ApiOkResponse({ type: HeartbeatResponseDto })
  @ApiUnauthorizedResponse({ description: 'ACCESS_TOKEN_EXPIRED (get a new one with 2) or GATEWAY_DEREGISTERED (stop)', ...problem })
  async heartbeat(
    @CurrentGateway() gateway: GatewayPrincipal,
    @SchemaBody(heartbeatBody, { compiled: true }) body: HeartbeatBody,
  ): Promise<HeartbeatResponseDto> {
    const { answer, commandsWaiting } = await this.heartbeats.receive(gateway, body);
    // The answer carries the commands waiting for the gateway: the gateways part says whether any
    // wait, the commands part hands them out.
    if (commandsWaiting) answer.commands = await this.commands.handOut({ id: gateway.gatewayId, tenantId: gateway.tenantId });
    return answer;
  }

  @GatewayAuth()
  @Post('deregister')
  @HttpCode(200)
  @ApiBearerAuth(GATEWAY_BEARER)
  @ApiOperation({
    summary: 'De-register this gateway',
    description: '7. The gateway leaves: its credential stops working at once; the profile keeps its configuration',
  })
  @ApiOkResponse({ type: DeregisterResponseDto })
  @ApiUnauthorizedResponse({ description: 'ACCESS_TOKEN_EXPIRED or GATEWAY_DEREGISTERED', ...problem })
  async deregister(@CurrentGateway() gateway: GatewayPrincipal): Promise<DeregisterResponseDto> {
    await this.deregistration.deregister(gateway.tenantId, gateway.gatewayId, { type: 'gateway', id: gateway.gatewayId }, 'BY_GATEWAY');
    return { gatewayId: gateway.gatewayId, status: 'DEREGISTERED' };
  }
}
