// ESLint (flat config) with typescript-eslint's type-aware rules. Formatting is Prettier's job
// (eslint-config-prettier turns off the rules that would fight it); `npm run lint` runs both.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '.data/**',
      'coverage/**',
      'bench-results/**',
      '**/*.generated.ts',
      '**/generated/**',
      'console/src/graphql-env.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Unused parameters named _x are deliberate (interface shapes, NestJS signatures).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // A promise nobody awaits loses its error: this is the rule that finds real bugs.
      '@typescript-eslint/no-floating-promises': 'error',
      // Fastify and NestJS hooks take async callbacks where void is declared; the framework awaits them.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      // Rows from pg and JSON bodies are `any` at the edge; zod and class-validator type them after.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      // An async function without await still returns a promise, which is what its interface asks.
      '@typescript-eslint/require-await': 'off',
      // A redundant `!` or `as` is harmless, and its autofix fights every branch that writes one.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      // Passing on a reason of unknown type (an iterator's throw) is not inventing a non-Error.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      // Views' static `of` factories are passed to map(); they do not use `this`.
      '@typescript-eslint/unbound-method': ['error', { ignoreStatic: true }],
      // NestJS modules are classes with decorators only.
      '@typescript-eslint/no-extraneous-class': 'off',
    },
  },
  {
    // The fleet console runs in the browser.
    files: ['console/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  prettier,
);
