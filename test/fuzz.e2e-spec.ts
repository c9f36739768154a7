import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import {
  buildSchema,
  getNamedType,
  GraphQLEnumType,
  GraphQLInputObjectType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLScalarType,
  isLeafType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
} from 'graphql';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthySession } from './support/fleet.js';
import { Api } from './support/api.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** The token endpoint's error codes (RFC 6749 §5.2). */
const OAUTH_ERRORS = new Set([
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
]);

/**
 * A fuzz suite generated from the API documents as they are at run time (openapi/openapi.yaml and
 * schema.gql): every REST and protocol operation and every GraphQL field, as every role and
 * anonymously, with hostile values. Seeded (FUZZ_SEED) and so reproducible; FUZZ_SAMPLES sets the
 * requests per operation and role. Asserts: no 5xx, and every error is problem+json (or a GraphQL
 * error) with a code listed in docs/errors.md.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_130);
const SAMPLES = Number(process.env.FUZZ_SAMPLES ?? 12);
const CONCURRENCY = 12;
const MIN_REQUESTS = 5_000;

const documentedCodes = (): Set<string> => {
  const text = readFileSync('docs/errors.md', 'utf8');
  return new Set([...text.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]!));
};

// ---------------------------------------------------------------- hostile values
const MEGABYTE = 'x'.repeat(1_000_000);
const deep = (levels: number): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = i % 2 ? [value] : { a: value };
  return value;
};
const hostileString = fc.oneof(
  {
    weight: 60,
    arbitrary: fc.constantFrom(
      'nul\u0000here',
      '\u0000',
      'lone\ud800high',
      'lone\udfffLow',
      '\u202etxt.exe', // right-to-left override
      'zero\u200bwidth\u200d\ufeff',
      '\u0085\u2028\u2029',
      '💥'.repeat(50),
      "'; DROP TABLE tenants; --",
      '../../etc/passwd',
      '%00%ff',
      '',
      ' ',
      'x'.repeat(10_001),
    ),
  },
  // A megabyte: rarer, or most bodies would be several (each answered 413, and slowly).
  { weight: 1, arbitrary: fc.constant(MEGABYTE) },
);
const hostileNumber = fc.constantFrom(0, -1, 1, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER, 1e308, -1e308, 0.5, -0);
const wrongType = fc.constantFrom<unknown>(null, true, false, [], {}, '12', 12, [null], { $gt: '' }, deep(40), deep(1_000));
const hostile = fc.oneof(hostileString, hostileNumber, wrongType);

// ---------------------------------------------------------------- values from JSON schemas (OpenAPI)
type Schema = Record<string, unknown>;
let components: Record<string, Schema> = {};
const resolve = (schema: Schema | undefined): Schema => {
  let current = schema ?? {};
  for (let i = 0; i < 10 && typeof current.$ref === 'string'; i++) current = components[(current.$ref as string).split('/').pop()!] ?? {};
  if (Array.isArray(current.allOf)) return Object.assign({}, ...(current.allOf as Schema[]).map(resolve), { ...current, allOf: undefined });
  const alternatives = (current.oneOf ?? current.anyOf) as Schema[] | undefined;
  if (alternatives?.length) return resolve(alternatives.find((s) => s.type !== 'null') ?? alternatives[0]);
  return current;
};

function plausible(input: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolve(input);
  if (Array.isArray(schema.enum) && schema.enum.length) return fc.constantFrom(...(schema.enum as unknown[]));
  const type = Array.isArray(schema.type) ? (schema.type as string[]).find((t) => t !== 'null') : (schema.type as string | undefined);
  const min = typeof schema.minimum === 'number' ? schema.minimum : -1000;
  const max = typeof schema.maximum === 'number' ? schema.maximum : 1000;
  switch (type) {
    case 'string':
      if (schema.format === 'uuid') return fc.uuid();
      if (schema.format === 'date-time') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
      if (schema.format === 'ipv4') return fc.ipV4();
      return fc.string({ maxLength: typeof schema.maxLength === 'number' ? Math.min(schema.maxLength, 40) : 40 });
    case 'integer':
      return fc.constantFrom(min, max, min - 1, max + 1, Math.round((min + max) / 2));
    case 'number':
      return fc.double({ min, max, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return depth > 4 ? fc.constant([]) : fc.array(field(schema.items as Schema, depth + 1), { maxLength: 4 });
    case 'object':
    default: {
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      if (depth > 4 || !Object.keys(properties).length)
        return fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string({ maxLength: 8 }), fc.integer()), { maxKeys: 3 });
      return objectOf(properties, depth);
    }
  }
}

/** A field's value: usually plausible, often hostile, sometimes left out. */
const field = (schema: Schema | undefined, depth: number) =>
  fc.oneof({ weight: 3, arbitrary: plausible(schema, depth) }, { weight: 2, arbitrary: hostile });

