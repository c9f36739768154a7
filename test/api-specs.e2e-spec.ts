import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphqlSdl, openApiDocument, openApiYaml } from '../src/platform/http/api-specs.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * openapi/openapi.yaml and schema.gql are generated from the code and committed for review.
 * This fails when either differs from what the code generates; `npm run specs:write` updates them.
 */
describe('committed API descriptions', () => {
  let t: TestApp;
  const write = process.env.UPDATE_API_SPECS === '1';

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  for (const [file, generate] of [
    ['openapi/openapi.yaml', openApiYaml],
    ['schema.gql', graphqlSdl],
  ] as const) {
    it(`${file} is what the code generates (run \`npm run specs:write\` after changing the API)`, async () => {
      const generated = generate(t.app);
      if (write) await writeFile(file, generated);
      const committed = await readFile(file, 'utf8').catch(() => '');
      expect(committed).toBe(generated);
    });
  }

  it('only the token endpoint and the gateway register and token calls are public (security: [])', () => {
    const document = openApiDocument(t.app);
    const operations = Object.values(document.paths).flatMap((item) =>
      (['get', 'put', 'post', 'delete', 'patch'] as const).flatMap((method) => (item[method] ? [item[method]] : [])),
    );
    const publicOperations = operations.filter((operation) => operation.security?.length === 0).map((operation) => operation.operationId);
    expect(publicOperations.sort()).toEqual(['GatewayProtocol_register', 'GatewayProtocol_token']);
    const token = operations.find((operation) => operation.operationId === 'OAuth_token');
    expect(token?.security).toEqual([{ client: [] }, {}]);
    for (const operation of operations) {
      expect(operation.description, operation.operationId).toBeTruthy();
      expect(operation.tags?.length, operation.operationId).toBe(1);
    }
  });
});
