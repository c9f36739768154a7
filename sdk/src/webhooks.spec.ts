import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { GcpError } from './errors.js';
import { verifyWebhook } from './webhooks.js';

describe('verifyWebhook (Standard Webhooks)', () => {
  const secret = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;
  const body = JSON.stringify({ type: 'command.ended', timestamp: new Date().toISOString(), data: { id: 'c1', state: 'SUCCEEDED' } });
  const signed = (payload: string, at = new Date(), id = 'msg_1') => ({
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(id, at, payload),
  });

  it('returns the event of a delivery signed with the secret, from Node headers or a Headers object', () => {
    expect(verifyWebhook(secret, body, signed(body))).toMatchObject({ type: 'command.ended', data: { id: 'c1', state: 'SUCCEEDED' } });
    const headers = new Headers(signed(body));
    expect(verifyWebhook(secret, Buffer.from(body), headers).type).toBe('command.ended');
  });

  it('refuses a changed body, another secret, a missing signature and an old timestamp with WEBHOOK_SIGNATURE_INVALID', () => {
    const refused = (run: () => unknown) => {
      const error = (() => {
        try {
          run();
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(GcpError);
      expect(error).toMatchObject({ code: 'WEBHOOK_SIGNATURE_INVALID' });
    };
    refused(() => verifyWebhook(secret, body.replace('SUCCEEDED', 'FAILED'), signed(body)));
    refused(() => verifyWebhook(`whsec_${Buffer.from('another secret of 32 bytes......').toString('base64')}`, body, signed(body)));
    refused(() => verifyWebhook(secret, body, { ...signed(body), 'webhook-signature': undefined }));
    refused(() => verifyWebhook(secret, body, signed(body, new Date(Date.now() - 10 * 60_000))));
  });
});
