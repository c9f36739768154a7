import { Inject } from '@nestjs/common';
import { Args, Field, ID, Mutation, ObjectType, Query, ResolveField, Resolver, Parent } from '@nestjs/graphql';
import { CurrentUser, Roles } from '../platform/auth/auth.decorators.js';
import type { UserPrincipal } from '../platform/auth/principal.js';
import { TENANT_ACCESS, type TenantAccess } from '../platform/auth/tenant-scope.js';
import { Connection, PageArgs, TenantPageArgs, toConnection } from '../platform/pagination/page.dto.js';
import { StrictValidation } from '../platform/validation/validation.js';
import { CreateWebhookInput, UpdateWebhookInput, WebhookRefInput } from './dto/webhook.dto.js';
import { WebhookDeliveryView, WebhookView } from './webhook.view.js';
import { WebhooksService } from './webhooks.service.js';

const WebhookConnection = Connection(WebhookView, 'Webhook');
const WebhookDeliveryConnection = Connection(WebhookDeliveryView, 'WebhookDelivery');

@ObjectType('CreateWebhookPayload')
class CreateWebhookPayload {
  @Field(() => WebhookView) webhook!: WebhookView;
  @Field({ description: 'the Standard Webhooks signing secret (`whsec_…`); shown in this answer only' }) secret!: string;
}

@ObjectType('UpdateWebhookPayload')
class UpdateWebhookPayload {
  @Field(() => WebhookView) webhook!: WebhookView;
}

@ObjectType('DeleteWebhookPayload')
class DeleteWebhookPayload {
  @Field(() => ID) id!: string;
}

@ObjectType('TestWebhookPayload')
class TestWebhookPayload {
  @Field(() => WebhookDeliveryView) delivery!: WebhookDeliveryView;
}

/** Webhooks in GraphQL: the same service as REST, admins only. */
@StrictValidation()
@Roles('admin')
@Resolver(() => WebhookView)
export class WebhooksResolver {
  constructor(
    @Inject(WebhooksService) private readonly service: WebhooksService,
    @Inject(TENANT_ACCESS) private readonly tenancy: TenantAccess,
  ) {}

  @Query(() => WebhookConnection, { description: 'The webhook endpoints of a tenant (default: your own; admin)' })
  async webhooks(@CurrentUser() user: UserPrincipal, @Args() page: TenantPageArgs) {
    const scope = await this.tenancy.scope(user, page.tenantId ?? user.tenantId);
    return toConnection(await this.service.list(scope, { limit: page.first, cursor: page.after }), WebhookView.of, page.after);
  }

  @Query(() => WebhookView, { description: 'One webhook endpoint (admin)' })
  async webhook(
    @CurrentUser() user: UserPrincipal,
    @Args('id', { type: () => ID }) id: string,
    @Args('tenantId', { type: () => ID, nullable: true, description: "default: the caller's own tenant" }) tenantId?: string,
  ): Promise<WebhookView> {
    return WebhookView.of(await this.service.get(await this.tenancy.scope(user, tenantId ?? user.tenantId), id));
  }

  @ResolveField(() => WebhookDeliveryConnection, { description: 'Deliveries to this endpoint, newest first' })
  async deliveries(@CurrentUser() user: UserPrincipal, @Parent() webhook: WebhookView, @Args() page: PageArgs) {
    const scope = await this.tenancy.scope(user, webhook.tenantId);
    return toConnection(
      await this.service.deliveries(scope, webhook.id, { limit: page.first, cursor: page.after }),
      WebhookDeliveryView.of,
      page.after,
    );
  }

  @Mutation(() => CreateWebhookPayload, { description: 'Create a webhook endpoint; its secret is in this answer only (admin)' })
  async createWebhook(@CurrentUser() user: UserPrincipal, @Args('input') input: CreateWebhookInput): Promise<CreateWebhookPayload> {
    const { tenantId, ...body } = input;
    const { endpoint, secret } = await this.service.create(await this.tenancy.scope(user, tenantId), body);
    return { webhook: WebhookView.of(endpoint), secret };
  }

  @Mutation(() => UpdateWebhookPayload, { description: 'Change a webhook endpoint, or disable / re-enable it (admin)' })
  async updateWebhook(@CurrentUser() user: UserPrincipal, @Args('input') input: UpdateWebhookInput): Promise<UpdateWebhookPayload> {
    const { tenantId, id, ...changes } = input;
    return { webhook: WebhookView.of(await this.service.update(await this.tenancy.scope(user, tenantId), id, changes)) };
  }

  @Mutation(() => DeleteWebhookPayload, { description: 'Delete a webhook endpoint (admin)' })
  async deleteWebhook(@CurrentUser() user: UserPrincipal, @Args('input') input: WebhookRefInput): Promise<DeleteWebhookPayload> {
    await this.service.delete(await this.tenancy.scope(user, input.tenantId), input.id);
    return { id: input.id };
  }

  @Mutation(() => TestWebhookPayload, { description: 'Queue a signed webhook.test ping to the endpoint (admin)' })
  async testWebhook(@CurrentUser() user: UserPrincipal, @Args('input') input: WebhookRefInput): Promise<TestWebhookPayload> {
    return { delivery: WebhookDeliveryView.of(await this.service.test(await this.tenancy.scope(user, input.tenantId), input.id)) };
  }
}
