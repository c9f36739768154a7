import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { GatewaysModule } from '../gateways/gateways.module.js';
import { WebhookDeliveryProcessor } from './webhook-delivery.processor.js';
import { WebhookDelivery } from './webhook-delivery.service.js';
import { WebhookEndpointEntity } from './webhook-endpoint.entity.js';
import { WebhookEventData } from './webhook-event-data.js';
import { WebhookFanout } from './webhook-fanout.service.js';
import { WebhookSecretBox } from './webhook-signing.js';
import { WebhooksController } from './webhooks.controller.js';
import { WebhooksResolver } from './webhooks.resolver.js';
import { WebhooksService } from './webhooks.service.js';
import { WebhooksStore } from './webhooks.store.js';

/** Signed webhooks (docs/webhooks.md): endpoints, the outbox fan-out, and delivery with retries. */
@Module({
  imports: [TypeOrmModule.forFeature([WebhookEndpointEntity]), GatewaysModule],
  controllers: [WebhooksController],
  providers: [
    WebhooksStore,
    WebhooksService,
    WebhooksResolver,
    WebhookEventData,
    WebhookFanout,
    WebhookDelivery,
    WebhookDeliveryProcessor,
    { provide: WebhookSecretBox, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new WebhookSecretBox(config.auth.secretHashKey) },
  ],
  exports: [WebhooksStore],
})
export class WebhooksModule {}
