import { initGraphQLTada } from 'gql.tada';
import type { introspection } from '../graphql-env.d.ts';

/**
 * gql.tada: each document's result and variables are typed from schema.gql at compile time
 * (src/graphql-env.d.ts, written by `npm run types:write --workspace console`). A changed schema
 * shows up as type errors in the documents that use what changed.
 */
export const graphql = initGraphQLTada<{
  introspection: introspection;
  // Fragments only share field lists here; their fields are read directly.
  disableMasking: true;
  scalars: { DateTime: string; JSONObject: Record<string, unknown> };
}>();

export type { FragmentOf, ResultOf, VariablesOf } from 'gql.tada';
export { readFragment } from 'gql.tada';
