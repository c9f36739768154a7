import fastifyStatic from '@fastify/static';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

/**
 * The console's own page policy: scripts, styles, fonts and images from this origin only, API
 * calls and the graphql-ws socket to this origin only, never framed. Styles also allow inline
 * `<style>` elements: Mantine writes its theme's CSS variables into one at run time. Every other
 * answer keeps the API's `default-src 'self'; frame-ancestors 'none'` (security-headers.ts).
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** console/dist beside the service: found from src/ (tests) and from dist/src/ (built, and the Docker image). */
export function consoleDirectory(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'console', 'package.json'))) return join(dir, 'console', 'dist');
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/**
 * The fleet console (console/, built by `npm run build`) at /console: its hashed assets from
 * /console/assets/ (cached for a year), and its page for /console and every path below it (the
 * console routes in the browser). Not built: /console answers 404 and the API runs as before.
 */
export async function registerConsole(fastify: FastifyInstance): Promise<boolean> {
  const root = consoleDirectory();
  const indexFile = root ? join(root, 'index.html') : null;
  if (!root || !indexFile || !existsSync(indexFile)) return false;
  const page = readFileSync(indexFile);
  await fastify.register(fastifyStatic, {
    root: join(root, 'assets'),
    prefix: '/console/assets/',
    index: false,
    wildcard: true,
    cacheControl: true,
    maxAge: '365d',
    immutable: true,
  });
  const sendPage = async (_request: unknown, reply: import('fastify').FastifyReply) =>
    reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('content-security-policy', CONSOLE_CSP)
      .send(page);
  fastify.get('/console', sendPage);
  fastify.get('/console/', sendPage);
  fastify.get('/console/*', sendPage);
  return true;
}
