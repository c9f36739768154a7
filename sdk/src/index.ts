export {
  GcpClient,
  type GcpClientOptions,
  type CachedToken,
  type TokenCache,
  type RetryPolicy,
  type RetryInfo,
  type ListPath,
  type ItemOf,
  type PageParams,
} from './client.js';
export { GcpError, retryAfterSeconds, type FieldError } from './errors.js';
export { verifyWebhook, type WebhookEvent } from './webhooks.js';
export type { paths, components, operations } from './generated/openapi.js';
export { IDEMPOTENT_POSTS } from './generated/operations.js';

import type { components } from './generated/openapi.js';
/** The API's objects by name: `Schemas['Gateway']`. */
export type Schemas = components['schemas'];
