import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { codesOf, errorOf, type DomainError, type ErrorCodes, type FieldError } from '../errors/domain-error.js';
import { toProblem } from '../errors/problem-details.js';

/**
 * One check for every request body and query string, on every face (REST, gateway protocol,
 * GraphQL variables, the unauthenticated token endpoints), before any validation runs:
 *
 * - nesting deeper than MAX_BODY_DEPTH is 400 BODY_TOO_DEEP (class-transformer and class-validator
 *   recurse over the whole body, and a 5,000-deep array overflowed their stack);
 * - a NUL character or an unpaired UTF-16 surrogate in any string or key is 400
 *   INVALID_CHARACTERS naming the field (Postgres text cannot hold NUL, and jsonb refuses
 *   unpaired surrogates: both reached the database and answered 500).
 *
 * GraphQL literals inside the query text are checked by `graphqlInputHygieneRule`.
 */
export const MAX_BODY_DEPTH = 32;

/** Input hygiene's codes and their one status each (see ErrorCodes). */
export const INPUT_ERRORS = {
  BODY_TOO_DEEP: 400,
  INVALID_CHARACTERS: 400,
} as const satisfies ErrorCodes;

export const InputErrorCode = codesOf(INPUT_ERRORS);

export const INVALID_CHARACTERS_MESSAGE = 'must not contain NUL characters or unpaired UTF-16 surrogates';

/**
 * True when the string can be stored as text and as jsonb: no NUL and no unpaired surrogate
 * (`isWellFormed`, native since Node 20, checks a megabyte in well under a millisecond).
 */
export function isStorableText(value: string): boolean {
  return !value.includes('\u0000') && (value as string & { isWellFormed(): boolean }).isWellFormed();
}

const fieldName = (parent: string, key: string | number) =>
  typeof key === 'number' ? `${parent}[${key}]` : parent ? `${parent}.${key}` : key;

/**
 * Whether `inspectInput` would find nothing: the same walk (no recursion, the same depth rule), but
 * without naming fields, so a clean body (nearly every one) allocates nothing per value. Naming
 * every field of a heartbeat body on the way was a few per cent of its CPU; a body with a problem
 * is walked again by `inspectInput` for the error.
 */
export function isCleanInput(value: unknown, maxDepth = MAX_BODY_DEPTH): boolean {
  if (typeof value === 'string') return isStorableText(value);
  if (value === null || typeof value !== 'object') return true;
  const values: object[] = [value];
  const depths: number[] = [0];
  while (values.length) {
    const current = values.pop()!;
    const depth = depths.pop()!;
    if (depth >= maxDepth) return false;
    if (Array.isArray(current)) {
      for (const child of current as unknown[]) {
        if (typeof child === 'string') {
          if (!isStorableText(child)) return false;
        } else if (child !== null && typeof child === 'object') {
          values.push(child);
          depths.push(depth + 1);
        }
      }
    } else {
      for (const key of Object.keys(current)) {
        if (!isStorableText(key)) return false;
        const child = (current as Record<string, unknown>)[key];
        if (typeof child === 'string') {
          if (!isStorableText(child)) return false;
        } else if (child !== null && typeof child === 'object') {
          values.push(child);
          depths.push(depth + 1);
        }
      }
    }
  }
  return true;
}

/**
 * Walks a parsed JSON value without recursion (a hostile document cannot overflow the stack
 * here). Returns the first problem found, or null.
 */
export function inspectInput(value: unknown, root: string, maxDepth = MAX_BODY_DEPTH): DomainError | null {
  const stack: { value: unknown; field: string; depth: number }[] = [{ value, field: root, depth: 0 }];
  const badFields: FieldError[] = [];
  while (stack.length) {
    const { value: current, field, depth } = stack.pop()!;
    if (typeof current === 'string') {
      if (!isStorableText(current)) badFields.push({ field: field || 'body', message: INVALID_CHARACTERS_MESSAGE });
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (depth >= maxDepth) {
      return errorOf(INPUT_ERRORS, 'BODY_TOO_DEEP', `the request nests objects and arrays deeper than ${maxDepth} levels`, [
        { field: field || 'body', message: `nested deeper than ${maxDepth} levels` },
      ]);
    }
    if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push({ value: current[i], field: fieldName(field, i), depth: depth + 1 });
    } else {
      for (const [key, child] of Object.entries(current)) {
        const childField = fieldName(field, key);
        if (!isStorableText(key)) badFields.push({ field: childField, message: `the key ${INVALID_CHARACTERS_MESSAGE}` });
        stack.push({ value: child, field: childField, depth: depth + 1 });
      }
    }
  }
  if (!badFields.length) return null;
  return errorOf(
    INPUT_ERRORS,
    'INVALID_CHARACTERS',
    `${badFields
      .slice(0, 3)
      .map((e) => e.field)
      .join(', ')} ${INVALID_CHARACTERS_MESSAGE}`,
    badFields.slice(0, 20),
  );
}

const isGraphQL = (request: FastifyRequest) => request.url === '/graphql' || request.url.startsWith('/graphql?');

/** GraphQL clients read `{ errors }`, not problem+json: the same error in GraphQL's shape. */
function sendGraphQLError(reply: FastifyReply, error: DomainError): void {
  const { problem } = toProblem(error);
  void reply
    .status(problem.status)
    .header('content-type', 'application/json; charset=utf-8')
    .send({
      errors: [
        {
          message: problem.detail,
          extensions: { code: problem.code, status: problem.status, ...(problem.errors ? { errors: problem.errors } : {}) },
        },
      ],
    });
}

export function registerInputHygiene(fastify: FastifyInstance): void {
  fastify.addHook('preValidation', (request, reply, done) => {
    if (isCleanInput(request.query) && isCleanInput(request.body)) return done();
    const problem = inspectInput(request.query, '') ?? inspectInput(request.body, '');
    if (!problem) return done();
    if (isGraphQL(request)) {
      sendGraphQLError(reply, problem);
      return;
    }
    done(problem);
  });
}
