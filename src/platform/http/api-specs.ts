import type { INestApplication } from '@nestjs/common';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { stringify } from 'yaml';
import { GATEWAY_BEARER, USER_BEARER } from './management-api.decorator.js';

/** The OpenAPI 3.1 document of the REST faces (management API and gateway protocol), as YAML. */
export function openApiYaml(app: INestApplication): string {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('Gateway Control Plane')
    .setDescription(
      'Management REST API v1 (`/api/v1`) for partners\' scripts, and gateway protocol v1 (`/gateway/v1`) for gateway managers. ' +
        'Errors are application/problem+json with a stable `code`. Lists are cursor-paginated: `?limit=&cursor=` answers `{ items, nextCursor }`.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'from POST /api/v1/oauth/token' }, USER_BEARER)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'from POST /gateway/v1/register or /gateway/v1/token' }, GATEWAY_BEARER)
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}`,
  });
  return stringify(document, { sortMapEntries: false, lineWidth: 0, aliasDuplicateObjects: false });
}

/** The GraphQL schema in SDL, sorted so that a diff shows only real changes. */
export function graphqlSdl(app: INestApplication): string {
  return `${printSchema(lexicographicSortSchema(app.get(GraphQLSchemaHost).schema))}\n`;
}
