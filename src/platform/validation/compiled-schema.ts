import { Ajv2020 } from 'ajv/dist/2020.js';
import { z } from 'zod';

/**
 * A zod object schema compiled to an Ajv validator that gives zod's verdict much faster, for a hot
 * body (the heartbeat's: zod took about 6% of a steady heartbeat's CPU). It answers only "valid or
 * not": a valid body has its unknown fields removed in place (zod strips them too) and is used as
 * it is; an invalid one goes to zod, whose issues make the 400 as before, so every error code and
 * message stays zod's. The compiled check must therefore accept exactly what zod accepts
 * (`compiled-schema.spec.ts` holds the two to the same verdict and output on generated bodies):
 *
 * - lengths count code points, as zod does (a surrogate pair is one), patterns are zod's regular
 *   expressions without the `u` flag (`unicodeRegExp: false`);
 * - a string format runs zod's own check of that format (zod's IPv6 check is more than its regular
 *   expression), and a format this file does not know stops the compilation;
 * - only plain schemas compile (objects, strings, numbers, booleans, arrays, optionals, unions): a
 *   transform, default or pipe changes values, a refinement (`.refine`, `.check`) would be lost in
 *   JSON Schema without a word, and a strict or catch-all object does not strip: each stops the
 *   compilation. Objects strip unknown keys, as zod's default ones do; the output keeps the body's key order (zod's follows
 *   the schema), which nothing downstream depends on (the report hash and the stored facts are
 *   canonical, JSON columns are jsonb).
 */
export function compileSchemaCheck<T>(schema: z.ZodType<T>): (value: unknown) => value is T {
  refuseRefinements(schema);
  const json = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'throw' });
  const ajv = new Ajv2020({
    removeAdditional: 'all',
    unicodeRegExp: false,
    strictSchema: false,
    allErrors: false,
    formats: formatsOf(json),
  });
  return ajv.compile(json) as unknown as (value: unknown) => value is T;
}

/** zod's check of each string format the schema uses. */
const ZOD_FORMATS: Record<string, z.ZodType> = {
  ipv4: z.ipv4(),
  ipv6: z.ipv6(),
  'date-time': z.iso.datetime({ offset: true }),
};

function formatsOf(json: unknown): Record<string, (value: string) => boolean> {
  const formats: Record<string, (value: string) => boolean> = {};
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const { format, pattern } = node as { format?: unknown; pattern?: unknown };
    if (typeof format === 'string') {
      const checker = ZOD_FORMATS[format];
      if (!checker) throw new Error(`compileSchemaCheck: no zod check for the string format ${format}`);
      // Another variant of the format (a datetime without offset, say) has another pattern: not this check.
      if (pattern !== (z.toJSONSchema(checker) as { pattern?: string }).pattern)
        throw new Error(`compileSchemaCheck: the ${format} format here is not the variant mapped`);
      formats[format] = (value) => checker.safeParse(value).success;
    }
    Object.values(node).forEach(visit);
  };
  visit(json);
  return formats;
}

/** What the compiled check understands as zod does; anything else (a transform, a default, a pipe) changes or refines values. */
const PLAIN_TYPES = new Set(['object', 'string', 'number', 'boolean', 'array', 'optional', 'union', 'null', 'nullable', 'literal', 'enum']);

/** Refinements and transforms do not survive the translation to JSON Schema: a schema with one is not compiled. */
function refuseRefinements(schema: z.ZodType): void {
  const seen = new Set<unknown>();
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    const def = (node as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
    if (!def) return;
    if (!PLAIN_TYPES.has(def.type as string)) throw new Error(`compileSchemaCheck: a ${String(def.type)} schema is not compiled`);
    if (def.type === 'object' && def.catchall) throw new Error('compileSchemaCheck: a strict or catch-all object is not compiled');
    for (const check of (def.checks as { _zod: { def: { check: string } } }[] | undefined) ?? [])
      if (check._zod.def.check === 'custom') throw new Error('compileSchemaCheck: a schema with a refinement is not compiled');
    for (const [key, value] of Object.entries(def)) {
      if (key === 'checks') continue;
      if (Array.isArray(value)) value.forEach(visit);
      else if (value && typeof value === 'object' && !('_zod' in value)) Object.values(value).forEach(visit);
      else visit(value);
    }
  };
  visit(schema);
}
