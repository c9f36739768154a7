import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { Roles, TenantScope } from '../platform/auth/auth.decorators.js';
import type { TenantScope as Scope } from '../platform/auth/tenant-scope.js';
import { ManagementApi, problem } from '../platform/http/management-api.decorator.js';
import { mapPage } from '../platform/pagination/cursor.js';
import { RestPage } from '../platform/pagination/page.dto.js';
import { ListValidationsQueryDto, StartNodeFailureDrillDto, StartSetupValidationDto } from './dto/validation.dto.js';
import { ValidationView } from './validation.view.js';
import { ValidationsService } from './validations.service.js';

class ValidationPage extends RestPage(ValidationView, 'ValidationPage') {}

@ApiTags('validations')
@ManagementApi()
@Controller('api/v1/tenants/:tenantId')
export class ValidationsController {
  constructor(@Inject(ValidationsService) private readonly validations: ValidationsService) {}

  @Post('gateways/:gatewayId/setup-validations')
  @HttpCode(201)
  @Roles('admin', 'operator')
  @ApiParam({ name: 'gatewayId', format: 'uuid' })
  @ApiOperation({
    summary: 'Start a setup validation',
    description:
      'Runs discovery (RUN_DISCOVERY) and applies ping monitors (APPLY_PING_MONITORS) on the managed resources through the gateway, and reports per resource whether it was discovered and pinged, and why not (admin, operator)',
  })
  @ApiCreatedResponse({ type: ValidationView })
  @ApiNotFoundResponse({ description: 'GATEWAY_NOT_FOUND', ...problem })
  @ApiConflictResponse({ description: 'GATEWAY_NOT_ACTIVE (the gateway was de-registered)', ...problem })
  async startSetup(
    @TenantScope() scope: Scope,
    @Param('gatewayId') gatewayId: string,
    @Body() body: StartSetupValidationDto,
  ): Promise<ValidationView> {
    return ValidationView.of(await this.validations.startSetup(scope, gatewayId, body.resources));
  }

  @Post('gateways/:gatewayId/node-failure-drills')
  @HttpCode(201)
  @Roles('admin', 'operator')
  @ApiParam({ name: 'gatewayId', format: 'uuid' })
  @ApiOperation({
    summary: 'Start a node-failure drill',
    description:
      "Records which apps run where, waits for the node to go (the operator powers it off, or the gateway stops it when `stopNode`), then watches that node's apps come back RUNNING on the other nodes with the gateway heartbeating: PASSED with the time to recover, or FAILED with the apps not back in time (admin, operator)",
  })
  @ApiCreatedResponse({ type: ValidationView })
  @ApiNotFoundResponse({ description: 'GATEWAY_NOT_FOUND or NODE_NOT_FOUND', ...problem })
  @ApiConflictResponse({
    description: 'GATEWAY_NOT_ACTIVE, NOT_A_CLUSTER, NODE_NOT_READY, NO_OTHER_NODE or VALIDATION_IN_PROGRESS',
    ...problem,
  })
  async startDrill(
    @TenantScope() scope: Scope,
    @Param('gatewayId') gatewayId: string,
    @Body() body: StartNodeFailureDrillDto,
  ): Promise<ValidationView> {
    return ValidationView.of(await this.validations.startDrill(scope, { gatewayId, ...body }));
  }

  @Get('validations')
  @ApiOperation({ summary: 'List validations', description: 'Setup validations and node-failure drills, newest first; filter by gateway' })
  @ApiOkResponse({ type: ValidationPage })
  async list(@TenantScope() scope: Scope, @Query() query: ListValidationsQueryDto): Promise<ValidationPage> {
    const { gatewayId, ...page } = query;
    return mapPage(await this.validations.list(scope, gatewayId, page), ValidationView.of);
  }

  @Get('validations/:validationId')
  @ApiParam({ name: 'validationId', format: 'uuid' })
  @ApiOperation({ summary: 'Get a validation', description: 'One validation with what it has seen so far' })
  @ApiOkResponse({ type: ValidationView })
  @ApiNotFoundResponse({ description: 'VALIDATION_NOT_FOUND', ...problem })
  async get(@TenantScope() scope: Scope, @Param('validationId') validationId: string): Promise<ValidationView> {
    return ValidationView.of(await this.validations.find(scope, validationId));
  }

  @Post('validations/:validationId/cancel')
  @HttpCode(200)
  @Roles('admin', 'operator')
  @ApiParam({ name: 'validationId', format: 'uuid' })
  @ApiOperation({ summary: 'Cancel a validation', description: 'Stops watching a running validation (admin, operator)' })
  @ApiOkResponse({ type: ValidationView })
  @ApiNotFoundResponse({ description: 'VALIDATION_NOT_FOUND', ...problem })
  @ApiConflictResponse({ description: 'VALIDATION_ALREADY_ENDED', ...problem })
  async cancel(@TenantScope() scope: Scope, @Param('validationId') validationId: string): Promise<ValidationView> {
    return ValidationView.of(await this.validations.cancel(scope, validationId));
  }
}
