import { Body, type PipeTransform } from '@nestjs/common';
import { ApiBody } from '@nestjs/swagger';
import { z } from 'zod';
import { invalidRequest, type FieldError } from '../errors/domain-error.js';
import { compileSchemaCheck } from './compiled-schema.js';
import { fieldErrorSummary } from './validation.js';

/** `['nodes', 1, 'cpuCores']` → `nodes[1].cpuCores`, the field names class-validator's errors use. */
function fieldOf(path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'body';
  return path.reduce<string>(
    (field, key) => (typeof key === 'number' ? `${field}[${key}]` : field ? `${field}.${String(key)}` : String(key)),
    '',
  );
}

/** Validates (and strips unknown fields from) a body with a zod schema, answering 400 with field errors. */
class SchemaValidationPipe<T> implements PipeTransform<unknown, T> {
  private readonly check: ((value: unknown) => value is T) | null;

  constructor(
    private readonly schema: z.ZodType<T>,
    options: SchemaBodyOptions,
  ) {
    this.check = options.compiled ? compileSchemaCheck(schema) : null;
  }

  transform(value: unknown): T {
    // The compiled check gives zod's verdict (stripping unknown fields as zod does); zod still
    // writes every error, so a 400 is the same either way.
    if (this.check?.(value)) return value;
    const parsed = this.schema.safeParse(value);
    if (parsed.success) return parsed.data;
    const fieldErrors: FieldError[] = parsed.error.issues.map((issue) => ({ field: fieldOf(issue.path), message: issue.message }));
    throw invalidRequest(fieldErrorSummary(fieldErrors), fieldErrors);
  }
}

/**
 * A request body checked by a zod schema instead of a class-validator DTO, and described in the
 * OpenAPI document by the same schema. For hot paths: the heartbeat body validates in about a
 * microsecond this way, against about 80 µs (and much garbage) with class-validator and
 * class-transformer. Objects strip unknown fields, as the gateway protocol asks.
 */
export const SchemaBody = <T>(schema: z.ZodType<T>, options: SchemaBodyOptions = {}) => Body(new SchemaValidationPipe(schema, options));

export interface SchemaBodyOptions {
  /**
   * Check valid bodies with a validator compiled from the schema (compiled-schema.ts: about 3 times
   * faster on a 3-node heartbeat, the same verdict and output), for a hot route; only plain schemas compile.
   */
  compiled?: boolean;
}

/** The JSON schemas of the named SchemaBody bodies and the zod schemas they name (`.meta({ id })`), by name. */
export const schemaBodyComponents = new Map<string, object>();

/**
 * The OpenAPI description of a SchemaBody, on the route method: a named component `name` (and one
 * for each inner schema given an id with `.meta({ id })`), so that generators give it that name.
 */
export const ApiSchemaBody = (schema: z.ZodType, name: string) => {
  const json = z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io: 'input',
    unrepresentable: 'any',
    // `format: ipv4` says it; zod's long regular expression beside it only makes the document hard to read.
    override: ({ jsonSchema }) => {
      if (jsonSchema.format) delete jsonSchema.pattern;
    },
  }) as Record<string, unknown> & { definitions?: Record<string, object> };
  // With the openapi-3.0 target zod puts named inner schemas in `definitions`; they are components here.
  const { definitions, ...body } = JSON.parse(JSON.stringify(json).replaceAll('"#/definitions/', '"#/components/schemas/')) as typeof json;
  for (const [id, definition] of Object.entries(definitions ?? {})) schemaBodyComponents.set(id, asOpenApi31(definition));
  schemaBodyComponents.set(name, asOpenApi31(body));
  return ApiBody({ schema: { $ref: `#/components/schemas/${name}` } });
};

/**
 * zod's openapi-3.0 target writes a nullable field as `nullable: true`, which the document (OpenAPI
 * 3.1) does not have: there it is `type: [<type>, "null"]` (or a `null` branch of an `anyOf`).
 */
function asOpenApi31<T>(node: T): T {
  if (Array.isArray(node)) return node.map(asOpenApi31) as T;
  if (!node || typeof node !== 'object') return node;
  const { nullable, ...rest } = node as Record<string, unknown>;
  const out = Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, asOpenApi31(value)]));
  if (nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else if (Array.isArray(out.anyOf)) out.anyOf = [...(out.anyOf as unknown[]), { type: 'null' }];
    else return { anyOf: [out, { type: 'null' }] } as T;
  }
  return out as T;
}
