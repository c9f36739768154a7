import type { INestApplication } from '@nestjs/common';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { stringify } from 'yaml';
import { schemaBodyComponents } from '../validation/schema-body.js';
import { GATEWAY_BEARER, USER_BEARER } from './management-api.decorator.js';

const TAGS: [name: string, description: string][] = [
  ['auth', 'OAuth 2.0 client credentials (RFC 6749 §4.4): API client id and secret for a bearer token.'],
  ['tenants', 'A partner tenant and its client tenants, their status and feature flags.'],
  ['api-clients', "A tenant's API clients (machine users with roles) and their secrets."],
  ['management-profiles', 'Management profiles (one gateway each, with its configuration) and their activation tokens.'],
  ['gateways', 'Registered gateways: status, nodes, apps, assessment, replacement and de-registration; the fleet summary.'],
  ['commands', "Each gateway's command queue, and bulk commands to many gateways."],
  ['migrations', 'Classic-to-cluster migrations of a profile and their rollbacks.'],
  [
    'validations',
    "The cluster guide's validations as tracked runs: setup validation (discovery and ping monitors on managed resources) and node-failure drill.",
  ],
  ['audit', "A tenant's audit log."],
  ['webhooks', "A tenant's signed webhook endpoints (Standard Webhooks), test pings and delivery log; see docs/webhooks.md."],
  ['gateway protocol v1', 'What a gateway manager calls: register, token, heartbeat, command poll and updates, de-register.'],
];

/** The OpenAPI 3.1 document of the REST faces (management API and gateway protocol). */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('Gateway Control Plane')
    .setDescription(
      "Management REST API v1 (`/api/v1`) for partners' scripts, and gateway protocol v1 (`/gateway/v1`) for gateway managers. " +
        'Errors are application/problem+json with a stable `code` (the token endpoint answers RFC 6749 errors). ' +
        'Lists are cursor-paginated: `?limit=&cursor=` answers `{ items, nextCursor }`. Creates answer 201 with `Location`.',
    )
    .setVersion('1')
    .addServer('{origin}', 'where the service is published', {
      origin: { default: 'http://localhost:3000', description: 'scheme, host and port; `npm run demo` serves http://localhost:3000' },
    })
    .addBasicAuth(
      { type: 'http', scheme: 'basic', description: 'OAuth client_secret_basic: API client id and secret (RFC 6749 §2.3.1)' },
      CLIENT_BASIC,
    )
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'from POST /api/v1/oauth/token' }, USER_BEARER)
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'from POST /gateway/v1/register or /gateway/v1/token' },
      GATEWAY_BEARER,
    );
  for (const [name, description] of TAGS) builder.addTag(name, description);
  const document = SwaggerModule.createDocument(app, builder.build(), {
    operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}`,
  });
  return normalise(document);
}

/** The OpenAPI document as YAML, as committed in openapi/openapi.yaml. */
export function openApiYaml(app: INestApplication): string {
  return stringify(openApiDocument(app), { sortMapEntries: false, lineWidth: 0, aliasDuplicateObjects: false });
}

type Json = Record<string, unknown>;
const CLIENT_BASIC = 'client';
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * What generators need and @nestjs/swagger does not say by itself, applied to the whole document
 * so that a new route cannot forget it:
 * - the zod-described bodies (`ApiSchemaBody`) become named components;
 * - a path parameter without a type is a string (`format: uuid` alone types nothing);
 * - a free-form object (`type: object` with no properties) says `additionalProperties: true`,
 *   or generators make it `Record<string, never>`;
 * - every operation can answer the errors of the platform (413, 415, 429, 500, 503): `default`;
 * - an operation without bearer auth is public, and says so with `security: []`
 *   (the access guard denies by default; test/api-specs.e2e-spec.ts lists the public ones).
 */
function normalise(document: OpenAPIObject): OpenAPIObject {
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ...Object.fromEntries(schemaBodyComponents) },
  };
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!isObject(node)) return;
    const types = Array.isArray(node.type) ? node.type : [node.type];
    if (types.includes('object') && !node.properties && node.additionalProperties === undefined && !node.$ref)
      node.additionalProperties = true;
    Object.values(node).forEach(visit);
  };
  visit(document.components.schemas);
  for (const item of Object.values(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = item[method];
      if (!operation) continue;
      for (const parameter of operation.parameters ?? []) {
        if ('in' in parameter && parameter.in === 'path' && parameter.schema && !('$ref' in parameter.schema) && !parameter.schema.type) {
          parameter.schema = { type: 'string', ...parameter.schema };
        }
      }
      // The token endpoint: a Basic header (client_secret_basic) or nothing (client_secret_post, credentials in the body).
      const extensions = operation as unknown as Json;
      if (extensions['x-client-authentication']) {
        delete extensions['x-client-authentication'];
        operation.security = [{ [CLIENT_BASIC]: [] }, {}];
      }
      operation.security ??= [];
      operation.responses.default ??= {
        description: 'any other error: 413 body too large, 415 unsupported media type, 429 too many requests, 500, 503 with Retry-After',
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
      };
      visit(operation);
    }
  }
  delete document.info.contact;
  Object.assign(document.info, { license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' } });
  return document;
}

/** The GraphQL schema in SDL, sorted so that a diff shows only real changes. */
export function graphqlSdl(app: INestApplication): string {
  return `${printSchema(lexicographicSortSchema(app.get(GraphQLSchemaHost).schema))}\n`;
}
