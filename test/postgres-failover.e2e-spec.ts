import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/app-config.js';
import { dataSourceOptions } from '../src/platform/database/data-source.js';
import { isConnectionFailure, retryIdempotent } from '../src/platform/database/reconnect.js';
import { prepared } from '../src/platform/database/sql.js';
import { ScratchPostgres } from './support/scratch-postgres.js';
import { sleep } from './support/wait.js';
import { TEST_ENV } from './support/test-env.js';

/**
 * The service's connection pool (its own DataSource options) across Postgres restarts, on a
 * private server: stopping the shared test server would break the files running beside this one.
 */
describe('Postgres failover: the pool reconnects, prepared statements survive, only idempotent statements are retried', () => {
  let server: ScratchPostgres;
  let database: DataSource;
  const POOL = 4;
  // Named: Postgres parses and plans it once per connection. It reports whether this session has it prepared.
  const probe = prepared(
    'failover-probe',
    `SELECT $1::int + 1 AS n, pg_backend_pid() AS pid, (SELECT count(*)::int FROM pg_prepared_statements WHERE name = 'failover-probe') AS prepared`,
  );
  const fillPool = () =>
    Promise.all(
      Array.from({ length: POOL }, (_, i) => database.query(probe, [i]) as Promise<{ n: number; pid: number; prepared: number }[]>),
    );

  beforeAll(async () => {
    server = await ScratchPostgres.create();
    database = new DataSource({
      ...dataSourceOptions(loadConfig({ ...TEST_ENV, DATABASE_URL: server.url, DATABASE_POOL_SIZE: String(POOL) })),
      entities: [],
    });
    await database.initialize();
    await database.query('CREATE TABLE probe (id int PRIMARY KEY)');
  }, 120_000);
  afterAll(async () => {
    await database?.destroy().catch(() => undefined);
    server?.destroy();
  });

  it.each(['fast', 'immediate'] as const)(
    'after a %s restart, the next statements run on new connections, which prepare the named statement again',
    async (mode) => {
      const before = await fillPool();
      expect(before.map(([row]) => row.n)).toEqual([1, 2, 3, 4]);
      expect(before.every(([row]) => row.prepared === 1)).toBe(true);

      server.stop(mode);
      server.start();
      // A connection the pool held may learn of the restart only when used: such a statement fails
      // as a connection failure, and the retry gets a new connection.
      const after = await Promise.all(
        Array.from({ length: POOL * 2 }, (_, i) =>
          retryIdempotent(() => database.query(probe, [i]) as Promise<{ n: number; pid: number; prepared: number }[]>),
        ),
      );
      expect(after.map(([row]) => row.n)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(after.every(([row]) => row.prepared === 1)).toBe(true);
      const oldPids = new Set(before.map(([row]) => row.pid));
      expect(after.some(([row]) => oldPids.has(row.pid))).toBe(false);
    },
    120_000,
  );

  it('an idempotent read while Postgres is down waits for it through retries; a write that is not idempotent fails once and is not repeated', async () => {
    await database.query('INSERT INTO probe VALUES (1)');
    server.stop('fast');
    let attempts = 0;
    const reading = retryIdempotent(
      async () => {
        attempts += 1;
        return (await database.query('SELECT count(*)::int AS n FROM probe')) as { n: number }[];
      },
      { attempts: 12, baseDelayMs: 200 },
    );
    const writing = database.query('INSERT INTO probe VALUES (2)').then(
      () => null,
      (error: unknown) => error,
    );
    await sleep(1_000);
    server.start();
    expect(await reading).toEqual([{ n: 1 }]);
    expect(attempts).toBeGreaterThan(1);
    const writeError = await writing;
    expect(writeError).not.toBeNull();
    expect(isConnectionFailure(writeError)).toBe(true);
    // The write was not sent again behind the caller's back.
    expect(await retryIdempotent(() => database.query('SELECT id FROM probe ORDER BY id'))).toEqual([{ id: 1 }]);
  }, 120_000);
});
