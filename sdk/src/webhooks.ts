import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { GcpError } from './errors.js';

/** The body of every webhook delivery: `data` has the same shape as the REST object it names. */
export interface WebhookEvent<T = Record<string, unknown>> {
  type: string;
  timestamp: string;
  data: T;
}

type HeaderBag = Headers | Record<string, string | string[] | undefined>;

/**
 * Verifies a delivery as Standard Webhooks specifies (`webhook-id`, `webhook-timestamp`,
 * `webhook-signature`, HMAC-SHA256 keyed by the secret's base64 part, timestamps older or newer
 * than five minutes refused) and returns its parsed body. `payload` must be the raw body, exactly
 * as received (not a re-serialised object). Throws GcpError WEBHOOK_SIGNATURE_INVALID.
 */
export function verifyWebhook<T = Record<string, unknown>>(secret: string, payload: string | Buffer, headers: HeaderBag): WebhookEvent<T> {
  const flat: Record<string, string> = {};
  const entries: Iterable<[string, unknown]> = headers instanceof Headers ? headers.entries() : Object.entries(headers);
  for (const [name, value] of entries) {
    if (value === undefined) continue;
    flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : (value as string);
  }
  try {
    return new Webhook(secret).verify(payload, flat) as WebhookEvent<T>;
  } catch (error) {
    const detail = error instanceof WebhookVerificationError ? error.message : String(error);
    throw new GcpError(400, 'WEBHOOK_SIGNATURE_INVALID', detail, { cause: error });
  }
}
