import { createRequire } from 'node:module';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// SWC instead of esbuild: esbuild cannot emit decorator metadata, which NestJS, TypeORM
// and class-validator read at run time.
const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // Node loads graphql as CommonJS (its package has no `exports` map); Vite would pick its .mjs
    // build for our files, and two graphql instances cannot share one schema.
    // The agent and sdk workspaces are tested from their source (their builds, */dist, are what users run).
    alias: {
      graphql: require.resolve('graphql'),
      '@gateway-control-plane/agent': new URL('./agent/src/index.ts', import.meta.url).pathname,
      '@gateway-control-plane/sdk': new URL('./sdk/src/index.ts', import.meta.url).pathname,
    },
  },
  plugins: [
    swc.vite({
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
        target: 'es2023',
      },
    }),
  ],
  test: {
    include: ['src/**/*.spec.ts', 'agent/src/**/*.spec.ts', 'sdk/src/**/*.spec.ts', 'test/**/*.e2e-spec.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Fails a test whose service answered something openapi/openapi.yaml does not describe.
    setupFiles: ['test/support/setup.ts'],
    // Each e2e file boots a whole service; two at a time suits a 2-core machine.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
