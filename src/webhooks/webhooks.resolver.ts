import { Inject } from '@nestjs/common';
import { Args, Field, ID, Mutation, ObjectType, Query, ResolveField, Resolver, Parent } from '@nestjs/graphql';
import { Roles } from '../platform/auth/auth.decorators.js';
import type { TenantScope } from '../platform/auth/tenant-scope.js';
import { GqlTenantScope } from '../platform/graphql/tenant-scope.decorator.js';
import { Connection, PageArgs, TenantPageArgs, toConnection } from '../platform/pagination/page.dto.js';
import { StrictValidation } from '../platform/validation/validation.js';
import { CreateWebhookInput, UpdateWebhookInput, WebhookRefInput } from './dto/webhook.dto.js';
import { WebhookDeliveryView, WebhookView } from './webhook.view.js';
import { WebhooksService } from './webhooks.service.js';
import { WEBHOOK_OWNER } from './webhooks.store.js';

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
  @Field(() => ID) deletedWebhookId!: string;
}

const followWebhook = (arg: string) => ({ follow: { arg, owner: WEBHOOK_OWNER } });

@ObjectType('TestWebhookPayload')
class TestWebhookPayload {
  @Field(() => WebhookDeliveryView) delivery!: WebhookDeliveryView;
}

/** Webhooks in GraphQL: the same service as REST, admins only. */
@StrictValidation()
@Roles('admin')
@Resolver(() => WebhookView)
export class WebhooksResolver {
  constructor(@Inject(WebhooksService) private readonly service: WebhooksService) {}

  @Query(() => WebhookConnection, { description: 'The webhook endpoints of a tenant (default: your own; admin)' })
  async webhooks(@GqlTenantScope() scope: TenantScope, @Args() page: TenantPageArgs) {
    return toConnection(await this.service.list(scope, { limit: page.first, cursor: page.after }), WebhookView.of, page.after);
  }

  @Query(() => WebhookView, { description: 'One webhook endpoint, in any tenant you may reach (admin)' })
  async webhook(@GqlTenantScope(followWebhook('id')) scope: TenantScope, @Args('id', { type: () => ID }) id: string): Promise<WebhookView> {
    return WebhookView.of(await this.service.get(scope, id));
  }

  @ResolveField(() => WebhookDeliveryConnection, { description: 'Deliveries to this endpoint, newest first' })
  async deliveries(@Parent() webhook: WebhookView, @Args() page: PageArgs) {
    // The parent was visible to the caller, so its tenant is: no second tenancy check.
    return toConnection(
      await this.service.deliveries({ tenantId: webhook.tenantId }, webhook.id, { limit: page.first, cursor: page.after }),
      WebhookDeliveryView.of,
      page.after,
    );
  }

  @Mutation(() => CreateWebhookPayload, { description: 'Create a webhook endpoint; its secret is in this answer only (admin)' })
  async createWebhook(@GqlTenantScope() scope: TenantScope, @Args('input') input: CreateWebhookInput): Promise<CreateWebhookPayload> {
    const { tenantId: _tenantId, ...body } = input;
    const { endpoint, secret } = await this.service.create(scope, body);
    return { webhook: WebhookView.of(endpoint), secret };
  }

  @Mutation(() => UpdateWebhookPayload, { description: 'Change a webhook endpoint, or disable / re-enable it (admin)' })
  async updateWebhook(
    @GqlTenantScope(followWebhook('input.id')) scope: TenantScope,
    @Args('input') input: UpdateWebhookInput,
  ): Promise<UpdateWebhookPayload> {
    const { id, ...changes } = input;
    return { webhook: WebhookView.of(await this.service.update(scope, id, changes)) };
  }

  @Mutation(() => DeleteWebhookPayload, { description: 'Delete a webhook endpoint (admin)' })
  async deleteWebhook(
    @GqlTenantScope(followWebhook('input.id')) scope: TenantScope,
    @Args('input') input: WebhookRefInput,
  ): Promise<DeleteWebhookPayload> {
    await this.service.delete(scope, input.id);
    return { deletedWebhookId: input.id };
  }

  @Mutation(() => TestWebhookPayload, { description: 'Queue a signed webhook.test ping to the endpoint (admin)' })
  async testWebhook(
    @GqlTenantScope(followWebhook('input.id')) scope: TenantScope,
    @Args('input') input: WebhookRefInput,
  ): Promise<TestWebhookPayload> {
    return { delivery: WebhookDeliveryView.of(await this.service.test(scope, input.id)) };
  }
}
