import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module } from '@nestjs/common';
import { GraphQLModule as NestGraphQLModule } from '@nestjs/graphql';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import type { FastifyRequest } from 'fastify';
import { PRINCIPAL_VERIFIER, type PrincipalVerifier, type UserPrincipal } from '../auth/principal.js';
import { graphqlErrorFormatter } from '../errors/graphql-error-formatter.js';
import { graphqlInputHygieneRule } from './input-hygiene.rule.js';
import { httpSubscriptionsRefused, introspectionAccessPlugin } from './introspection-access.js';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';

/** Limits that keep one query from costing the service more than a page of REST calls. */
const armor = new ApolloArmor({
  maxDepth: { n: 8 },
  // graphql-armor's cost grows 1.5× per level of depth: the console's fleet overview (profiles, their
  // active gateway with nodes, apps, assessment and last commands; test/graphql-relations.e2e-spec.ts)
  // costs about 51,000. Relation fields are batched, so cost tracks response size, not statements.
  costLimit: { maxCost: 100_000 },
  maxAliases: { n: 20 },
  maxDirectives: { n: 20 },
  // Its own parser answers 500 for syntax errors; the body limit already bounds a query's size.
  maxTokens: { enabled: false },
  blockFieldSuggestion: { enabled: true },
}).protect();

interface WsConnectionContext {
  connectionParams?: Record<string, unknown>;
  extra: { user?: UserPrincipal };
}

/**
 * GraphQL at /graphql (Apollo on Fastify), code-first, with subscriptions over graphql-ws. The
 * WebSocket handshake carries the bearer token in `connectionParams.authorization`.
 */
@Module({
  imports: [
    NestGraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: ApolloDriver,
      inject: [PRINCIPAL_VERIFIER, APP_CONFIG],
      useFactory: (verifier: PrincipalVerifier, config: AppConfig) => ({
        // In memory at run time; scripts/generate-api-specs.ts writes schema.gql for review.
        autoSchemaFile: true,
        sortSchema: true,
        playground: false,
        introspection: config.graphqlIntrospection !== 'off',
        // graphql-armor is typed against Apollo's CommonJS build; the objects are the same at run time.
        plugins: [
          // Apollo's cache-control plugin (on by default) wraps every field's resolver to collect
          // @cacheControl hints, which this schema has none of: a fifth of a list page's GraphQL CPU.
          // Answers keep `Cache-Control: no-store` (security-headers.ts).
          ApolloServerPluginCacheControlDisabled(),
          ...armor.plugins,
          introspectionAccessPlugin(config.graphqlIntrospection, verifier),
          httpSubscriptionsRefused,
        ] as unknown as ApolloDriverConfig['plugins'],
        validationRules: [...armor.validationRules, graphqlInputHygieneRule],
        allowBatchedHttpRequests: false,
        includeStacktraceInErrorResponses: false,
        formatError: graphqlErrorFormatter({ retryAfterSeconds: config.outageRetryAfterSeconds }),
        // HTTP: Fastify's (request, reply). WebSocket: graphql-ws's connection context.
        context: (requestOrConnection: FastifyRequest | WsConnectionContext) =>
          'extra' in requestOrConnection ? { user: requestOrConnection.extra.user } : { req: requestOrConnection },
        subscriptions: {
          'graphql-ws': {
            path: '/graphql',
            onConnect: async (ctx: { connectionParams?: Record<string, unknown>; extra: unknown }) => {
              const context = ctx as WsConnectionContext;
              const header = context.connectionParams?.authorization ?? context.connectionParams?.Authorization;
              const token = typeof header === 'string' ? header.replace(/^Bearer\s+/i, '') : '';
              try {
                context.extra.user = await verifier.verifyBearer(token);
                return true;
              } catch {
                return false; // graphql-ws closes the socket with 4403 Forbidden
              }
            },
          },
        },
      }),
    }),
  ],
})
export class GraphQLModule {}
