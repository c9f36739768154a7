import { describe, expect, it } from 'vitest';
import { inspectInput, isCleanInput, MAX_BODY_DEPTH } from './input-hygiene.js';

/** `depth` arrays nested in each other around `inner`. */
const nested = (depth: number, inner: unknown = 1): unknown => {
  let value = inner;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
};

const heartbeat = {
  bootId: 'f1c9',
  sequence: 42,
  sentAt: '2026-11-25T10:00:00Z',
  softwareVersion: '0.9.6',
  nodes: [1, 2, 3].map((n) => ({
    hostname: `gw-node-${n}`,
    ipAddress: `10.20.0.${10 + n}`,
    cpuCores: 4,
    ready: true,
    kubernetesVersion: null,
    apps: [{ name: 'vprobe', status: 'RUNNING', restarts: 0 }],
  })),
};

/** A small deterministic generator of JSON values with the odd bad string, key or depth. */
function randomValue(next: () => number, depth = 0): unknown {
  const pick = next();
  const text = () => {
    const r = next();
    if (r < 0.03) return `a\u0000b`;
    if (r < 0.06) return `x\ud800`;
    if (r < 0.08) return '\udc00';
    return `s${Math.floor(r * 1000)}`;
  };
  if (depth > 40 || pick < 0.3) return [text(), Math.floor(pick * 100), true, null][Math.floor(next() * 4)];
  if (pick < 0.6 && depth < 36) return Array.from({ length: Math.floor(next() * 3) }, () => randomValue(next, depth + 1));
  if (pick < 0.65) return nested(Math.floor(next() * 40));
  return Object.fromEntries(Array.from({ length: Math.floor(next() * 4) }, () => [text(), randomValue(next, depth + 1)]));
}

describe('input hygiene: the allocation-free check agrees with the full walk', () => {
  it('a clean heartbeat body is clean for both', () => {
    expect(isCleanInput(heartbeat)).toBe(true);
    expect(inspectInput(heartbeat, '')).toBeNull();
  });

  it.each([
    ['a NUL in a nested string', { nodes: [{ apps: [{ name: 'a\u0000b' }] }] }, 'INVALID_CHARACTERS'],
    ['an unpaired surrogate in a key', { nodes: [{ ['k\ud800']: 1 }] }, 'INVALID_CHARACTERS'],
    ['an unpaired surrogate in an array item', ['ok', ['\udc00']], 'INVALID_CHARACTERS'],
    ['a bad string at the root', 'a\u0000', 'INVALID_CHARACTERS'],
    [`arrays nested ${MAX_BODY_DEPTH + 1} deep`, nested(MAX_BODY_DEPTH + 1), 'BODY_TOO_DEEP'],
    [`an empty object ${MAX_BODY_DEPTH} levels down`, nested(MAX_BODY_DEPTH, {}), 'BODY_TOO_DEEP'],
  ])('%s: not clean, and the full walk names the problem', (_name, value, code) => {
    expect(isCleanInput(value)).toBe(false);
    expect(inspectInput(value, '')?.code).toBe(code);
  });

  it(`nesting up to the limit is clean (${MAX_BODY_DEPTH} arrays around a number, ${MAX_BODY_DEPTH - 1} around an empty array)`, () => {
    for (const value of [nested(MAX_BODY_DEPTH), nested(MAX_BODY_DEPTH - 1, [])]) {
      expect(isCleanInput(value)).toBe(true);
      expect(inspectInput(value, '')).toBeNull();
    }
  });

  it('agrees with inspectInput on 5,000 generated values', () => {
    let seed = 12345;
    const next = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    let dirty = 0;
    for (let i = 0; i < 5_000; i++) {
      const value = randomValue(next);
      const clean = isCleanInput(value);
      expect(clean, JSON.stringify(value)).toBe(inspectInput(value, '') === null);
      if (!clean) dirty += 1;
    }
    // Both kinds were generated plenty: the comparison means something.
    expect(dirty).toBeGreaterThan(500);
    expect(dirty).toBeLessThan(4_500);
  });
});
