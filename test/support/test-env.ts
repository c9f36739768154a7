/** Settings every test app starts with; a test overrides what it exercises. */
export const TEST_ENV: Record<string, string> = {
  ROLE: 'all',
  PORT: '0',
  HOST: '127.0.0.1',
  DATABASE_URL: process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? '',
  // `npm run test:cluster` sets REDIS_CLUSTER_NODES (scripts/redis-cluster.sh): then Redis Cluster.
  ...(process.env.REDIS_CLUSTER_NODES
    ? { REDIS_CLUSTER_NODES: process.env.REDIS_CLUSTER_NODES }
    : { REDIS_URL: process.env.REDIS_URL ?? '' }),
  DATABASE_POOL_SIZE: '10',
  JWT_SECRET: 'test-jwt-secret-that-is-at-least-32-characters',
  BOOTSTRAP_CLIENT_ID: 'test-partner-admin',
  BOOTSTRAP_CLIENT_SECRET: 'test-partner-admin-secret',
  BOOTSTRAP_TENANT_NAME: 'Test Partner',
  LOG_LEVEL: 'silent',
  SHUTDOWN_GRACE_SECONDS: '1',
  SHUTDOWN_DRAIN_SECONDS: '0',
  METRICS_TOKEN: 'test-metrics-token-0123456789',
  // Webhook receivers in tests listen on 127.0.0.1; retries are quick (docs/webhooks.md).
  WEBHOOK_ALLOWED_PRIVATE_TARGETS: 'loopback',
  WEBHOOK_RETRY_BASE_MS: '100',
  WEBHOOK_RETRY_MAX_DELAY_SECONDS: '1',
  WEBHOOK_TIMEOUT_MS: '2000',
  // Rate limits out of the way of the suite (the fuzz suite alone sends thousands of requests with
  // one client); test/rate-limits.e2e-spec.ts sets small ones.
  RATE_LIMIT_BURST: '1000000',
  RATE_LIMIT_PER_SECOND: '100000',
};
