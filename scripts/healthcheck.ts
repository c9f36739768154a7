import pg from 'pg';
import { Cluster, Redis } from 'ioredis';
import { ConfigError, loadConfig, runsApi } from '../src/config/app-config.js';

/**
 * The container's HEALTHCHECK (Dockerfile): `node dist/scripts/healthcheck.js`, exit 0 when healthy.
 * An API process (ROLE=api or all) answers GET /healthz on its port. A worker process has no HTTP:
 * it is healthy when it can reach what its jobs need, Postgres and Redis, within 3 s.
 */
async function main(): Promise<boolean> {
  const config = loadConfig();
  if (runsApi(config)) {
    const response = await fetch(`http://127.0.0.1:${config.http.port}/healthz`, { signal: AbortSignal.timeout(3_000) });
    return response.ok;
  }
  const database = new pg.Client({ connectionString: config.database.url, connectionTimeoutMillis: 3_000 });
  const redis = config.redis.clusterNodes
    ? new Cluster(config.redis.clusterNodes, { redisOptions: { connectTimeout: 3_000 } })
    : new Redis(config.redis.url!, { connectTimeout: 3_000, maxRetriesPerRequest: 1 });
  try {
    await database.connect();
    await database.query('SELECT 1');
    return (await redis.ping()) === 'PONG';
  } finally {
    await database.end().catch(() => undefined);
    redis.disconnect();
  }
}

main().then(
  (healthy) => process.exit(healthy ? 0 : 1),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : `unhealthy: ${(error as Error).message}`);
    process.exit(1);
  },
);
