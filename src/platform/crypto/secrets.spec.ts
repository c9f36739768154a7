import { describe, expect, it } from 'vitest';
import { SecretHasher } from './secrets.js';

describe('SecretHasher', () => {
  const hasher = new SecretHasher('k'.repeat(32));

  it('mints a prefixed secret of at least 256 random bits and keeps only a short prefix visible', () => {
    const secret = hasher.mint('gwat_');
    expect(secret.plaintext).toMatch(/^gwat_[A-Za-z0-9_-]{43}$/); // 32 bytes in base64url
    expect(secret.visiblePrefix).toBe(secret.plaintext.slice(0, 9));
    expect(secret.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(secret.hash).not.toContain(secret.plaintext.slice(5));
  });

  it('matches the plaintext it minted and nothing else', () => {
    const secret = hasher.mint('gws_');
    expect(hasher.matches(secret.plaintext, secret.hash)).toBe(true);
    expect(hasher.matches(`${secret.plaintext}x`, secret.hash)).toBe(false);
    expect(hasher.matches(secret.plaintext, 'zz')).toBe(false);
  });

  it('depends on the server key, so a stolen table alone cannot check guesses', () => {
    const other = new SecretHasher('o'.repeat(32));
    const secret = hasher.mint('gws_');
    expect(other.matches(secret.plaintext, secret.hash)).toBe(false);
  });

  it('never mints the same secret twice', () => {
    const minted = new Set(Array.from({ length: 1000 }, () => hasher.mint('x_').plaintext));
    expect(minted.size).toBe(1000);
  });
});
