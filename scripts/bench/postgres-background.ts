import type pg from 'pg';

/**
 * Postgres's own background work during a benchmark step, which competes with the service for the
 * machine's two cores and disk: autovacuum workers (sampled once a second, with the tables they
 * were on) and checkpoints (pg_stat_bgwriter before and after). A step right after a bulk seed can
 * meet both: the inserts make the tables due for autovacuum, and their WAL makes checkpoints write
 * out the dirty pages.
 */
export interface BackgroundWork {
  /** Sum over the samples of the autovacuum workers running: roughly worker-seconds. */
  autovacuumWorkerSeconds: number;
  /** What the workers were doing when sampled ("autovacuum: VACUUM public.commands"), once each. */
  autovacuumRuns: string[];
  /**
   * Checkpoints that ended during the steps: the server counts one when it ends, so one still
   * running is not here (its full-page images show in the statements' WAL).
   */
  checkpoints: number;
  buffersWrittenByCheckpoints: number;
  checkpointWriteMs: number;
}

const STATEMENTS = {
  autovacuumWorkers: `SELECT query FROM pg_stat_activity WHERE backend_type = 'autovacuum worker' AND datname = current_database()`,
  // Postgres 17 moved the checkpointer's counters out of pg_stat_bgwriter (Debian 12's stack runs 15;
  // DATABASE_URL may point elsewhere).
  checkpointCounters: `SELECT checkpoints_timed + checkpoints_req AS checkpoints, buffers_checkpoint AS buffers, checkpoint_write_time AS "writeMs"
                         FROM pg_stat_bgwriter`,
  checkpointCountersSince17: `SELECT num_timed + num_requested AS checkpoints, buffers_written AS buffers, write_time AS "writeMs"
                                FROM pg_stat_checkpointer`,
  serverVersion: `SELECT current_setting('server_version_num')::int AS version`,
} as const;

interface CheckpointCounters {
  checkpoints: number;
  buffers: number;
  writeMs: number;
}

async function checkpointCounters(database: pg.Pool, statement: string): Promise<CheckpointCounters> {
  const { rows } = await database.query<Record<keyof CheckpointCounters, string | number>>(statement);
  return { checkpoints: Number(rows[0].checkpoints), buffers: Number(rows[0].buffers), writeMs: Number(rows[0].writeMs) };
}

/** Starts sampling; the returned function stops and reports. */
export async function watchBackgroundWork(database: pg.Pool): Promise<() => Promise<BackgroundWork>> {
  const { rows } = await database.query<{ version: number }>(STATEMENTS.serverVersion);
  const counters = rows[0].version >= 170000 ? STATEMENTS.checkpointCountersSince17 : STATEMENTS.checkpointCounters;
  const before = await checkpointCounters(database, counters);
  let workerSamples = 0;
  const runs = new Set<string>();
  let sampling: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    sampling = database
      .query<{ query: string }>(STATEMENTS.autovacuumWorkers)
      .then(({ rows }) => {
        workerSamples += rows.length;
        for (const row of rows) runs.add(row.query);
      })
      .catch(() => undefined);
  }, 1_000);
  return async () => {
    clearInterval(timer);
    await sampling;
    const after = await checkpointCounters(database, counters);
    return {
      autovacuumWorkerSeconds: workerSamples,
      autovacuumRuns: [...runs],
      checkpoints: after.checkpoints - before.checkpoints,
      buffersWrittenByCheckpoints: after.buffers - before.buffers,
      checkpointWriteMs: after.writeMs - before.writeMs,
    };
  };
}