function objectOf(properties: Record<string, Schema>, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const entries = Object.entries(properties).map(([name, schema]) =>
    fc.tuple(fc.constant(name), fc.option(field(schema, depth + 1), { freq: 5, nil: undefined })),
  );
  return fc
    .tuple(
      fc.tuple(...entries),
      fc.option(fc.tuple(fc.constantFrom('unknownField', '__proto__', 'constructor', 'tenantId'), hostile), { freq: 4, nil: undefined }),
    )
    .map(([pairs, extra]) => {
      const value: Record<string, unknown> = {};
      for (const [name, v] of pairs) if (v !== undefined) value[name] = v;
      if (extra) value[extra[0]] = extra[1];
      return value;
    });
}

// ---------------------------------------------------------------- values from GraphQL input types
function graphqlValue(type: GraphQLInputType, depth = 0): fc.Arbitrary<unknown> {
  if (type instanceof GraphQLNonNull) return graphqlValue(type.ofType as GraphQLInputType, depth);
  if (type instanceof GraphQLList)
    return depth > 4 ? fc.constant([]) : fc.array(gqlField(type.ofType as GraphQLInputType, depth + 1), { maxLength: 3 });
  if (type instanceof GraphQLEnumType) return fc.constantFrom(...type.getValues().map((v) => v.name));
  if (type instanceof GraphQLInputObjectType) {
    const fields = Object.values(type.getFields());
    if (depth > 4) return fc.constant({});
    return fc.tuple(...fields.map((f) => fc.option(gqlField(f.type, depth + 1), { freq: 5, nil: undefined }))).map((values) => {
      const value: Record<string, unknown> = {};
      fields.forEach((f, i) => values[i] !== undefined && (value[f.name] = values[i]));
      return value;
    });
  }
  const scalar = type as GraphQLScalarType;
  switch (scalar.name) {
    case 'Int':
      return fc.constantFrom(0, 1, 50, 100, 101, -1, 2 ** 31 - 1);
    case 'Float':
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case 'Boolean':
      return fc.boolean();
    case 'ID':
      return fc.oneof(fc.uuid(), fc.constantFrom(...Object.values(knownIds)));
    case 'DateTime':
      return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
    case 'String':
      return fc.string({ maxLength: 30 });
    default:
      return fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 });
  }
}
const gqlField = (type: GraphQLInputType, depth: number) =>
  fc.oneof({ weight: 3, arbitrary: graphqlValue(type, depth) }, { weight: 2, arbitrary: hostile });

/** Percent-encoding that also carries unpaired surrogates (as WTF-8 bytes: invalid UTF-8 on the wire). */
const encodeSegment = (value: string): string => {
  try {
    return encodeURIComponent(value);
  } catch {
    return [...value]
      .map((ch) => {
        const unit = ch.charCodeAt(0);
        if (ch.length === 1 && unit >= 0xd800 && unit <= 0xdfff) {
          return [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)]
            .map((b) => `%${b.toString(16).toUpperCase()}`)
            .join('');
        }
        return encodeURIComponent(ch);
      })
      .join('');
  }
};

// ---------------------------------------------------------------- the run
const knownIds: Record<string, string> = {};

interface Probe {
  op: string;
  label: string;
  send: () => Promise<{ status: number; contentType: string; body: string; graphql: boolean }>;
  longPoll?: boolean;
}

