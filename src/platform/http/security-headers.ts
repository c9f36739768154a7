import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import helmet, { type HelmetOptions } from 'helmet';
import type { AppConfig } from '../../config/app-config.js';

/** Helmet's options for this service. */
export function helmetOptions(config: Pick<AppConfig, 'hstsMaxAgeSeconds'>): HelmetOptions {
  return {
    // The only CSP directive that applies to JSON APIs; a page served later sets its own.
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'self'"], frameAncestors: ["'none'"] } },
    frameguard: { action: 'deny' },
    hsts: config.hstsMaxAgeSeconds > 0 ? { maxAge: config.hstsMaxAgeSeconds, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'no-referrer' },
  };
}

/**
 * The headers helmet sets with these options, computed once by running its middleware against a
 * recorder: they depend on nothing in the request (no CSP nonces, no directive functions).
 */
export function securityHeaders(options: HelmetOptions): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    // Helmet removes X-Powered-By, which Fastify never sets.
    removeHeader: () => undefined,
  };
  // Helmet 8 throws a bad option at once (at start, here); `next` has nothing to report.
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, () => undefined);
  return Object.freeze(headers);
}

/**
 * The usual security headers on every answer (helmet): nosniff, X-Frame-Options DENY and CSP
 * `frame-ancestors 'none'` (nothing may frame us), no referrer, and HSTS when
 * HSTS_MAX_AGE_SECONDS is set (only where the service is reached over TLS). Every API answer is
 * one caller's data, often a token or a secret: `Cache-Control: no-store` unless a route says
 * otherwise, so no shared or browser cache keeps it.
 *
 * Helmet itself, not @fastify/helmet: the plugin builds helmet's middleware again on every request
 * (options checked, the CSP header rendered), 7% of a steady heartbeat's CPU in the profile, for
 * headers that never change. Here they are computed once at start and copied onto each answer; a
 * route may still replace one (the console sets its own CSP).
 */
export function registerSecurityHeaders(app: NestFastifyApplication, config: AppConfig): void {
  const headers = securityHeaders(helmetOptions(config));
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (_request, reply, done) => {
      void reply.headers(headers);
      done();
    })
    .addHook('onSend', (_request, reply, payload, done) => {
      if (!reply.hasHeader('cache-control')) void reply.header('cache-control', 'no-store');
      done(null, payload);
    });
}
