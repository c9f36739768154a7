// Writes src/generated/openapi.ts from the service's openapi/openapi.yaml with openapi-typescript,
// and src/generated/operations.ts: the POST operations that honour an Idempotency-Key header (the
// SDK sends one on those, and retries them after a 503 with the same key).
// `--check` exits 1 when a committed file differs from what the document generates.
import { readFile, writeFile } from 'node:fs/promises';
import openapiTS, { astToString } from 'openapi-typescript';
import { parse } from 'yaml';

const here = new URL('..', import.meta.url);
const source = new URL('../openapi/openapi.yaml', here);
const header =
  '// Generated from openapi/openapi.yaml by `npm run sdk:types` (sdk/scripts/write-types.mjs). Do not edit.\n/* eslint-disable */\n';

const document = await readFile(source, 'utf8');
const types = header + astToString(await openapiTS(document, { exportType: true, defaultNonNullable: false }));

const idempotent = [];
for (const [path, item] of Object.entries(parse(document).paths ?? {})) {
  const parameters = item.post?.parameters ?? [];
  if (parameters.some((p) => p.in === 'header' && String(p.name).toLowerCase() === 'idempotency-key')) idempotent.push(path);
}
idempotent.sort();
const operations =
  header +
  '/** Path templates of the POST operations that honour `Idempotency-Key` (same key within 24 h: the first answer). */\n' +
  `export const IDEMPOTENT_POSTS: readonly string[] = ${JSON.stringify(idempotent, null, 2)};\n`;

const files = [
  [new URL('src/generated/openapi.ts', here), types],
  [new URL('src/generated/operations.ts', here), operations],
];
if (process.argv.includes('--check')) {
  let stale = false;
  for (const [target, text] of files) {
    if ((await readFile(target, 'utf8').catch(() => '')) !== text) {
      console.error(
        `sdk/${target.pathname.slice(here.pathname.length)} is out of date with openapi/openapi.yaml: run \`npm run sdk:types\``,
      );
      stale = true;
    }
  }
  process.exit(stale ? 1 : 0);
} else {
  for (const [target, text] of files) await writeFile(target, text);
}
