import { describe, expect, it } from 'vitest';
import { OAuthError, parseTokenRequest } from './oauth-token-request.js';

const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
const errorOf = (run: () => unknown): [string, number] => {
  try {
    run();
  } catch (error) {
    if (error instanceof OAuthError) return [error.error, error.status];
    throw error;
  }
  throw new Error('no error');
};

describe('token requests (RFC 6749 §2.3.1, §4.4, §5.2)', () => {
  it('client_secret_post: the credentials in the body', () => {
    expect(parseTokenRequest({ grant_type: 'client_credentials', client_id: 'a', client_secret: 'b' }, undefined)).toEqual({
      clientId: 'a',
      clientSecret: 'b',
    });
  });

  it('client_secret_basic: the credentials in the header, form-url-encoded before base64', () => {
    expect(parseTokenRequest({ grant_type: 'client_credentials' }, basic('id:with colon', 's%cret é'))).toEqual({
      clientId: 'id:with colon',
      clientSecret: 's%cret é',
    });
    expect(parseTokenRequest({ grant_type: 'client_credentials', client_id: 'a' }, basic('a', 'b'))).toEqual({
      clientId: 'a',
      clientSecret: 'b',
    });
  });

  it('names each error as §5.2 does', () => {
    expect(errorOf(() => parseTokenRequest({}, undefined))).toEqual(['invalid_request', 400]);
    expect(errorOf(() => parseTokenRequest('grant_type=client_credentials', undefined))).toEqual(['invalid_request', 400]);
    expect(errorOf(() => parseTokenRequest({ grant_type: 'password', client_id: 'a', client_secret: 'b' }, undefined))).toEqual([
      'unsupported_grant_type',
      400,
    ]);
    expect(errorOf(() => parseTokenRequest({ grant_type: ['client_credentials', 'client_credentials'] }, undefined))).toEqual([
      'invalid_request',
      400,
    ]);
    expect(
      errorOf(() => parseTokenRequest({ grant_type: 'client_credentials', client_id: 'a', client_secret: 'b', scope: 'admin' }, undefined)),
    ).toEqual(['invalid_scope', 400]);
    expect(errorOf(() => parseTokenRequest({ grant_type: 'client_credentials', client_id: 'a' }, undefined))).toEqual([
      'invalid_client',
      401,
    ]);
    expect(errorOf(() => parseTokenRequest({ grant_type: 'client_credentials' }, 'Bearer abc'))).toEqual(['invalid_client', 401]);
    expect(errorOf(() => parseTokenRequest({ grant_type: 'client_credentials', client_secret: 'b' }, basic('a', 'b')))).toEqual([
      'invalid_request',
      400,
    ]);
    expect(errorOf(() => parseTokenRequest({ grant_type: 'client_credentials', client_id: 'x' }, basic('a', 'b')))).toEqual([
      'invalid_request',
      400,
    ]);
    expect(
      errorOf(() => parseTokenRequest({ grant_type: 'client_credentials', client_id: 'a', client_secret: 'b'.repeat(501) }, undefined)),
    ).toEqual(['invalid_request', 400]);
  });
});
