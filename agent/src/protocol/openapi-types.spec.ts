import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

describe("the agent's protocol types", () => {
  it('are what openapi-typescript makes of openapi/openapi.yaml now (npm run agent:types, or npm run specs:write, rewrites them)', async () => {
    const script = new URL('../../scripts/write-protocol-types.mjs', import.meta.url).pathname;
    const run = await promisify(execFile)(process.execPath, [script, '--check']).then(
      () => 'up to date',
      (error: Error & { stderr?: string }) => error.stderr ?? error.message,
    );
    expect(run).toBe('up to date');
  }, 30_000);
});
