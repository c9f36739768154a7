import { codesOf, errorOf, type ErrorCodes } from '../platform/errors/domain-error.js';

/** The webhooks part's codes and their one status each (see ErrorCodes). */
export const WEBHOOK_ERRORS = {
  WEBHOOK_NOT_FOUND: 404,
  WEBHOOK_TARGET_REFUSED: 400,
} as const satisfies ErrorCodes;

export const WebhookErrorCode = codesOf(WEBHOOK_ERRORS);

export const WebhookErrors = {
  notFound: () => errorOf(WEBHOOK_ERRORS, 'WEBHOOK_NOT_FOUND', 'webhook not found'),
  targetRefused: (why: string) =>
    errorOf(WEBHOOK_ERRORS, 'WEBHOOK_TARGET_REFUSED', `the webhook URL is refused: ${why}`, [{ field: 'url', message: `url ${why}` }]),
};
