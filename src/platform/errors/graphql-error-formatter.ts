import { Logger } from '@nestjs/common';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import { CommonErrorCode } from './domain-error.js';
import { loggableError } from './loggable-error.js';
import { toProblem } from './problem-details.js';

const logger = new Logger('GraphQLErrors');

/**
 * GraphQL's face of the same errors: `extensions.code` carries the stable code, `status` the
 * HTTP status REST would have answered, and `errors` the field errors.
 */
export const graphqlErrorFormatter =
  (options: { retryAfterSeconds?: number } = {}) =>
  (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError =>
    formatGraphQLError(formatted, error, options);

export function formatGraphQLError(
  formatted: GraphQLFormattedError,
  error: unknown,
  options: { retryAfterSeconds?: number } = {},
): GraphQLFormattedError {
  // Duck-typed: graphql is loaded both as ES module and as CommonJS, so `instanceof` is unreliable.
  const original = isGraphQLError(error) ? error.originalError : error;
  if (!original || isGraphQLError(original)) {
    // Parse and validation errors of the query itself: the client's mistake.
    // Our own validation rules' codes (INVALID_CHARACTERS, BODY_TOO_DEEP) survive Apollo's GRAPHQL_VALIDATION_FAILED.
    const ownCode = original && isGraphQLError(original) ? original.extensions?.code : undefined;
    const code = typeof ownCode === 'string' ? ownCode : formatted.extensions?.code;
    const errors = formatted.extensions?.errors;
    return {
      ...formatted,
      extensions: {
        code: typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR' ? code : CommonErrorCode.INVALID_REQUEST,
        status: typeof formatted.extensions?.status === 'number' ? formatted.extensions.status : 400,
        ...(Array.isArray(errors) ? { errors } : {}),
      },
    };
  }
  const { problem, headers, unexpected } = toProblem(original, options);
  if (unexpected) logger.error({ err: loggableError(original) }, 'unexpected error');
  const retryAfter = headers['retry-after'];
  return {
    message: problem.detail,
    locations: formatted.locations,
    path: formatted.path,
    extensions: {
      code: problem.code,
      status: problem.status,
      ...(problem.errors ? { errors: problem.errors } : {}),
      ...(retryAfter ? { retryAfterSeconds: Number(retryAfter) } : {}),
    },
  };
}

function isGraphQLError(error: unknown): error is GraphQLError {
  return typeof error === 'object' && error !== null && 'locations' in error && 'path' in error && 'extensions' in error;
}
