import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, OperationTypeNode, visit, type DocumentNode } from 'graphql';
import type { FastifyRequest } from 'fastify';
import type { AppConfig } from '../../config/app-config.js';
import type { PrincipalVerifier } from '../auth/principal.js';

const asksForSchema = (document: DocumentNode): boolean => {
  let found = false;
  visit(document, {
    Field(node) {
      if (node.name.value === '__schema' || node.name.value === '__type') found = true;
    },
  });
  return found;
};

// `http.status` sets the HTTP status of the answer (Apollo answers 500 for errors thrown by plugins otherwise).
const refused = (message: string, code: string, status: number) =>
  new GraphQLError(message, { extensions: { code, status, http: { status } } });

/**
 * GRAPHQL_INTROSPECTION: `public` answers anyone, `authenticated` (the production default) only a
 * caller with a valid management token, `off` nobody. Checked once the operation is parsed, before
 * it executes; `__typename` is not introspection and is always allowed.
 */
export function introspectionAccessPlugin(
  mode: AppConfig['graphqlIntrospection'],
  verifier: PrincipalVerifier,
): ApolloServerPlugin<{ req?: FastifyRequest }> {
  return {
    async requestDidStart() {
      if (mode === 'public') return;
      return {
        async didResolveOperation({ document, contextValue }) {
          if (!asksForSchema(document)) return;
          if (mode === 'off') throw refused('introspection is disabled', 'FORBIDDEN', 403);
          const header = contextValue.req?.headers.authorization;
          const token = typeof header === 'string' ? header.replace(/^Bearer\s+/i, '') : '';
          try {
            await verifier.verifyBearer(token);
          } catch {
            throw refused('introspection needs an authenticated caller', 'UNAUTHENTICATED', 401);
          }
        },
      };
    },
  };
}

/**
 * Subscriptions run over graphql-ws only. Sent as an HTTP POST, Apollo would execute the
 * subscription's resolver as if it were a query, without an event: a 400 instead.
 */
export const httpSubscriptionsRefused: ApolloServerPlugin<{ req?: FastifyRequest }> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation, contextValue }) {
        if (operation?.operation === OperationTypeNode.SUBSCRIPTION && contextValue.req) {
          throw refused('subscriptions use graphql-ws on /graphql, not HTTP', 'INVALID_REQUEST', 400);
        }
      },
    };
  },
};
