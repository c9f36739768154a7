import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { queryReturning, type Statements } from '../database/sql.js';

export const STATEMENTS = {
  deleteExpiredKey: `DELETE FROM idempotency_keys WHERE tenant_id = $1 AND key = $2 AND created_at < now() - make_interval(hours => $3)`,
  claim: `INSERT INTO idempotency_keys (tenant_id, key, request_hash, resource_type, resource_id) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (tenant_id, key) DO NOTHING RETURNING key`,
  find: `SELECT request_hash, resource_type, resource_id FROM idempotency_keys WHERE tenant_id = $1 AND key = $2`,
  prune: `DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1)`,
} satisfies Statements;

export interface StoredIdempotencyKey {
  requestHash: string;
  resourceType: string;
  resourceId: string;
}

/** Every statement on idempotency_keys. Each runs in the caller's transaction (`manager`). */
@Injectable()
export class IdempotencyKeysStore {
  async deleteExpired(manager: EntityManager, tenantId: string, key: string, ttlHours: number): Promise<void> {
    await manager.query(STATEMENTS.deleteExpiredKey, [tenantId, key, ttlHours]);
  }

  /** Inserts the key unless it exists; true when this call inserted it. */
  async claim(
    manager: EntityManager,
    tenantId: string,
    key: string,
    requestHash: string,
    resourceType: string,
    resourceId: string,
  ): Promise<boolean> {
    const rows = await queryReturning<{ key: string }>(manager, STATEMENTS.claim, [tenantId, key, requestHash, resourceType, resourceId]);
    return rows.length > 0;
  }

  async find(manager: EntityManager, tenantId: string, key: string): Promise<StoredIdempotencyKey | null> {
    const [row]: { request_hash: string; resource_type: string; resource_id: string }[] = await manager.query(STATEMENTS.find, [
      tenantId,
      key,
    ]);
    return row ? { requestHash: row.request_hash, resourceType: row.resource_type, resourceId: row.resource_id } : null;
  }

  async prune(manager: EntityManager, ttlHours: number): Promise<void> {
    await manager.query(STATEMENTS.prune, [ttlHours]);
  }
}
