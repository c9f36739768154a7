import { Logger } from '@nestjs/common';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import { CommonErrorCode } from './domain-error.js';
import { toProblem } from './problem-details.js';

const logger = new Logger('GraphQLErrors');

/**
 * GraphQL's face of the same errors: `extensions.code` carries the stable code, `status` the
 * HTTP status REST would have answered, and `errors` the field errors.
 */
export function formatGraphQLError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  // Duck-typed: graphql is loaded both as ES module and as CommonJS, so `instanceof` is unreliable.
  const original = isGraphQLError(error) ? error.originalError : error;
  if (!original || isGraphQLError(original)) {
    // Parse and validation errors of the query itself: the client's mistake.
    const code = formatted.extensions?.code;
    return {
      ...formatted,
      extensions: {
        code: typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR' ? code : CommonErrorCode.INVALID_REQUEST,
        status: 400,
      },
    };
  }
  const { problem, unexpected } = toProblem(original);
  if (unexpected) logger.error({ err: original }, 'unexpected error');
  return {
    message: problem.detail,
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: problem.code, status: problem.status, ...(problem.errors ? { errors: problem.errors } : {}) },
  };
}

function isGraphQLError(error: unknown): error is GraphQLError {
  return typeof error === 'object' && error !== null && 'locations' in error && 'path' in error && 'extensions' in error;
}
