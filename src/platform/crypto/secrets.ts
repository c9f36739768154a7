import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** How many characters after the type prefix are kept in clear for display (`gwat_3kF9…`). */
const VISIBLE_CHARACTERS = 4;

export interface MintedSecret {
  /** Shown to the user once, never stored. */
  plaintext: string;
  /** Kept for display and lookup hints: the type prefix plus a few characters. */
  visiblePrefix: string;
  /** HMAC-SHA-256 of the plaintext under the server key, hex. */
  hash: string;
}

/**
 * Mints and checks bearer secrets (activation tokens, gateway secrets, API client secrets).
 * They carry 256 random bits, so a keyed hash is enough: no slow password hash is needed, and
 * the key means a stolen table alone cannot be used to check guesses.
 */
export class SecretHasher {
  constructor(private readonly key: string) {}

  mint(typePrefix: string): MintedSecret {
    const plaintext = `${typePrefix}${randomBytes(32).toString('base64url')}`;
    return { plaintext, visiblePrefix: plaintext.slice(0, typePrefix.length + VISIBLE_CHARACTERS), hash: this.hash(plaintext) };
  }

  hash(plaintext: string): string {
    return createHmac('sha256', this.key).update(plaintext, 'utf8').digest('hex');
  }

  /** Constant-time comparison of a presented secret with a stored hash. */
  matches(plaintext: string, storedHash: string): boolean {
    const presented = Buffer.from(this.hash(plaintext), 'hex');
    const stored = Buffer.from(storedHash, 'hex');
    return presented.length === stored.length && timingSafeEqual(presented, stored);
  }
}
