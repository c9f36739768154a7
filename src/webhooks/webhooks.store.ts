import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { prepared, queryReturning, type Statements } from '../platform/database/sql.js';
import { tenantOwnerLookup } from '../platform/graphql/tenant-scope.decorator.js';
import {
  decodeCursor,
  DEFAULT_PAGE_SIZE,
  encodeCursor,
  MAX_PAGE_SIZE,
  paginate,
  type Page,
  type PageRequest,
} from '../platform/pagination/cursor.js';
import { WebhookEndpointEntity } from './webhook-endpoint.entity.js';
import type { DeliveryRow } from './webhook.view.js';

const DELIVERY_COLUMNS = `id, tenant_id AS "tenantId", endpoint_id AS "endpointId", event_type AS "eventType", status, attempts,
  last_status_code AS "lastStatusCode", last_error AS "lastError", last_duration_ms AS "lastDurationMs", last_attempt_at AS "lastAttemptAt",
  next_attempt_at AS "nextAttemptAt", created_at AS "createdAt", delivered_at AS "deliveredAt"`;

/** Every statement on webhook_endpoints and webhook_deliveries. */
export const STATEMENTS = {
  /** The tenant's endpoints, for its quota (counted under the tenant's quota lock, in the creating transaction). */
  countEndpointsOfTenant: `SELECT count(*)::int AS count FROM webhook_endpoints WHERE tenant_id = $1 AND deleted_at IS NULL`,
  enabledEndpointsOfTenants: prepared(
    'enabled-webhook-endpoints-of-tenants',
    `SELECT id, tenant_id, events FROM webhook_endpoints WHERE tenant_id = ANY($1::uuid[]) AND status = 'ENABLED' AND deleted_at IS NULL`,
  ),
  insertDeliveries: `INSERT INTO webhook_deliveries (tenant_id, endpoint_id, event_type, body, next_attempt_at)
       SELECT d.tenant_id, d.endpoint_id, d.event_type, d.body, now()
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::jsonb[]) AS d(tenant_id, endpoint_id, event_type, body)
       RETURNING id, endpoint_id`,
  endpointToDeliver: `SELECT id, tenant_id, url, secret_encrypted, status FROM webhook_endpoints WHERE id = $1 AND deleted_at IS NULL`,
  headDelivery: prepared(
    'webhook-head-delivery',
    `SELECT id, event_type, body, attempts, created_at, next_attempt_at <= now() AS due, GREATEST(0, EXTRACT(EPOCH FROM next_attempt_at - now()) * 1000)::float8 AS wait_ms
       FROM webhook_deliveries WHERE endpoint_id = $1 AND status = 'PENDING' ORDER BY seq LIMIT 1`,
  ),
  deliverySucceeded: `UPDATE webhook_deliveries SET status = 'SUCCEEDED', attempts = attempts + 1, last_status_code = $2, last_error = NULL,
       last_duration_ms = $3, last_attempt_at = now(), next_attempt_at = NULL, delivered_at = now() WHERE id = $1 AND status = 'PENDING'`,
  deliveryFailed: `UPDATE webhook_deliveries SET status = CASE WHEN $5::timestamptz IS NULL THEN 'FAILED' ELSE 'PENDING' END,
       attempts = attempts + 1, last_status_code = $2, last_error = $3, last_duration_ms = $4, last_attempt_at = now(), next_attempt_at = $5
       WHERE id = $1 AND status = 'PENDING'`,
  disableEndpoint: `UPDATE webhook_endpoints SET status = 'DISABLED', disabled_reason = $2, disabled_at = now(), updated_at = now()
       WHERE id = $1 AND status = 'ENABLED' AND deleted_at IS NULL RETURNING tenant_id`,
  failPendingOfEndpoint: `UPDATE webhook_deliveries SET status = 'FAILED', next_attempt_at = NULL WHERE endpoint_id = $1 AND status = 'PENDING'`,
  dueEndpoints: `SELECT DISTINCT d.endpoint_id FROM webhook_deliveries d
       WHERE d.status = 'PENDING' AND d.next_attempt_at <= now() - $1::interval LIMIT $2`,
  deliveriesOfEndpoint: `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries
       WHERE tenant_id = $1 AND endpoint_id = $2 AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
       ORDER BY created_at DESC, id DESC LIMIT $5`,
  deliveryById: `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE id = $1`,
  /** Which of the given tenants owns the endpoint (GraphQL scopes follow an object to its tenant). */
  tenantOfEndpoint: `SELECT tenant_id FROM webhook_endpoints WHERE id = $1 AND tenant_id = ANY($2::uuid[]) AND deleted_at IS NULL`,
} satisfies Statements;

export interface EndpointToDeliver {
  id: string;
  tenantId: string;
  url: string;
  secretEncrypted: string;
  status: string;
}

export interface HeadDelivery {
  id: string;
  eventType: string;
  body: object;
  attempts: number;
  createdAt: Date;
  due: boolean;
  waitMs: number;
}

/** The webhooks part's tables: webhook_endpoints and webhook_deliveries. */
@Injectable()
export class WebhooksStore {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async countOfTenant(manager: EntityManager, tenantId: string): Promise<number> {
    const [row] = await manager.query(STATEMENTS.countEndpointsOfTenant, [tenantId]);
    return (row as { count: number }).count;
  }

