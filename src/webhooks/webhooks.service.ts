import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { ChangeRecorder } from '../platform/audit/change-recorder.js';
import type { TenantScope } from '../platform/auth/tenant-scope.js';
import { transactionWithEffects } from '../platform/database/after-commit.js';
import { isUuid } from '../platform/database/uuid.js';
import type { Page, PageRequest } from '../platform/pagination/cursor.js';
import { JobQueue } from '../platform/queues/job-queue.service.js';
import { TenantQuotas } from '../tenants/tenant-quotas.js';
import type { CreateWebhookDto, UpdateWebhookDto } from './dto/webhook.dto.js';
import { refusedUrl } from './ssrf-guard.js';
import { WebhookEndpointEntity } from './webhook-endpoint.entity.js';
import { WEBHOOK_TEST_EVENT } from './webhook-events.js';
import { mintWebhookSecret, WEBHOOK_SECRET_PREFIX, WebhookSecretBox } from './webhook-signing.js';
import type { DeliveryRow } from './webhook.view.js';
import { WebhookErrors } from './webhooks.errors.js';
import { WebhooksStore } from './webhooks.store.js';

const auditShape = (endpoint: WebhookEndpointEntity) => ({
  url: endpoint.url,
  events: endpoint.events,
  description: endpoint.description,
  status: endpoint.status,
});

/** A tenant's webhook endpoints (admin only): create (secret shown once), read, update, delete, ping, delivery log. */
@Injectable()
export class WebhooksService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(WebhooksStore) private readonly store: WebhooksStore,
    @Inject(WebhookSecretBox) private readonly secrets: WebhookSecretBox,
    @Inject(ChangeRecorder) private readonly changes: ChangeRecorder,
    @Inject(JobQueue) private readonly jobs: JobQueue,
    @Inject(TenantQuotas) private readonly quotas: TenantQuotas,
  ) {}

  private checkUrl(url: string): void {
    const refused = refusedUrl(url, this.config.webhooks.allowedPrivateTargets);
    if (refused) throw WebhookErrors.targetRefused(refused);
  }

  async create(scope: TenantScope, input: CreateWebhookDto): Promise<{ endpoint: WebhookEndpointEntity; secret: string }> {
    this.checkUrl(input.url);
    const secret = mintWebhookSecret();
    const endpoint = await this.dataSource.transaction(async (manager) => {
      await this.quotas.claim(manager, scope.tenantId, 'webhooks', () => this.store.countOfTenant(manager, scope.tenantId));
      const created = await manager.save(
        manager.create(WebhookEndpointEntity, {
          tenantId: scope.tenantId,
          url: input.url,
          description: input.description ?? null,
          events: input.events,
          secretEncrypted: this.secrets.seal(secret),
          secretPrefix: secret.slice(0, WEBHOOK_SECRET_PREFIX.length + 4),
          status: 'ENABLED',
          disabledReason: null,
          disabledAt: null,
          deletedAt: null,
        }),
      );
      await this.changes.record(manager, {
        tenantId: scope.tenantId,
        actor: scope.actor,
        action: 'webhook.created',
        targetType: 'webhook',
        targetId: created.id,
        after: auditShape(created),
      });
      return created;
    });
    return { endpoint, secret };
  }

  list(scope: TenantScope, page: PageRequest): Promise<Page<WebhookEndpointEntity>> {
    return this.store.list(scope.tenantId, page);
  }

  async get(scope: Pick<TenantScope, 'tenantId'>, webhookId: string): Promise<WebhookEndpointEntity> {
    const endpoint = isUuid(webhookId)
      ? await this.dataSource.manager.findOneBy(WebhookEndpointEntity, { id: webhookId, tenantId: scope.tenantId })
      : null;
    if (!endpoint || endpoint.deletedAt) throw WebhookErrors.notFound();
    return endpoint;
  }

  async update(scope: TenantScope, webhookId: string, input: UpdateWebhookDto): Promise<WebhookEndpointEntity> {
    if (input.url !== undefined) this.checkUrl(input.url);
    const updated = await transactionWithEffects(this.dataSource, async (manager, after) => {
      const endpoint = isUuid(webhookId)
        ? await manager.findOne(WebhookEndpointEntity, {
            where: { id: webhookId, tenantId: scope.tenantId },
            lock: { mode: 'pessimistic_write' },
          })
        : null;
      if (!endpoint || endpoint.deletedAt) throw WebhookErrors.notFound();
      const before = auditShape(endpoint);
      if (input.url !== undefined) endpoint.url = input.url;
      if (input.events !== undefined) endpoint.events = input.events;
      if (input.description !== undefined) endpoint.description = input.description ?? null;
      if (input.enabled === true && endpoint.status === 'DISABLED') {
        Object.assign(endpoint, { status: 'ENABLED', disabledReason: null, disabledAt: null });
        after.add(() => this.jobs.add('webhooks.deliver', { endpointId: endpoint.id }));
      }
      if (input.enabled === false && endpoint.status === 'ENABLED')
        Object.assign(endpoint, { status: 'DISABLED', disabledReason: 'disabled by an admin', disabledAt: new Date() });
      const saved = await manager.save(endpoint);
      await this.changes.record(manager, {
        tenantId: scope.tenantId,
        actor: scope.actor,
        action: 'webhook.updated',
        targetType: 'webhook',
        targetId: endpoint.id,
        before,
        after: auditShape(saved),
      });
      return saved;
    });
    return updated;
  }

  async delete(scope: TenantScope, webhookId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const endpoint = isUuid(webhookId)
        ? await manager.findOne(WebhookEndpointEntity, {
            where: { id: webhookId, tenantId: scope.tenantId },
            lock: { mode: 'pessimistic_write' },
          })
        : null;
      if (!endpoint || endpoint.deletedAt) throw WebhookErrors.notFound();
      await manager.update(WebhookEndpointEntity, { id: endpoint.id }, { deletedAt: new Date(), status: 'DISABLED' });
      await this.changes.record(manager, {
        tenantId: scope.tenantId,
        actor: scope.actor,
        action: 'webhook.deleted',
        targetType: 'webhook',
        targetId: endpoint.id,
        before: auditShape(endpoint),
      });
    });
  }

  /** Queues a `webhook.test` ping to the endpoint (behind its pending deliveries): the delivery to watch. */
  async test(scope: TenantScope, webhookId: string): Promise<DeliveryRow> {
    const endpoint = await this.get(scope, webhookId);
    const body = {
      type: WEBHOOK_TEST_EVENT,
      timestamp: new Date().toISOString(),
      data: {
        webhookId: endpoint.id,
        tenantId: endpoint.tenantId,
        message: 'a test ping from the Gateway Control Plane',
        nonce: randomUUID(),
      },
    };
    const [delivery] = await this.store.insertDeliveries(this.dataSource.manager, [
      { tenantId: scope.tenantId, endpointId: endpoint.id, eventType: WEBHOOK_TEST_EVENT, body },
    ]);
    await this.jobs.add('webhooks.deliver', { endpointId: endpoint.id });
    return (await this.store.delivery(delivery!.id))!;
  }

  async deliveries(scope: Pick<TenantScope, 'tenantId'>, webhookId: string, page: PageRequest): Promise<Page<DeliveryRow>> {
    const endpoint = await this.get(scope, webhookId);
    return this.store.deliveries(scope.tenantId, endpoint.id, page);
  }
}
