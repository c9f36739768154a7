import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Cluster, Redis } from 'ioredis';
import request from 'supertest';
import { loadConfig, type AppConfig } from '../../src/config/app-config.js';
import { createHttpApp } from '../../src/platform/http/create-app.js';
import { createDatabase, databaseUrl, dropDatabase, TEMPLATE_DATABASE } from './databases.js';
import { validateResponses } from './response-validator.js';
import { TEST_ENV } from './test-env.js';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  http: () => ReturnType<typeof request>;
  /** The base URL of the listening server (for WebSocket clients and raw HTTP). */
  url: string;
  databaseName: string;
  /** Stops the app; drops the database unless `keepDatabase` (a second app will reuse it). */
  close(options?: { keepDatabase?: boolean }): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  /** Reuse another test app's database and Redis prefix (two processes of one deployment). */
  shareWith?: TestApp;
  /** Run on this existing database (a restored backup, say) instead of a copy of the template; dropped on close. */
  databaseName?: string;
  /** Collect the service's log lines here (otherwise the app logs nothing). */
  logLines?: string[];
}

/**
 * A real service on a real, private Postgres database (a copy of the migrated template) and a
 * private Redis key prefix: what a test file sees is what it made.
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const suffix = randomBytes(6).toString('hex');
  const databaseName = options.shareWith?.databaseName ?? options.databaseName ?? `gcp_t_${suffix}`;
  if (!options.shareWith && !options.databaseName) await createDatabase(databaseName, TEMPLATE_DATABASE);
  const config = loadConfig({
    ...TEST_ENV,
    DATABASE_URL: databaseUrl(databaseName),
    REDIS_KEY_PREFIX: options.shareWith?.config.redis.keyPrefix ?? `t${suffix}`,
    ...options.env,
  });
  const logStream = options.logLines
    ? new Writable({
        write(chunk: Buffer, _encoding, done) {
          options.logLines!.push(...chunk.toString('utf8').split('\n').filter(Boolean));
          done();
        },
      })
    : undefined;
  const app = await createHttpApp(config, logStream ? { logStream } : { quiet: true });
  validateResponses(app.getHttpAdapter().getInstance());
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  const url = typeof address === 'object' && address ? `http://127.0.0.1:${address.port}` : '';
  return {
    app,
    config,
    url,
    databaseName,
    http: () => request(app.getHttpServer()),
    async close({ keepDatabase = false } = {}) {
      await app.close();
      if (!keepDatabase && !options.shareWith) {
        await dropDatabase(databaseName);
        await clearRedisPrefix(config);
      }
    },
  };
}

export async function clearRedisPrefix(config: AppConfig): Promise<void> {
  const client = config.redis.clusterNodes ? new Cluster(config.redis.clusterNodes) : new Redis(config.redis.url!);
  try {
    // A cluster's keys are spread over its primaries: scan each.
    const nodes = client instanceof Cluster ? await clusterPrimaries(client) : [client];
    for (const node of nodes) {
      let cursor = '0';
      do {
        const [next, keys] = await node.scan(cursor, 'MATCH', `${config.redis.keyPrefix}:*`, 'COUNT', 1000);
        // One by one on a cluster: a multi-key UNLINK must stay within one slot.
        await Promise.all(keys.map((key) => node.unlink(key)));
        cursor = next;
      } while (cursor !== '0');
    }
  } finally {
    client.disconnect();
  }
}

async function clusterPrimaries(cluster: Cluster): Promise<Redis[]> {
  if (cluster.status !== 'ready') await new Promise((resolve, reject) => cluster.once('ready', resolve).once('error', reject));
  return cluster.nodes('master');
}