  /** The one of `tenantIds` that owns endpoint `id`, or null. */
  async tenantOfEndpoint(id: string, tenantIds: readonly string[]): Promise<string | null> {
    const rows: { tenant_id: string }[] = await this.dataSource.query(STATEMENTS.tenantOfEndpoint, [id, tenantIds]);
    return rows[0]?.tenant_id ?? null;
  }

  async list(tenantId: string, page: PageRequest): Promise<Page<WebhookEndpointEntity>> {
    const query = this.dataSource
      .getRepository(WebhookEndpointEntity)
      .createQueryBuilder('w')
      .where('w.tenant_id = :tenantId AND w.deleted_at IS NULL', { tenantId });
    return paginate(query, page, { alias: 'w', column: 'created_at', property: 'createdAt' });
  }

  /** The enabled endpoints of these tenants, with the event types each takes. */
  async enabledEndpointsOf(manager: EntityManager, tenantIds: string[]): Promise<{ id: string; tenantId: string; events: string[] }[]> {
    if (!tenantIds.length) return [];
    const rows: { id: string; tenant_id: string; events: string[] }[] = await manager.query(STATEMENTS.enabledEndpointsOfTenants, [
      tenantIds,
    ]);
    return rows.map((row) => ({ id: row.id, tenantId: row.tenant_id, events: row.events }));
  }

  /** One pending delivery per (endpoint, event), in the order given: their ids and endpoints. */
  async insertDeliveries(
    manager: EntityManager,
    deliveries: { tenantId: string; endpointId: string; eventType: string; body: object }[],
  ): Promise<{ id: string; endpointId: string }[]> {
    if (!deliveries.length) return [];
    const rows: { id: string; endpoint_id: string }[] = await manager.query(STATEMENTS.insertDeliveries, [
      deliveries.map((d) => d.tenantId),
      deliveries.map((d) => d.endpointId),
      deliveries.map((d) => d.eventType),
      deliveries.map((d) => JSON.stringify(d.body)),
    ]);
    return rows.map((row) => ({ id: row.id, endpointId: row.endpoint_id }));
  }

  async endpointToDeliver(endpointId: string): Promise<EndpointToDeliver | null> {
    const [row] = await this.dataSource.query(STATEMENTS.endpointToDeliver, [endpointId]);
    return row ? { id: row.id, tenantId: row.tenant_id, url: row.url, secretEncrypted: row.secret_encrypted, status: row.status } : null;
  }

  /** The endpoint's oldest pending delivery (its deliveries go out one at a time, in order). */
  async headDelivery(endpointId: string): Promise<HeadDelivery | null> {
    const [row] = await this.dataSource.query(STATEMENTS.headDelivery, [endpointId]);
    return row
      ? {
          id: row.id,
          eventType: row.event_type,
          body: row.body,
          attempts: row.attempts,
          createdAt: row.created_at,
          due: row.due,
          waitMs: row.wait_ms,
        }
      : null;
  }

  async deliverySucceeded(deliveryId: string, statusCode: number, durationMs: number): Promise<void> {
    await this.dataSource.query(STATEMENTS.deliverySucceeded, [deliveryId, statusCode, durationMs]);
  }

  /** A failed attempt: retried at `nextAttemptAt`, or FAILED for good when it is null. */
  async deliveryFailed(
    deliveryId: string,
    failure: { statusCode: number | null; error: string | null; durationMs: number },
    nextAttemptAt: Date | null,
  ): Promise<void> {
    await this.dataSource.query(STATEMENTS.deliveryFailed, [
      deliveryId,
      failure.statusCode,
      failure.error,
      failure.durationMs,
      nextAttemptAt,
    ]);
  }

  /** Disables an enabled endpoint and fails its pending deliveries; false when it was not enabled. */
  async disable(manager: EntityManager, endpointId: string, reason: string): Promise<boolean> {
    const rows = await queryReturning<{ tenant_id: string }>(manager, STATEMENTS.disableEndpoint, [endpointId, reason]);
    if (!rows.length) return false;
    await manager.query(STATEMENTS.failPendingOfEndpoint, [endpointId]);
    return true;
  }

  /** Endpoints with a delivery due for at least `overdue` (the sweep's safety net for lost jobs). */
  async dueEndpoints(overdue: string, limit: number): Promise<string[]> {
    const rows: { endpoint_id: string }[] = await this.dataSource.query(STATEMENTS.dueEndpoints, [overdue, limit]);
    return rows.map((row) => row.endpoint_id);
  }

  async deliveries(tenantId: string, endpointId: string, page: PageRequest): Promise<Page<DeliveryRow>> {
    const limit = Math.min(Math.max(page.limit ?? DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE);
    const position = page.cursor ? decodeCursor(page.cursor) : null;
    const rows: DeliveryRow[] = await this.dataSource.query(STATEMENTS.deliveriesOfEndpoint, [
      tenantId,
      endpointId,
      position?.at ?? null,
      position?.id ?? null,
      limit + 1,
    ]);
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null };
  }

  async delivery(deliveryId: string): Promise<DeliveryRow | null> {
    const [row] = await this.dataSource.query(STATEMENTS.deliveryById, [deliveryId]);
    return (row as DeliveryRow | undefined) ?? null;
  }
}

export const WEBHOOK_OWNER = tenantOwnerLookup(WebhooksStore, (store, id, tenants) => store.tenantOfEndpoint(id, tenants));
