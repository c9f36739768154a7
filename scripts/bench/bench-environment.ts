import { availableParallelism, cpus, totalmem } from 'node:os';
import { Redis } from 'ioredis';
import pg from 'pg';

/** The benchmark's own database and Redis namespace on the servers of DATABASE_URL and REDIS_URL, and what they run on. */

export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** CREATE and DROP DATABASE run on the maintenance database. */
async function onMaintenanceDatabase(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl(serverUrl, 'postgres') });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

export async function recreateDatabase(serverUrl: string, database: string): Promise<void> {
  await dropDatabase(serverUrl, database);
  await onMaintenanceDatabase(serverUrl, `CREATE DATABASE "${database}"`);
}

export async function dropDatabase(serverUrl: string, database: string): Promise<void> {
  await onMaintenanceDatabase(serverUrl, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
}

export async function deleteRedisKeys(redisUrl: string, prefix: string): Promise<number> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
  let deleted = 0;
  try {
    for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 1000 }) as AsyncIterable<string[]>) {
      if (keys.length) deleted += await redis.unlink(...keys);
    }
  } finally {
    redis.disconnect();
  }
  return deleted;
}

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  postgres: string;
  /** Postgres durability settings: the benchmark uses the server's defaults (fsync on). */
  postgresFsync: string;
  postgresSynchronousCommit: string;
  redis: string;
}

export async function describeMachine(database: pg.Pool, redisUrl: string): Promise<Machine> {
  const setting = async (name: string) =>
    (await database.query<{ setting: string }>('SELECT current_setting($1) AS setting', [name])).rows[0].setting;
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
  let redisVersion: string;
  try {
    redisVersion = /^redis_version:(.+)$/m.exec(await redis.info('server'))?.[1]?.trim() ?? 'unknown';
  } finally {
    redis.disconnect();
  }
  return {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    postgres: await setting('server_version'),
    postgresFsync: await setting('fsync'),
    postgresSynchronousCommit: await setting('synchronous_commit'),
    redis: redisVersion,
  };
}

/** A positive number from the environment (a benchmark's size or rate), or the default; anything else stops the benchmark. */
export function positiveFromEnv(name: string, fallback: number, { integer = true } = {}): number {
  const value = Number(process.env[name] ?? fallback);
  if (!(value > 0) || (integer && !Number.isInteger(value)))
    throw new Error(`${name} must be a positive ${integer ? 'integer' : 'number'}`);
  return value;
}
