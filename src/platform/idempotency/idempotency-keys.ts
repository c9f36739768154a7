import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CommonErrors, invalidRequest } from '../errors/domain-error.js';
import { queryReturning } from '../database/sql.js';

/** How long a key protects against a repeated create. */
export const IDEMPOTENCY_KEY_TTL_HOURS = 24;

export const requestHash = (request: unknown) => createHash('sha256').update(JSON.stringify(request)).digest('hex');

/**
 * `Idempotency-Key` on creates that a script may retry: the same key from the same tenant within
 * 24 h answers the first result instead of making a second. The key is claimed inside the create's
 * own transaction, so two concurrent requests with one key make one object (the second waits for
 * the first to commit, then reads its result).
 */
@Injectable()
export class IdempotencyKeys {
  /**
   * Claims `key` for `resourceId`; answers null when the claim is ours, or the id the key already
   * points to. The same key with a different request is a client mistake (409).
   */
  async claim(
    manager: EntityManager,
    tenantId: string,
    key: string,
    request: unknown,
    resourceType: string,
    resourceId: string,
  ): Promise<string | null> {
    const hash = requestHash(request);
    // An expired key is free again.
    await manager.query(
      `DELETE FROM idempotency_keys WHERE tenant_id = $1 AND key = $2 AND created_at < now() - make_interval(hours => $3)`,
      [tenantId, key, IDEMPOTENCY_KEY_TTL_HOURS],
    );
    const claimed = await queryReturning<{ key: string }>(
      manager,
      `INSERT INTO idempotency_keys (tenant_id, key, request_hash, resource_type, resource_id) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (tenant_id, key) DO NOTHING RETURNING key`,
      [tenantId, key, hash, resourceType, resourceId],
    );
    if (claimed.length) return null;
    const [existing] = await manager.query(
      `SELECT request_hash, resource_type, resource_id FROM idempotency_keys WHERE tenant_id = $1 AND key = $2`,
      [tenantId, key],
    );
    if (existing.request_hash !== hash || existing.resource_type !== resourceType) {
      throw CommonErrors.idempotencyKeyReused();
    }
    return existing.resource_id as string;
  }

  /** Deletes keys past their lifetime (the events.prune job calls this). */
  async prune(manager: EntityManager): Promise<void> {
    await manager.query(`DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1)`, [IDEMPOTENCY_KEY_TTL_HOURS]);
  }
}

export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

/** Checks the header's value: printable ASCII, 1 to 200 characters. */
export function idempotencyKeyOf(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || !IDEMPOTENCY_KEY_PATTERN.test(value)) {
    throw invalidRequest('Idempotency-Key must be 1 to 200 printable ASCII characters', [
      { field: 'Idempotency-Key', message: 'must be 1 to 200 printable ASCII characters' },
    ]);
  }
  return value;
}
