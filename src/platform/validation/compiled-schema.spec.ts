import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { heartbeatBody } from '../../gateway-protocol/dto/heartbeat.dto.js';
import { healthyNode, withPrerequisites } from '../../../scripts/lib/nodes.js';
import { compileSchemaCheck } from './compiled-schema.js';

/** A node reporting every optional fact of protocol v1, with one peer (as the test fleet's nodes do). */
const node = (n: number) => withPrerequisites([healthyNode(n), healthyNode(n + 1)])[0]!;

const heartbeat = () => ({
  bootId: 'f1c9',
  sequence: 42,
  sentAt: '2026-11-25T10:00:00Z',
  softwareVersion: '0.9.6',
  configurationVersion: 3,
  nodes: [node(1), node(2), node(3)],
});

const text = (length: number, unit = 'a') => unit.repeat(length);
/** Values that sit on the edges of the heartbeat schema's rules (lengths, ranges, formats, types). */
const EDGES: unknown[] = [
  ...[0, 1, 49, 50, 51, 99, 100, 101, 199, 200, 201, 252, 253, 254, 300, 301, 1024, 1025].map((n) => text(n)),
  // A surrogate pair is two UTF-16 units and one code point (zod counts code points).
  text(25, '😀'),
  text(26, '😀'),
  text(50, '😀'),
  text(51, '😀'),
  text(100, '😀'),
  text(101, '😀'),
  text(49, '😀') + '\ud800',
  '\udc00' + text(50, '😀'),
  text(100, 'é'),
  '1'.repeat(5) + '😀',
  ...[-1, -0, 0, 0.5, 1, 41, 4096, 4097, 16_777_216, 16_777_217, 1_000_000, 1_000_001, 1_000_000_000, 1_000_000_001].concat([
    2 ** 53 - 1,
    2 ** 53,
    -(2 ** 53),
    1e21,
    1.0000001,
    3.0,
  ]),
  true,
  false,
  null,
  [],
  {},
  [1],
  ['dns'],
  { id: 'h' },
  { id: '' },
  { product: 'x', version: 'y' },
  { mounted: true, writable: false },
  { hostname: 'p', resolves: true, reachable: false },
  { endpoint: 'e', reachable: true },
  { running: false },
  { name: 'r' },
  { name: 'a', status: 'b', restarts: 1 },
  // Addresses: zod's IPv4 and IPv6 checks (its IPv6 check is more than a regular expression).
  '10.0.0.1',
  '255.255.255.255',
  '256.1.1.1',
  '01.2.3.4',
  '::1',
  '::',
  'fe80::1',
  '2001:db8::1',
  '2001:db8:0:0:0:0:2:1',
  '1::2::3',
  '::ffff:10.0.0.1',
  'fe80::1%eth0',
  '[::1]',
  'gggg::1',
  '1:2:3:4:5:6:7:8:9',
  // Datetimes with and without offsets, leap days, fractions.
  '2026-11-25T10:00:00Z',
  '2026-11-25T10:00:00.123456789Z',
  '2026-11-25T10:00:00+02:00',
  '2026-11-25T10:00:00+0200',
  '2026-11-25T10:00:00',
  '2026-11-25 10:00:00Z',
  '2024-02-29T00:00:00Z',
  '2026-02-29T00:00:00Z',
  '2026-11-25T24:00:00Z',
  '2026-11-25T10:00Z',
  '2026-11-25',
  'RUNNING',
];

/** A deterministic pseudo-random sequence (mulberry32). */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every object or array inside `value` (itself included). */
function containers(value: unknown, found: (Record<string, unknown> | unknown[])[] = []): (Record<string, unknown> | unknown[])[] {
  if (value && typeof value === 'object') {
    found.push(value as Record<string, unknown>);
    for (const inner of Object.values(value)) containers(inner, found);
  }
  return found;
}

/** One to four random changes: a value replaced by an edge value, a key removed, an unknown key added, an item added. */
function mutate(body: Record<string, unknown>, next: () => number): void {
  const changes = 1 + Math.floor(next() * 4);
  for (let i = 0; i < changes; i++) {
    const all = containers(body);
    const target = all[Math.floor(next() * all.length)]!;
    const keys = Object.keys(target);
    const pick = next();
    const edge = structuredClone(EDGES[Math.floor(next() * EDGES.length)]);
    if (Array.isArray(target)) {
      if (pick < 0.3 && target.length) target.push(structuredClone(target[0]));
      else if (pick < 0.4) target.length = 0;
      else if (keys.length) target[Math.floor(next() * target.length)] = edge;
    } else if (pick < 0.15 && keys.length) delete target[keys[Math.floor(next() * keys.length)]!];
    else if (pick < 0.3) target[`unknown${Math.floor(next() * 3)}`] = edge;
    else if (keys.length) target[keys[Math.floor(next() * keys.length)]!] = edge;
  }
}

