import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { TenantScope } from '../platform/auth/auth.decorators.js';
import type { TenantScope as Scope } from '../platform/auth/tenant-scope.js';
import { Created } from '../platform/http/created.js';
import { ManagementApi } from '../platform/http/management-api.decorator.js';
import { mapPage } from '../platform/pagination/cursor.js';
import { RestPage } from '../platform/pagination/page.dto.js';
import { PageQueryDto } from '../platform/pagination/page-query.dto.js';
import { Roles } from '../platform/auth/auth.decorators.js';
import { CreateWebhookDto, UpdateWebhookDto } from './dto/webhook.dto.js';
import { CreatedWebhookView, WebhookDeliveryView, WebhookView } from './webhook.view.js';
import { WebhooksService } from './webhooks.service.js';

class WebhookPage extends RestPage(WebhookView, 'WebhookPage') {}
class WebhookDeliveryPage extends RestPage(WebhookDeliveryView, 'WebhookDeliveryPage') {}

const WEBHOOK_ID = ApiParam({ name: 'webhookId', format: 'uuid' });

/** Webhooks of a tenant: admins only, reads included (the URLs and delivery log are an admin's business). */
@ApiTags('webhooks')
@ManagementApi()
@Roles('admin')
@Controller('api/v1/tenants/:tenantId/webhooks')
export class WebhooksController {
  constructor(@Inject(WebhooksService) private readonly webhooks: WebhooksService) {}

  @Post()
  @ApiOperation({
    summary: 'Create a webhook',
    description: 'Create a webhook endpoint; its signing secret (`whsec_…`) is in this answer only (admin). See docs/webhooks.md.',
  })
  @Created(CreatedWebhookView, '/api/v1/tenants/{tenantId}/webhooks/{id}')
  async create(@TenantScope() scope: Scope, @Body() body: CreateWebhookDto): Promise<CreatedWebhookView> {
    const { endpoint, secret } = await this.webhooks.create(scope, body);
    return Object.assign(new CreatedWebhookView(), WebhookView.of(endpoint), { secret });
  }

  @Get()
  @ApiOperation({ summary: 'List webhooks', description: 'The webhook endpoints of a tenant, newest first (admin)' })
  @ApiOkResponse({ type: WebhookPage })
  async list(@TenantScope() scope: Scope, @Query() query: PageQueryDto): Promise<WebhookPage> {
    return mapPage(await this.webhooks.list(scope, query), WebhookView.of);
  }

  @Get(':webhookId')
  @WEBHOOK_ID
  @ApiOperation({ summary: 'Get a webhook', description: 'One webhook endpoint (admin)' })
  @ApiOkResponse({ type: WebhookView })
  async get(@TenantScope() scope: Scope, @Param('webhookId') webhookId: string): Promise<WebhookView> {
    return WebhookView.of(await this.webhooks.get(scope, webhookId));
  }

  @Patch(':webhookId')
  @WEBHOOK_ID
  @ApiOperation({
    summary: 'Update a webhook',
    description: 'Change the URL, events or description; `enabled` disables or re-enables it (admin)',
  })
  @ApiOkResponse({ type: WebhookView })
  async update(@TenantScope() scope: Scope, @Param('webhookId') webhookId: string, @Body() body: UpdateWebhookDto): Promise<WebhookView> {
    return WebhookView.of(await this.webhooks.update(scope, webhookId, body));
  }

  @Delete(':webhookId')
  @HttpCode(204)
  @WEBHOOK_ID
  @ApiOperation({ summary: 'Delete a webhook', description: 'Delete a webhook endpoint: nothing more is sent to it (admin)' })
  @ApiNoContentResponse()
  async delete(@TenantScope() scope: Scope, @Param('webhookId') webhookId: string): Promise<void> {
    await this.webhooks.delete(scope, webhookId);
  }

  @Post(':webhookId/test')
  @HttpCode(202)
  @WEBHOOK_ID
  @ApiOperation({
    summary: 'Send a test ping',
    description: 'Queues a signed `webhook.test` event to the endpoint; answers its delivery, to follow in the delivery log (admin)',
  })
  @ApiAcceptedResponse({ type: WebhookDeliveryView })
  async test(@TenantScope() scope: Scope, @Param('webhookId') webhookId: string): Promise<WebhookDeliveryView> {
    return WebhookDeliveryView.of(await this.webhooks.test(scope, webhookId));
  }

  @Get(':webhookId/deliveries')
  @WEBHOOK_ID
  @ApiOperation({
    summary: 'List deliveries',
    description:
      "A webhook's deliveries, newest first: event, status, attempts, the last attempt's status code and duration, the next retry (admin)",
  })
  @ApiOkResponse({ type: WebhookDeliveryPage })
  async deliveries(
    @TenantScope() scope: Scope,
    @Param('webhookId') webhookId: string,
    @Query() query: PageQueryDto,
  ): Promise<WebhookDeliveryPage> {
    return mapPage(await this.webhooks.deliveries(scope, webhookId, query), WebhookDeliveryView.of);
  }
}
