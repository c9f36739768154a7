import { GraphQLJSONObject } from 'graphql-scalars';

/** Free-form JSON objects (configuration settings, command parameters and results, audit before/after). */
export const JSONObject = GraphQLJSONObject;
