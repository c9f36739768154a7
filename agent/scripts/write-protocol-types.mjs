// Writes src/protocol/openapi.ts from the service's openapi/openapi.yaml with openapi-typescript.
// `--check` exits 1 when the committed file differs from what the document generates.
import { readFile, writeFile } from 'node:fs/promises';
import openapiTS, { astToString } from 'openapi-typescript';

const here = new URL('..', import.meta.url);
const source = new URL('../openapi/openapi.yaml', here);
const target = new URL('src/protocol/openapi.ts', here);

const header = '// Generated from openapi/openapi.yaml by `npm run agent:types` (openapi-typescript). Do not edit.\n';
const ast = await openapiTS(await readFile(source, 'utf8'), { exportType: true });
const text = header + '/* eslint-disable */\n' + astToString(ast);
if (process.argv.includes('--check')) {
  const current = await readFile(target, 'utf8').catch(() => '');
  if (current !== text) {
    console.error('agent/src/protocol/openapi.ts is out of date with openapi/openapi.yaml: run `npm run agent:types`');
    process.exit(1);
  }
} else {
  await writeFile(target, text);
}
