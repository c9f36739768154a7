import { describe, expect, it } from 'vitest';
import { helmetOptions, securityHeaders } from './security-headers.js';

describe('security headers, computed once from helmet', () => {
  it("are helmet's headers for our options: nosniff, DENY, frame-ancestors 'none', no referrer, and no HSTS unless configured", () => {
    const headers = securityHeaders(helmetOptions({ hstsMaxAgeSeconds: 0 }));
    expect(headers).toMatchObject({
      'content-security-policy': "default-src 'self';frame-ancestors 'none'",
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
    });
    expect(headers).not.toHaveProperty('strict-transport-security');
    expect(headers).not.toHaveProperty('cross-origin-embedder-policy');
    // Every name is lower case (Fastify's header map), every value a string.
    for (const [name, value] of Object.entries(headers)) {
      expect(name).toBe(name.toLowerCase());
      expect(typeof value).toBe('string');
    }
  });

  it('HSTS with includeSubDomains when HSTS_MAX_AGE_SECONDS is set', () => {
    expect(securityHeaders(helmetOptions({ hstsMaxAgeSeconds: 31_536_000 }))['strict-transport-security']).toBe(
      'max-age=31536000; includeSubDomains',
    );
  });

  it('are frozen: one answer cannot change what the next one gets', () => {
    const headers = securityHeaders(helmetOptions({ hstsMaxAgeSeconds: 0 }));
    expect(Object.isFrozen(headers)).toBe(true);
  });
});
