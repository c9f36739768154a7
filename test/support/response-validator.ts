import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import { parse } from 'yaml';

/**
 * Every REST answer an e2e test's service sends is checked against the committed
 * openapi/openapi.yaml: the status must be documented for the operation, the media type too, the
 * body must validate against its schema and documented required headers must be there. A
 * mismatch is recorded here and fails the running test (test/support/setup.ts), so the document
 * cannot drift from the code. Routes the document does not describe (/graphql, /healthz, /metrics,
 * unknown paths) are not checked.
 */
interface MediaType {
  schema?: object;
}
interface Response {
  content?: Record<string, MediaType>;
  headers?: Record<string, { required?: boolean }>;
}
interface Operation {
  operationId: string;
  responses: Record<string, Response>;
}

const OPENAPI_FILE = new URL('../../openapi/openapi.yaml', import.meta.url);
const DOCUMENT_ID = 'https://gcp.invalid/openapi.json';

const document = parse(readFileSync(OPENAPI_FILE, 'utf8')) as { paths: Record<string, Record<string, Operation>> };
// ajv-formats is CommonJS; its module object carries the plugin as `default` too.
const addFormats = addFormatsModule.default;
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
addFormats(ajv);
ajv.addKeyword({ keyword: 'example' });
ajv.addSchema({ ...document, $id: DOCUMENT_ID });

const routes = Object.entries(document.paths).map(([path, item]) => ({
  path,
  pattern: new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`),
  parameters: (path.match(/\{/g) ?? []).length,
  item,
}));

const validators = new Map<string, ValidateFunction>();
function validatorFor(pointer: string): ValidateFunction {
  let validate = validators.get(pointer);
  if (!validate) {
    validate = ajv.compile({ $ref: `${DOCUMENT_ID}#${pointer}` });
    validators.set(pointer, validate);
  }
  return validate;
}
const escape = (segment: string) => segment.replaceAll('~', '~0').replaceAll('/', '~1');

const violations: string[] = [];

/** The mismatches recorded since the last call. */
export function takeViolations(): string[] {
  return violations.splice(0);
}

/** The mismatches of one answer with the document (none when the route is not in it). */
export function checkResponse(method: string, url: string, status: number, headers: Record<string, unknown>, body: string): string[] {
  const path = url.split('?')[0]!;
  const route = routes.filter((r) => r.pattern.test(path)).sort((a, b) => a.parameters - b.parameters)[0];
  const operation = route?.item[method.toLowerCase()];
  if (!route || !operation) return [];
  const where = `${method} ${path} (${operation.operationId}) answered ${status}`;
  const key =
    String(status) in operation.responses
      ? String(status)
      : `${String(status)[0]}XX` in operation.responses
        ? `${String(status)[0]}XX`
        : 'default';
  const response = operation.responses[key];
  if (!response) return [`${where}: the status is not documented (${Object.keys(operation.responses).join(', ')})`];
  const problems: string[] = [];
  for (const [name, header] of Object.entries(response.headers ?? {})) {
    if (header.required && headers[name.toLowerCase()] === undefined) problems.push(`${where}: no ${name} header`);
  }
  const rawContentType = headers['content-type'];
  const contentType = (typeof rawContentType === 'string' ? rawContentType : '').split(';')[0]!.trim();
  const media = response.content ?? {};
  if (Object.keys(media).length === 0) {
    if (body.length > 0) problems.push(`${where}: a body where the document says none`);
    return problems;
  }
  if (!(contentType in media))
    return [...problems, `${where}: content type ${contentType || '(none)'}, documented ${Object.keys(media).join(', ')}`];
  if (!media[contentType]!.schema) return problems;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return [...problems, `${where}: the body is not JSON`];
  }
  const validate = validatorFor(
    `/paths/${escape(route.path)}/${method.toLowerCase()}/responses/${key}/content/${escape(contentType)}/schema`,
  );
  if (!validate(json)) {
    problems.push(`${where}: ${ajv.errorsText(validate.errors, { dataVar: 'body' })}\n  body: ${body.slice(0, 500)}`);
  }
  return problems;
}

/** Checks every answer of this Fastify instance, recording mismatches for the running test. */
export function validateResponses(fastify: FastifyInstance): void {
  fastify.addHook('onSend', async (request, reply, payload) => {
    if (typeof payload === 'string' || payload === null || payload === undefined || Buffer.isBuffer(payload)) {
      const body = payload === null || payload === undefined ? '' : payload.toString();
      violations.push(...checkResponse(request.method, request.url, reply.statusCode, reply.getHeaders(), body));
    }
    return payload;
  });
}
