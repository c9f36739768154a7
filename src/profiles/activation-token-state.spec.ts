import { describe, expect, it } from 'vitest';
import { tokenState } from './activation-token-state.js';

const now = new Date('2026-11-25T10:00:00Z');
const later = new Date('2026-11-25T11:00:00Z');
const earlier = new Date('2026-11-25T09:00:00Z');

describe('tokenState', () => {
  it.each([
    [{ usedAt: null, revokedAt: null, expiresAt: later }, 'ACTIVE'],
    [{ usedAt: null, revokedAt: null, expiresAt: now }, 'EXPIRED'],
    [{ usedAt: null, revokedAt: null, expiresAt: earlier }, 'EXPIRED'],
    [{ usedAt: earlier, revokedAt: null, expiresAt: later }, 'USED'],
    [{ usedAt: earlier, revokedAt: null, expiresAt: earlier }, 'USED'],
    [{ usedAt: null, revokedAt: earlier, expiresAt: later }, 'REVOKED'],
    [{ usedAt: null, revokedAt: earlier, expiresAt: earlier }, 'REVOKED'],
  ] as const)('%o is %s', (facts, state) => {
    expect(tokenState(facts, now)).toBe(state);
  });
});
