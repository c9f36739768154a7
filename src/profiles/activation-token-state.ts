export const TOKEN_STATES = ['ACTIVE', 'USED', 'EXPIRED', 'REVOKED'] as const;
export type TokenState = (typeof TOKEN_STATES)[number];

export interface TokenFacts {
  usedAt: Date | null;
  revokedAt: Date | null;
  expiresAt: Date;
}

/**
 * A token's state is derived from when things happened, never stored apart from them. A used
 * token stays USED (that is its history) even after it would have expired; a revoked one, REVOKED.
 */
export function tokenState(token: TokenFacts, now: Date = new Date()): TokenState {
  if (token.usedAt) return 'USED';
  if (token.revokedAt) return 'REVOKED';
  if (token.expiresAt.getTime() <= now.getTime()) return 'EXPIRED';
  return 'ACTIVE';
}

export const TOKEN_TTL = { MIN_SECONDS: 60, MAX_SECONDS: 2_592_000, DEFAULT_SECONDS: 86_400 } as const;
export const ACTIVATION_TOKEN_PREFIX = 'gwat_';
