import helmet from '@fastify/helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '../../config/app-config.js';

/**
 * The usual security headers on every answer (@fastify/helmet): nosniff, X-Frame-Options DENY
 * and CSP `frame-ancestors 'none'` (nothing may frame us), no referrer, and HSTS when
 * HSTS_MAX_AGE_SECONDS is set (only where the service is reached over TLS). Every API answer is
 * one caller's data, often a token or a secret: `Cache-Control: no-store` unless a route says
 * otherwise, so no shared or browser cache keeps it.
 */
export async function registerSecurityHeaders(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  await app.register(helmet as never, {
    global: true,
    // The only CSP directive that applies to JSON APIs; a page served later sets its own.
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'self'"], frameAncestors: ["'none'"] } },
    frameguard: { action: 'deny' },
    hsts: config.hstsMaxAgeSeconds > 0 ? { maxAge: config.hstsMaxAgeSeconds, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'no-referrer' },
  });
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onSend', (_request, reply, payload, done) => {
      if (!reply.hasHeader('cache-control')) void reply.header('cache-control', 'no-store');
      done(null, payload);
    });
}
