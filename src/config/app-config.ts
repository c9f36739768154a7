import { z } from 'zod';

/** Which side of the service this process runs: the HTTP APIs, the queue workers, or both. */
export const ROLES = ['all', 'api', 'worker'] as const;
export type ProcessRole = (typeof ROLES)[number];

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const url = (protocols: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`,
  );

/**
 * The one schema of the service's environment. Every variable is documented in the README;
 * keep the two in step.
 */
const environmentSchema = z
  .object({
    ROLE: z.enum(ROLES).default('all'),
    PORT: integer(0, 65535).default(3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    /** How many reverse proxies in front of us to trust for X-Forwarded-For (0: none, use the socket address). */
    TRUST_PROXY_HOPS: integer(0, 10).default(0),
    DATABASE_URL: url(['postgres:', 'postgresql:']),
    DATABASE_POOL_SIZE: integer(1, 500).default(20),
    /** One Redis primary; or REDIS_CLUSTER_NODES for Redis Cluster (exactly one of the two). */
    REDIS_URL: url(['redis:', 'rediss:']).optional(),
    /** Redis Cluster seed nodes, `host:port,host:port,…`; the client discovers the rest. */
    REDIS_CLUSTER_NODES: z
      .string()
      .regex(/^[A-Za-z0-9.-]+:\d{1,5}(,[A-Za-z0-9.-]+:\d{1,5})*$/, 'must be host:port,host:port,…')
      .optional(),
    /** Namespaces every Redis key and queue, so several deployments (or test files) can share one Redis. */
    REDIS_KEY_PREFIX: z
      .string()
      .regex(/^[a-zA-Z0-9:_-]{1,40}$/, 'letters, digits, : _ - only, at most 40')
      .default('gcp'),
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters'),
    /** Keys the HMAC of activation tokens and secrets; falls back to JWT_SECRET. */
    SECRET_HASH_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
    ACCESS_TOKEN_TTL_SECONDS: integer(60, 86_400).default(3600),
    /** How long a process keeps the API client and tenant rows a management request reads (0: off); see tenants/access-cache.ts. */
    ACCESS_CACHE_MS: integer(0, 10_000).default(1000),
    HEARTBEAT_INTERVAL_SECONDS: integer(1, 3600).default(30),
    HEARTBEAT_MISSED_LIMIT: integer(1, 100).default(3),
    /** A delivered command not acknowledged within this is handed out again (protocol 5). */
    COMMAND_ACK_TIMEOUT_SECONDS: integer(1, 3600).default(60),
    /**
     * How long a worker's hold on a job lasts without renewal (BullMQ lockDuration; renewed every
     * half): a job whose worker died (kill -9) runs again on another worker within about twice this.
     */
    JOB_LOCK_SECONDS: integer(1, 600).default(30),
    REGISTER_FAILURE_LIMIT: integer(1, 100_000).default(20),
    REGISTER_FAILURE_WINDOW_SECONDS: integer(1, 86_400).default(600),
    BOOTSTRAP_CLIENT_ID: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{3,100}$/, '3 to 100 of A-Z a-z 0-9 _ . -')
      .optional(),
    BOOTSTRAP_CLIENT_SECRET: z.string().min(16, 'must be at least 16 characters').max(200).optional(),
    BOOTSTRAP_TENANT_NAME: z.string().min(1).max(200).default('Bootstrap partner'),
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
    /** Level of successful heartbeats, long polls, probes and scrapes: the bulk of the traffic. */
    LOG_QUIET_REQUESTS_LEVEL: z.enum(LOG_LEVELS).default('debug'),
    /** Share of those written when their level is on (0.01: one in a hundred). */
    LOG_QUIET_REQUESTS_SAMPLE: z.coerce.number().min(0).max(1).default(1),
    /** Serve /metrics on this port of its own (plain HTTP, no token): for Prometheus inside the network. */
    METRICS_PORT: integer(0, 65535).optional(),
    /** Or serve /metrics on the public port to this bearer token only. With neither, /metrics is off. */
    METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').max(200).optional(),
    /** OTLP/HTTP endpoint of a trace collector (…/v1/traces); tracing is off without it. */
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: url(['http:', 'https:']).optional(),
    /** Share of new traces recorded (a trace started by a caller that sampled it is always kept). */
    OTEL_TRACES_SAMPLE: z.coerce.number().min(0).max(1).default(1),
    /** How far V8 lets the old generation grow past its live size before a full collection (0: V8's own). */
    HEAP_GROWING_PERCENT: integer(0, 400).default(30),
    /** Bounded start-up: how long to retry Postgres and Redis (with back-off) before giving up. */
    STARTUP_CONNECT_TIMEOUT_SECONDS: integer(0, 3600).default(60),
    BODY_LIMIT_BYTES: integer(1024, 64 * 1024 * 1024).default(1024 * 1024),
    /** Browser origins allowed to call the APIs (CORS), comma-separated; empty: none. */
    CORS_ORIGINS: z
      .string()
      .default('')
      .transform((value) =>
        value
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean),
      )
      .pipe(
        z
          .array(
            z
              .string()
              .regex(/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/, 'a comma-separated list of origins such as https://console.example.com'),
          )
          .max(50),
      ),
    /** GraphiQL at GET /graphql for a browser; default on unless NODE_ENV is production. */
    GRAPHIQL: z.enum(['true', 'false']).optional(),
    SHUTDOWN_GRACE_SECONDS: integer(0, 600).default(25),
    /** After SIGTERM, /readyz answers 503 for this long with the port still open, then the server closes. */
    SHUTDOWN_DRAIN_SECONDS: integer(0, 600).default(5),
    /** Retry-After of the 503 answered while Postgres or Redis is unreachable. */
    OUTAGE_RETRY_AFTER_SECONDS: integer(1, 3600).default(5),
    /** Who may run GraphQL introspection: `public`, `authenticated` (default when NODE_ENV=production) or `off`. */
    GRAPHQL_INTROSPECTION: z.enum(['public', 'authenticated', 'off']).optional(),
    NODE_ENV: z.string().optional(),
    /** Strict-Transport-Security max-age (0: no HSTS header; set it where the service is reached over TLS). */
    HSTS_MAX_AGE_SECONDS: integer(0, 63_072_000).default(0),
    /** Endpoints (host:port) every gateway node must reach: the registries its applications are pulled from, and the service. */
    EGRESS_ENDPOINTS: z
      .string()
      .default('registry-1.docker.io:443,quay.io:443')
      .transform((value) =>
        value
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.string().regex(/^[A-Za-z0-9.-]+(:\d{1,5})?$/, 'a comma-separated list of host or host:port')).max(32)),
    /** How often a running validation looks at its gateway again. */
    VALIDATION_TICK_MS: integer(100, 60_000).default(2_000),
    /** A node-failure drill fails when the lost node's apps are not back within this (a run may ask for another). */
    DRILL_RECOVERY_DEADLINE_SECONDS: integer(5, 86_400).default(600),
    /** …and when the chosen node does not go down within this. */
    DRILL_NODE_LOSS_DEADLINE_SECONDS: integer(5, 86_400).default(3_600),
    /** Data lifecycle (docs/operations.md): how long each kind of data is kept, in days. */
    RETENTION_COMMANDS_DAYS: integer(1, 36_500).default(90),
    RETENTION_AUDIT_DAYS: integer(1, 36_500).default(400),
    /** The longest audit retention a partner may set for itself or its clients. */
    RETENTION_AUDIT_MAX_DAYS: integer(1, 36_500).default(2_557),
    RETENTION_DEREGISTERED_GATEWAYS_DAYS: integer(1, 36_500).default(90),
    RETENTION_ACTIVATION_TOKENS_DAYS: integer(1, 36_500).default(30),
    RETENTION_MIGRATIONS_DAYS: integer(1, 36_500).default(400),
    /** Rows per retention batch (one short transaction each) and the pause between batches. */
    RETENTION_BATCH_SIZE: integer(1, 10_000).default(500),
    RETENTION_BATCH_PAUSE_MS: integer(0, 60_000).default(50),
    /** Webhooks (docs/webhooks.md): which non-public targets may be called (`none`, `loopback`, or `private` for every one). */
    WEBHOOK_ALLOWED_PRIVATE_TARGETS: z.enum(['none', 'loopback', 'private']).default('none'),
    /** A failing delivery is retried (exponential back-off with jitter) for this long, then its endpoint is disabled. */
    WEBHOOK_RETRY_PERIOD_SECONDS: integer(1, 7 * 86_400).default(86_400),
    /** The first retry's delay; each next one doubles, up to WEBHOOK_RETRY_MAX_DELAY_SECONDS. */
    WEBHOOK_RETRY_BASE_MS: integer(10, 3_600_000).default(5_000),
    WEBHOOK_RETRY_MAX_DELAY_SECONDS: integer(1, 86_400).default(3_600),
    /** How long one delivery may take (connect to last byte) before it counts as failed. */
    WEBHOOK_TIMEOUT_MS: integer(100, 60_000).default(10_000),
    /** Per API client token bucket on /api/v1 and /graphql: this many requests at once, refilled at RATE_LIMIT_PER_SECOND. */
    RATE_LIMIT_BURST: integer(1, 10_000_000).default(300),
    RATE_LIMIT_PER_SECOND: integer(1, 1_000_000).default(20),
    /** Per-tenant quotas when the tenant's partner has set none. */
    QUOTA_PROFILES: integer(0, 10_000_000).default(100_000),
    QUOTA_GATEWAYS: integer(0, 10_000_000).default(100_000),
    QUOTA_API_CLIENTS: integer(0, 100_000).default(100),
    QUOTA_WEBHOOKS: integer(0, 1_000).default(20),
  })
  .superRefine((env, ctx) => {
    if (Boolean(env.REDIS_URL) === Boolean(env.REDIS_CLUSTER_NODES)) {
      ctx.addIssue({
        code: 'custom',
        path: ['REDIS_URL'],
        message: env.REDIS_URL ? 'and REDIS_CLUSTER_NODES cannot both be set' : 'is required (or REDIS_CLUSTER_NODES for Redis Cluster)',
      });
    }
    if (Boolean(env.BOOTSTRAP_CLIENT_ID) !== Boolean(env.BOOTSTRAP_CLIENT_SECRET)) {
      ctx.addIssue({
        code: 'custom',
        path: [env.BOOTSTRAP_CLIENT_ID ? 'BOOTSTRAP_CLIENT_SECRET' : 'BOOTSTRAP_CLIENT_ID'],
        message: 'BOOTSTRAP_CLIENT_ID and BOOTSTRAP_CLIENT_SECRET are set together or not at all',
      });
    }
    if (env.RETENTION_AUDIT_MAX_DAYS < env.RETENTION_AUDIT_DAYS) {
      ctx.addIssue({ code: 'custom', path: ['RETENTION_AUDIT_MAX_DAYS'], message: 'must be at least RETENTION_AUDIT_DAYS' });
    }
  });

export interface AppConfig {
  role: ProcessRole;
  http: { host: string; port: number; bodyLimitBytes: number; trustProxyHops: number; corsOrigins: string[] };
  graphql: { graphiql: boolean };
  database: { url: string; poolSize: number };
  /** `url` for one Redis primary, or `clusterNodes` for Redis Cluster: exactly one is set. */
  redis: { url: string | null; clusterNodes: { host: string; port: number }[] | null; keyPrefix: string };
  auth: { jwtSecret: string; secretHashKey: string; accessTokenTtlSeconds: number; accessCacheMs: number };
  heartbeat: { intervalSeconds: number; missedLimit: number };
  commands: { ackTimeoutSeconds: number };
  jobs: { lockSeconds: number };
  registration: { failureLimit: number; failureWindowSeconds: number };
  bootstrap: { clientId: string; clientSecret: string; tenantName: string } | null;
  logLevel: LogLevel;
  logging: { quietRequestsLevel: LogLevel; quietRequestsSample: number };
  metrics: { port: number | null; token: string | null };
  tracing: { otlpEndpoint: string | null; sampleRatio: number };
  startupConnectTimeoutSeconds: number;
  /** V8's old-generation growth past the live heap, in percent (0: V8's own heuristics). */
  heapGrowingPercent: number;
  shutdownGraceSeconds: number;
  shutdownDrainSeconds: number;
  outageRetryAfterSeconds: number;
  graphqlIntrospection: 'public' | 'authenticated' | 'off';
  hstsMaxAgeSeconds: number;
  cluster: { egressEndpoints: string[] };
  validations: { tickMs: number; recoveryDeadlineSeconds: number; nodeLossDeadlineSeconds: number };
  retention: RetentionConfig;
  webhooks: {
    allowedPrivateTargets: 'none' | 'loopback' | 'private';
    retryPeriodSeconds: number;
    retryBaseMs: number;
    retryMaxDelaySeconds: number;
    timeoutMs: number;
  };
  rateLimit: { burst: number; perSecond: number };
  quotas: TenantQuotas;
}

/** What a tenant may hold at most. */
export interface TenantQuotas {
  profiles: number;
  gateways: number;
  apiClients: number;
  webhooks: number;
}

/** How long each kind of data is kept (days), and how the retention job deletes. */
export interface RetentionConfig {
  commandsDays: number;
  auditDays: number;
  auditMaxDays: number;
  deregisteredGatewaysDays: number;
  activationTokensDays: number;
  migrationsDays: number;
  batchSize: number;
  batchPauseMs: number;
}

export type LogLevel = (typeof LOG_LEVELS)[number];

export class ConfigError extends Error {
  /** Every problem found, one per variable: `NAME what is wrong`. */
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`configuration error: ${problems.join('; ')}`);
    this.problems = problems;
  }
}

/**
 * Reads and validates the environment once. A bad environment throws one ConfigError that lists
 * every bad variable at once (on one line), so an operator fixes them in one go.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) {
    const problems = new Map<string, string>();
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? 'environment');
      const message = issue.code === 'invalid_type' && present[name] === undefined ? 'is required' : issue.message;
      if (!problems.has(name)) problems.set(name, `${name} ${message}`);
    }
    throw new ConfigError([...problems.values()]);
  }
  const e = parsed.data;
  return {
    role: e.ROLE,
    http: {
      host: e.HOST,
      port: e.PORT,
      bodyLimitBytes: e.BODY_LIMIT_BYTES,
      trustProxyHops: e.TRUST_PROXY_HOPS,
      corsOrigins: e.CORS_ORIGINS,
    },
    graphql: { graphiql: e.GRAPHIQL ? e.GRAPHIQL === 'true' : e.NODE_ENV !== 'production' },
    database: { url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE },
    redis: {
      url: e.REDIS_URL ?? null,
      clusterNodes: e.REDIS_CLUSTER_NODES
        ? e.REDIS_CLUSTER_NODES.split(',').map((node) => {
            const [host, port] = node.split(':');
            return { host: host, port: Number(port) };
          })
        : null,
      keyPrefix: e.REDIS_KEY_PREFIX,
    },
    auth: {
      jwtSecret: e.JWT_SECRET,
      secretHashKey: e.SECRET_HASH_KEY ?? e.JWT_SECRET,
      accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
      accessCacheMs: e.ACCESS_CACHE_MS,
    },
    heartbeat: { intervalSeconds: e.HEARTBEAT_INTERVAL_SECONDS, missedLimit: e.HEARTBEAT_MISSED_LIMIT },
    commands: { ackTimeoutSeconds: e.COMMAND_ACK_TIMEOUT_SECONDS },
    jobs: { lockSeconds: e.JOB_LOCK_SECONDS },
    registration: { failureLimit: e.REGISTER_FAILURE_LIMIT, failureWindowSeconds: e.REGISTER_FAILURE_WINDOW_SECONDS },
    bootstrap:
      e.BOOTSTRAP_CLIENT_ID && e.BOOTSTRAP_CLIENT_SECRET
        ? { clientId: e.BOOTSTRAP_CLIENT_ID, clientSecret: e.BOOTSTRAP_CLIENT_SECRET, tenantName: e.BOOTSTRAP_TENANT_NAME }
        : null,
    logLevel: e.LOG_LEVEL,
    logging: { quietRequestsLevel: e.LOG_QUIET_REQUESTS_LEVEL, quietRequestsSample: e.LOG_QUIET_REQUESTS_SAMPLE },
    metrics: { port: e.METRICS_PORT ?? null, token: e.METRICS_TOKEN ?? null },
    tracing: { otlpEndpoint: e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? null, sampleRatio: e.OTEL_TRACES_SAMPLE },
    startupConnectTimeoutSeconds: e.STARTUP_CONNECT_TIMEOUT_SECONDS,
    heapGrowingPercent: e.HEAP_GROWING_PERCENT,
    shutdownGraceSeconds: e.SHUTDOWN_GRACE_SECONDS,
    shutdownDrainSeconds: e.SHUTDOWN_DRAIN_SECONDS,
    outageRetryAfterSeconds: e.OUTAGE_RETRY_AFTER_SECONDS,
    graphqlIntrospection: e.GRAPHQL_INTROSPECTION ?? (e.NODE_ENV === 'production' ? 'authenticated' : 'public'),
    hstsMaxAgeSeconds: e.HSTS_MAX_AGE_SECONDS,
    cluster: { egressEndpoints: e.EGRESS_ENDPOINTS },
    validations: {
      tickMs: e.VALIDATION_TICK_MS,
      recoveryDeadlineSeconds: e.DRILL_RECOVERY_DEADLINE_SECONDS,
      nodeLossDeadlineSeconds: e.DRILL_NODE_LOSS_DEADLINE_SECONDS,
    },
    retention: {
      commandsDays: e.RETENTION_COMMANDS_DAYS,
      auditDays: e.RETENTION_AUDIT_DAYS,
      auditMaxDays: e.RETENTION_AUDIT_MAX_DAYS,
      deregisteredGatewaysDays: e.RETENTION_DEREGISTERED_GATEWAYS_DAYS,
      activationTokensDays: e.RETENTION_ACTIVATION_TOKENS_DAYS,
      migrationsDays: e.RETENTION_MIGRATIONS_DAYS,
      batchSize: e.RETENTION_BATCH_SIZE,
      batchPauseMs: e.RETENTION_BATCH_PAUSE_MS,
    },
    webhooks: {
      allowedPrivateTargets: e.WEBHOOK_ALLOWED_PRIVATE_TARGETS,
      retryPeriodSeconds: e.WEBHOOK_RETRY_PERIOD_SECONDS,
      retryBaseMs: e.WEBHOOK_RETRY_BASE_MS,
      retryMaxDelaySeconds: e.WEBHOOK_RETRY_MAX_DELAY_SECONDS,
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
    },
    rateLimit: { burst: e.RATE_LIMIT_BURST, perSecond: e.RATE_LIMIT_PER_SECOND },
    quotas: { profiles: e.QUOTA_PROFILES, gateways: e.QUOTA_GATEWAYS, apiClients: e.QUOTA_API_CLIENTS, webhooks: e.QUOTA_WEBHOOKS },
  };
}

export const runsApi = (config: AppConfig) => config.role !== 'worker';
export const runsWorkers = (config: AppConfig) => config.role !== 'api';