describe('fuzz: generated from openapi/openapi.yaml and schema.gql', () => {
  let t: TestApp;
  const tokens: Record<string, string | null> = { anonymous: null };
  const serverErrors: string[] = [];

  beforeAll(async () => {
    t = await startTestApp({
      env: { REGISTER_FAILURE_LIMIT: '100000', BODY_LIMIT_BYTES: String(2 * 1024 * 1024), LOG_LEVEL: 'error' },
      logLines: serverErrors,
    });
    const api = new Api(t);
    const partner = await api.partner();
    tokens.partnerAdmin = partner.token;
    const tenantId = await api.createClientTenant(partner.token, 'Fuzz client', { gatewayClustering: true });
    tokens.admin = await api.clientToken(partner.token, tenantId, ['admin']);
    tokens.operator = await api.clientToken(partner.token, tenantId, ['operator']);
    tokens.viewer = await api.clientToken(partner.token, tenantId, ['viewer']);
    const { profileId, token, tokenId } = await api.profileWithToken(tokens.admin, tenantId, 'fuzz-profile');
    const gw = healthySession(t.url, 'CLASSIC');
    expect((await gw.register(token)).status).toBe(201);
    expect((await gw.heartbeat()).status).toBe(200);
    tokens.gateway = gw.accessToken;
    const command = await api.post(tokens.admin, `/api/v1/tenants/${tenantId}/gateways/${gw.gatewayId}/commands`, { type: 'PING' });
    const clients = await api.get(tokens.admin, `/api/v1/tenants/${tenantId}/api-clients`);
    Object.assign(knownIds, {
      tenantId,
      partnerId: partner.tenantId,
      profileId,
      tokenId,
      gatewayId: gw.gatewayId!,
      commandId: command.body.id,
      clientId: clients.body.items?.[0]?.id ?? randomUUID(),
      nodeId: randomUUID(),
    });
  });
  afterAll(() => t?.close());

  it(`at least ${MIN_REQUESTS} requests over every operation, as every role: no 5xx, every error a documented code`, async () => {
    const codes = documentedCodes();
    const roles = Object.keys(tokens);
    const openapi = parseYaml(readFileSync('openapi/openapi.yaml', 'utf8')) as {
      paths: Record<string, Record<string, Schema>>;
      components?: { schemas?: Record<string, Schema> };
    };
    components = openapi.components?.schemas ?? {};
    const schema = buildSchema(readFileSync('schema.gql', 'utf8'));

    const rest = Object.entries(openapi.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
        .map(([method, operation]) => ({ path, method: method.toUpperCase(), operation })),
    );
    const graphqlFields = (['Query', 'Mutation', 'Subscription'] as const).flatMap((root) => {
      const type = schema.getType(root) as GraphQLObjectType | undefined;
      return type ? Object.values(type.getFields()).map((f) => ({ root, field: f })) : [];
    });
    expect(rest.length).toBeGreaterThan(10);
    expect(graphqlFields.length).toBeGreaterThan(10);

    const probes: Probe[] = [];
    let sample = 0;
    const draw = <T>(arbitrary: fc.Arbitrary<T>): T[] => fc.sample(arbitrary, { seed: SEED + sample++, numRuns: SAMPLES });

    for (const { path, method, operation } of rest) {
      const parameters = ((operation.parameters ?? []) as Schema[]).map(resolve);
      const bodySchema = ((operation.requestBody as Schema | undefined)?.content as Record<string, Schema> | undefined)?.[
        'application/json'
      ]?.schema as Schema | undefined;
      const pathArb = fc.tuple(
        ...parameters
          .filter((p) => p.in === 'path')
          .map((p) =>
            fc.tuple(
              fc.constant(p.name as string),
              fc.oneof(
                { weight: 4, arbitrary: fc.constant(knownIds[p.name as string] ?? randomUUID()) },
                { weight: 1, arbitrary: fc.uuid() },
                { weight: 1, arbitrary: hostileString.filter((s) => s.length < 1000) },
              ),
            ),
          ),
      );
      const queryArb = fc.tuple(
        ...parameters
          .filter((p) => p.in === 'query')
          .map((p) =>
            fc.tuple(
              fc.constant(p.name as string),
              fc.option(fc.oneof(plausible(p.schema as Schema), hostile), { freq: 2, nil: undefined }),
            ),
          ),
      );
      const bodyArb = bodySchema
        ? fc.oneof({ weight: 5, arbitrary: plausible(bodySchema) }, { weight: 1, arbitrary: hostile })
        : fc.constant(undefined);
      for (const role of roles) {
        for (const [pathValues, queryValues, body] of draw(fc.tuple(pathArb, queryArb, bodyArb))) {
          let url = path;
          for (const [name, value] of pathValues) url = url.replace(`{${name}}`, encodeSegment(String(value)));
          const query = new URLSearchParams();
          for (const [name, value] of queryValues) {
            if (value === undefined) continue;
            query.set(name, typeof value === 'string' ? value : JSON.stringify(value));
          }
          // A valid long-poll wait (or the default one) would only make the suite slow.
          const wait = query.get('waitSeconds');
          if (query.has('waitSeconds') || path.endsWith('/gateway/v1/commands')) {
            if (wait === null || (/^\s*\d+(\.\d+)?\s*$/.test(wait) && Number(wait) <= 60)) query.set('waitSeconds', '0');
          }
          let search: string;
          try {
            search = query.size ? `?${query.toString().slice(0, 4000)}` : '';
          } catch {
            search = `?${[...query]
              .map(([k, v]) => `${k}=${encodeSegment(v)}`)
              .join('&')
              .slice(0, 4000)}`;
          }
          const target = `${t.url}${url}${search}`;
          const token = tokens[role];
          probes.push({
            op: `${method} ${path}`,
            label: `${role} ${method} ${target.slice(t.url.length, t.url.length + 300)} ${JSON.stringify(body)?.slice(0, 200)}`,
            longPoll: path.endsWith('/gateway/v1/commands') && method === 'GET',
            send: async () => {
              const response = await fetch(target, {
                method,
                headers: {
                  ...(token ? { authorization: `Bearer ${token}` } : {}),
                  ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
                },
                body: body !== undefined && method !== 'GET' ? JSON.stringify(body) : undefined,
                signal: AbortSignal.timeout(5_000),
              });
              return {
                status: response.status,
                contentType: response.headers.get('content-type') ?? '',
                body: await response.text(),
                graphql: false,
              };
            },
          });
        }
      }
    }

    for (const { root, field: f } of graphqlFields) {
      const operationKind = root === 'Query' ? 'query' : root === 'Mutation' ? 'mutation' : 'subscription';
      const selection = isLeafType(getNamedType(f.type)) ? '' : ' { __typename }';
      const args = (f as GraphQLField<unknown, unknown>).args;
      const declaration = args.length ? `(${args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ')})` : '';
      const call = args.length ? `(${args.map((a) => `${a.name}: $${a.name}`).join(', ')})` : '';
      const document = `${operationKind} Fuzz${declaration} { ${f.name}${call}${selection} }`;
      const variablesArb = fc.tuple(
        ...args.map((a) => fc.tuple(fc.constant(a.name), fc.option(gqlField(a.type, 0), { freq: 6, nil: undefined }))),
      );
      for (const role of roles) {
        for (const values of draw(variablesArb)) {
          const variables = Object.fromEntries(values.filter(([, v]) => v !== undefined));
          const token = tokens[role];
          probes.push({
            op: `graphql ${f.name}`,
            label: `${role} graphql ${document} ${JSON.stringify(variables).slice(0, 200)}`,
            send: async () => {
              const response = await fetch(`${t.url}/graphql`, {
                method: 'POST',
                headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
                body: JSON.stringify({ query: document, variables }),
                signal: AbortSignal.timeout(10_000),
              });
              return {
                status: response.status,
                contentType: response.headers.get('content-type') ?? '',
                body: await response.text(),
                graphql: true,
              };
            },
          });
        }
      }
    }
    expect(probes.length).toBeGreaterThanOrEqual(MIN_REQUESTS);

    const failures: string[] = [];
    const statuses = new Map<number, number>();
    const durations = new Map<string, number>();
    let next = 0;
    const worker = async () => {
      while (next < probes.length) {
        const probe = probes[next++]!;
        let answer: Awaited<ReturnType<Probe['send']>>;
        const started = Date.now();
        const op = probe.op;
        try {
          answer = await probe.send();
          durations.set(op, (durations.get(op) ?? 0) + Date.now() - started);
        } catch (error) {
          if (probe.longPoll && (error as Error).name === 'TimeoutError') continue;
          failures.push(`${probe.label}: ${(error as Error).message}`);
          continue;
        }
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        if (answer.status >= 500) {
          failures.push(`${probe.label}: ${answer.status} ${answer.body.slice(0, 300)}`);
          continue;
        }
        let parsed: { code?: string; errors?: { extensions?: { code?: string } }[] };
        try {
          parsed = answer.body ? JSON.parse(answer.body) : {};
        } catch {
          if (answer.status >= 400) failures.push(`${probe.label}: ${answer.status} with a body that is not JSON`);
          continue;
        }
        if (answer.graphql) {
          for (const error of parsed.errors ?? []) {
            const code = error.extensions?.code;
            if (!code || !codes.has(code)) failures.push(`${probe.label}: GraphQL error with undocumented code ${code}`);
          }
        } else if (
          answer.status >= 400 &&
          probe.label.includes(' POST /api/v1/oauth/token') &&
          answer.contentType.includes('application/json')
        ) {
          // The OAuth token endpoint answers its errors as RFC 6749 §5.2 says: {error, error_description}.
          const oauthError = (parsed as { error?: string }).error;
          if (!oauthError || !OAUTH_ERRORS.has(oauthError))
            failures.push(`${probe.label}: ${answer.status} with an OAuth error outside RFC 6749: ${oauthError}`);
        } else if (answer.status >= 400) {
          if (!answer.contentType.includes('application/problem+json'))
            failures.push(`${probe.label}: ${answer.status} as ${answer.contentType}`);
          if (!parsed.code || !codes.has(parsed.code))
            failures.push(`${probe.label}: ${answer.status} with undocumented code ${parsed.code}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    failures.sort((a, b) => Number(/: 5\d\d /.test(b)) - Number(/: 5\d\d /.test(a)));
    const timings = [...durations].sort((a, b) => b[1] - a[1]).slice(0, 8);
    if (process.env.FUZZ_TIMINGS) console.log(timings);
    expect(
      [...failures.slice(0, 15), ...serverErrors.slice(0, 3)],
      `seed ${SEED}: ${failures.length} failures of ${probes.length} requests; statuses ${JSON.stringify([...statuses])}`,
    ).toEqual([]);
  }, 600_000);
});
