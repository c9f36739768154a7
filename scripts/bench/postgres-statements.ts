import { readdir, readFile } from 'node:fs/promises';
import type pg from 'pg';

/**
 * Where a benchmark step's Postgres time goes: pg_stat_statements (every statement, those run by
 * triggers too when the server tracks nested ones) and the trigger functions' own times
 * (track_functions), plus the CPU of this server's processes only (the machine may run other
 * Postgres servers, whose CPU the `postgres` column of cpu-usage.ts includes). All optional: without
 * the extension loaded (`GCP_PG_STAT_STATEMENTS=1 bash scripts/stack.sh up` on a fresh start) only
 * the CPU is measured; without superuser rights, nothing.
 */

export interface StatementStat {
  query: string;
  calls: number;
  totalMs: number;
  meanMs: number;
  rows: number;
}

/** What one statement did over a step: calls, time, and the work behind it (pg_stat_statements). */
export interface StatementWork {
  calls: number;
  rows: number;
  /** Execution time inside Postgres; a transaction's commit (its WAL flush) is not in it. */
  totalMs: number;
  sharedBlocksHit: number;
  sharedBlocksRead: number;
  sharedBlocksDirtied: number;
  walBytes: number;
  /** Full-page images: the first change to a page after a checkpoint logs the whole 8 kB page. */
  walFullPageImages: number;
}

export interface FunctionStat {
  name: string;
  calls: number;
  /** Including the statements it ran. */
  totalMs: number;
  selfMs: number;
}

export class PostgresStatements {
  private constructor(
    private readonly database: pg.Pool,
    private readonly postmasterPid: number | null,
    readonly statementsTracked: boolean,
  ) {}

  static async open(database: pg.Pool): Promise<PostgresStatements> {
    const postmasterPid = await database
      .query<{ pid: string }>(`SELECT split_part(pg_read_file('postmaster.pid'), E'\\n', 1) AS pid`)
      .then((result) => Number(result.rows[0].pid) || null)
      .catch(() => null);
    const tracked = await database
      .query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements')
      .then(() => database.query('SELECT 1 FROM pg_stat_statements LIMIT 1'))
      .then(() => true)
      .catch(() => false);
    return new PostgresStatements(database, postmasterPid, tracked);
  }

  /** Zero the statement and function counters before a timed step. */
  async reset(): Promise<void> {
    if (!this.statementsTracked) return;
    await this.database.query('SELECT pg_stat_statements_reset()');
    await this.database.query('SELECT pg_stat_reset()');
  }

  async statements(limit = 30): Promise<StatementStat[]> {
    if (!this.statementsTracked) return [];
    const { rows } = await this.database.query<{ query: string; calls: string; total: number; mean: number; rows: string }>(
      `SELECT regexp_replace(query, '\\s+', ' ', 'g') AS query, calls, total_exec_time AS total, mean_exec_time AS mean, rows
         FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
        ORDER BY total_exec_time DESC LIMIT $1`,
      [limit],
    );
    return rows.map((row) => ({
      query: row.query,
      calls: Number(row.calls),
      totalMs: row.total,
      meanMs: row.mean,
      rows: Number(row.rows),
    }));
  }

  /**
   * The summed work of the statements whose text starts with `prefix` (whitespace runs folded to
   * one space, as in `statements()`); null without the extension.
   */
  async statementWork(prefix: string): Promise<StatementWork | null> {
    if (!this.statementsTracked) return null;
    const { rows } = await this.database.query<Record<keyof StatementWork, string | number | null>>(
      `SELECT coalesce(sum(calls), 0) AS "calls", coalesce(sum(rows), 0) AS "rows", coalesce(sum(total_exec_time), 0) AS "totalMs",
              coalesce(sum(shared_blks_hit), 0) AS "sharedBlocksHit", coalesce(sum(shared_blks_read), 0) AS "sharedBlocksRead",
              coalesce(sum(shared_blks_dirtied), 0) AS "sharedBlocksDirtied", coalesce(sum(wal_bytes), 0) AS "walBytes",
              coalesce(sum(wal_fpi), 0) AS "walFullPageImages"
         FROM pg_stat_statements
        WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND left(regexp_replace(query, '\\s+', ' ', 'g'), length($1)) = $1`,
      [prefix.replace(/\s+/g, ' ')],
    );
    const row = rows[0];
    return {
      calls: Number(row.calls),
      rows: Number(row.rows),
      totalMs: Number(row.totalMs),
      sharedBlocksHit: Number(row.sharedBlocksHit),
      sharedBlocksRead: Number(row.sharedBlocksRead),
      sharedBlocksDirtied: Number(row.sharedBlocksDirtied),
      walBytes: Number(row.walBytes),
      walFullPageImages: Number(row.walFullPageImages),
    };
  }

  async functions(): Promise<FunctionStat[]> {
    if (!this.statementsTracked) return [];
    // Function statistics reach the view when a backend reports them (at the end of a transaction, at most once a second).
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const { rows } = await this.database.query<{ name: string; calls: string; total: number; self: number }>(
      `SELECT funcname AS name, calls, total_time AS total, self_time AS self FROM pg_stat_user_functions ORDER BY total_time DESC`,
    );
    return rows.map((row) => ({ name: row.name, calls: Number(row.calls), totalMs: row.total, selfMs: row.self }));
  }

  /** This server's postmaster and the processes it started, each with its /proc stat fields after the command name. */
  private async serverProcesses(postmasterPid: number): Promise<Map<number, string[]>> {
    const processes = new Map<number, string[]>();
    for (const entry of await readdir('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => null); // null: it ended meanwhile
      if (stat === null) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const pid = Number(entry);
      if (pid === postmasterPid || Number(fields[1]) === postmasterPid) processes.set(pid, fields);
    }
    return processes;
  }

  /** CPU ticks (utime + stime) of this server's postmaster and its children, by pid; null if unknown. */
  async serverTicks(): Promise<Map<number, number> | null> {
    if (this.postmasterPid === null) return null;
    const ticks = new Map<number, number>();
    for (const [pid, fields] of await this.serverProcesses(this.postmasterPid)) ticks.set(pid, Number(fields[11]) + Number(fields[12]));
    return ticks;
  }

  /**
   * Resident memory of this server: its postmaster and the processes it started. Shared buffers are
   * counted once per process that touched them, so this is an upper bound.
   */
  async serverRssMiB(): Promise<number> {
    if (this.postmasterPid === null) throw new Error("the Postgres server's postmaster pid is unknown (pg_read_file needs a superuser)");
    let kib = 0;
    for (const pid of (await this.serverProcesses(this.postmasterPid)).keys()) {
      const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => ''); // '': it ended meanwhile
      kib += Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1] ?? 0);
    }
    return kib / 1024;
  }
}

/** Milliseconds of CPU used between two serverTicks snapshots by the processes alive at the second. */
export function serverCpuMs(from: Map<number, number> | null, to: Map<number, number> | null): number | null {
  if (!from || !to) return null;
  let ticks = 0;
  for (const [pid, value] of to) ticks += value - (from.get(pid) ?? 0);
  return ticks * 10;
}
