import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphqlSdl, openApiYaml } from '../src/platform/http/api-specs.js';
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
});
