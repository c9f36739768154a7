import { Inject, Injectable } from '@nestjs/common';
import type { JobPayloads } from '../platform/queues/job-catalog.js';
import { JobHandler } from '../platform/queues/job-handler.decorator.js';
import { WebhookDelivery } from './webhook-delivery.service.js';

/** The webhooks' jobs: delivery per endpoint and the sweep; WebhookDelivery holds the rules. */
@Injectable()
export class WebhookDeliveryProcessor {
  constructor(@Inject(WebhookDelivery) private readonly delivery: WebhookDelivery) {}

  @JobHandler('webhooks.deliver')
  async deliver({ endpointId }: JobPayloads['webhooks.deliver']): Promise<void> {
    await this.delivery.deliver(endpointId);
  }

  @JobHandler('webhooks.sweep')
  async sweep(): Promise<void> {
    await this.delivery.sweep();
  }
}
