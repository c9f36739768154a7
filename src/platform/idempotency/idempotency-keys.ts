import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CommonErrors, invalidRequest } from '../errors/domain-error.js';
import { IdempotencyKeysStore } from './idempotency-keys.store.js';

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
  constructor(@Inject(IdempotencyKeysStore) private readonly store: IdempotencyKeysStore) {}

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
    await this.store.deleteExpired(manager, tenantId, key, IDEMPOTENCY_KEY_TTL_HOURS);
    if (await this.store.claim(manager, tenantId, key, hash, resourceType, resourceId)) return null;
    const existing = await this.store.find(manager, tenantId, key);
    // Pruned between the two statements: the key is free again.
    if (!existing) return this.claim(manager, tenantId, key, request, resourceType, resourceId);
    if (existing.requestHash !== hash || existing.resourceType !== resourceType) {
      throw CommonErrors.idempotencyKeyReused();
    }
    return existing.resourceId;
  }

  /** Deletes keys past their lifetime (the events.prune job calls this). */
  async prune(manager: EntityManager): Promise<void> {
    await this.store.prune(manager, IDEMPOTENCY_KEY_TTL_HOURS);
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
