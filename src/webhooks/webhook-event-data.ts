import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CommandEntity } from '../commands/command.entity.js';
import { BulkCommandView, CommandView } from '../commands/command.view.js';
import { CommandsStore } from '../commands/commands.store.js';
import { GatewayMigrationEntity } from '../gateway-migrations/gateway-migration.entity.js';
import { MigrationView } from '../gateway-migrations/migration.view.js';
import { GatewayView } from '../gateways/gateway.view.js';
import { GatewaysQueryService } from '../gateways/gateways-query.service.js';
import { ActivationTokenEntity } from '../profiles/activation-token.entity.js';
import { ActivationTokenView } from '../profiles/activation-token.view.js';
import { WebhookEndpointEntity } from './webhook-endpoint.entity.js';
import type { WebhookSubject } from './webhook-events.js';
import { WebhookView } from './webhook.view.js';

/** A view as the REST API writes it (dates as ISO strings). */
const asJson = (view: object): Record<string, unknown> => JSON.parse(JSON.stringify(view)) as Record<string, unknown>;

/**
 * The `data` of a webhook event: the object it is about, in the shape the REST API answers for it
 * (read when the event is fanned out, so every endpoint gets the same body on every attempt), or
 * null when the object is gone.
 */
@Injectable()
export class WebhookEventData {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(GatewaysQueryService) private readonly gateways: GatewaysQueryService,
    @Inject(CommandsStore) private readonly commands: CommandsStore,
  ) {}

  async of(tenantId: string, subject: WebhookSubject): Promise<Record<string, unknown> | null> {
    const manager = this.dataSource.manager;
    switch (subject.kind) {
      case 'gateway': {
        const record = await this.gateways.get({ tenantId }, subject.id).catch(() => null);
        if (!record) return null;
        // The status the event reports, even if the gateway has moved on since.
        const view = GatewayView.of(record.gateway, record.live, record.nodes);
        return asJson(subject.status ? { ...view, status: subject.status } : view);
      }
      case 'command': {
        const command = await manager.findOneBy(CommandEntity, { id: subject.id, tenantId });
        return command ? asJson(CommandView.of(command)) : null;
      }
      case 'bulkCommand': {
        const bulk = await this.commands.findBulk(tenantId, subject.id);
        return bulk ? asJson(BulkCommandView.of(bulk, await this.commands.bulkTargetCounts(bulk.id))) : null;
      }
      case 'migration': {
        const migration = await manager.findOneBy(GatewayMigrationEntity, { id: subject.id, tenantId });
        return migration ? asJson(MigrationView.of(migration)) : null;
      }
      case 'activationToken': {
        const token = await manager.findOneBy(ActivationTokenEntity, { id: subject.id, tenantId });
        return token ? asJson(ActivationTokenView.of(token)) : null;
      }
      case 'webhook': {
        const endpoint = await manager.findOneBy(WebhookEndpointEntity, { id: subject.id, tenantId });
        return endpoint ? asJson(WebhookView.of(endpoint)) : null;
      }
    }
  }
}