describe('compileSchemaCheck: the compiled heartbeat check gives zod’s verdict and output', () => {
  const check = compileSchemaCheck(heartbeatBody);

  const agree = (body: unknown) => {
    const expected = heartbeatBody.safeParse(structuredClone(body));
    const value = structuredClone(body);
    const valid = check(value);
    // The body in the message names the case that disagrees.
    if (valid !== expected.success) expect({ valid, body }).toEqual({ valid: expected.success, body });
    if (expected.success) expect(value).toStrictEqual(expected.data);
  };

  it('a full heartbeat is valid, and its unknown fields are removed as zod removes them', () => {
    const body = {
      ...heartbeat(),
      extra: 1,
      nodes: [{ ...node(1), vendor: { x: 1 }, apps: [{ name: 'a', status: 'b', restarts: 0, pid: 7 }] }],
    };
    const value = structuredClone(body);
    expect(check(value)).toBe(true);
    expect(value).toStrictEqual(heartbeatBody.parse(body));
    expect(value).not.toHaveProperty('extra');
    expect(value.nodes[0]).not.toHaveProperty('vendor');
    expect(value.nodes[0]!.apps[0]).not.toHaveProperty('pid');
  });

  it.each([
    ['a missing bootId', { ...heartbeat(), bootId: undefined }],
    ['no nodes', { ...heartbeat(), nodes: [] }],
    ['65 nodes', { ...heartbeat(), nodes: Array.from({ length: 65 }, (_, i) => node(i)) }],
    ['a sentAt without offset', { ...heartbeat(), sentAt: '2026-11-25T10:00:00' }],
    ['an IPv6 zod refuses', { ...heartbeat(), nodes: [{ ...node(1), ipAddress: '1::2::3' }] }],
    ['a bootId of 201 characters', { ...heartbeat(), bootId: text(201) }],
    // zod counts code points: a surrogate pair is one.
    ['a bootId of 200 surrogate pairs', { ...heartbeat(), bootId: text(200, '😀') }],
    ['a bootId of 201 surrogate pairs', { ...heartbeat(), bootId: text(201, '😀') }],
    ['a bootId of 199 pairs and a lone surrogate', { ...heartbeat(), bootId: text(199, '😀') + '\ud800' }],
    ['a bootId of 200 pairs and a lone surrogate', { ...heartbeat(), bootId: text(200, '😀') + '\udc00' }],
    ['a sequence past the safe integers', { ...heartbeat(), sequence: 2 ** 53 }],
    ['a fractional sequence', { ...heartbeat(), sequence: 1.5 }],
    ['null as an optional field', { ...heartbeat(), configurationVersion: null }],
    ['an array as the body', [heartbeat()]],
    ['a string as the body', 'heartbeat'],
  ])('%s: the same verdict', (_name, body) => agree(JSON.parse(JSON.stringify(body)) as unknown));

  it('5,000 generated bodies near the rules’ edges: the same verdict, and the same output when valid', () => {
    const next = random(14);
    let valid = 0;
    for (let i = 0; i < 5_000; i++) {
      const body = heartbeat() as Record<string, unknown>;
      if (next() < 0.5) body.nodes = [node(1)];
      mutate(body, next);
      agree(body);
      if (heartbeatBody.safeParse(body).success) valid++;
    }
    // Both kinds must be well represented for the comparison to mean something.
    expect(valid).toBeGreaterThan(500);
    expect(valid).toBeLessThan(4_500);
  });

  it('a schema with a refinement, a transform, a default, a strict object or an unmapped format is not compiled', () => {
    expect(() => compileSchemaCheck(z.object({ a: z.string().refine((s) => s !== 'x') }))).toThrow(/refinement/);
    expect(() => compileSchemaCheck(z.object({ a: z.email() }))).toThrow(/format/);
    expect(() => compileSchemaCheck(z.object({ a: z.string().transform((s) => s.length) }))).toThrow(/transform|pipe/);
    expect(() => compileSchemaCheck(z.object({ a: z.string().default('x') }))).toThrow(/default/);
    expect(() => compileSchemaCheck(z.object({ a: z.iso.datetime() }))).toThrow(/variant/);
    expect(() => compileSchemaCheck(z.strictObject({ a: z.string() }))).toThrow(/strict/);
  });
});
