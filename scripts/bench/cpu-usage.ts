import { readdir, readFile } from 'node:fs/promises';

/**
 * Where the CPU went during a load step, read from /proc: the server under test, Postgres (all
 * its processes, including any other clients of the same server), Redis, the load generator (this
 * process) and the whole machine. Shown per step so a slow step says which part was saturated.
 */

/** USER_HZ, the unit of /proc CPU times: 100 on every Linux architecture Node runs on. */
const TICKS_PER_SECOND = 100;

export interface CpuSnapshot {
  atMs: number;
  targetTicks: number;
  /** Per pid: Postgres backends come and go, so only per-process differences are meaningful. */
  postgresTicks: Map<number, number>;
  redisTicks: Map<number, number>;
  generatorMicros: number;
  machineBusyTicks: number;
}

/** Percent of one core (so 2 cores fully busy is 200). */
export interface CpuPercentages {
  target: number;
  postgres: number;
  redis: number;
  generator: number;
  machine: number;
}

export async function snapshotCpu(targetPid: number): Promise<CpuSnapshot> {
  const byCommand = await ticksByCommand(['postgres', 'redis-server']);
  return {
    atMs: performance.now(),
    targetTicks: (await processTicks(targetPid)) ?? 0,
    postgresTicks: byCommand.get('postgres')!,
    redisTicks: byCommand.get('redis-server')!,
    generatorMicros: totalMicros(process.cpuUsage()),
    machineBusyTicks: await machineBusyTicks(),
  };
}

export function cpuPercentages(from: CpuSnapshot, to: CpuSnapshot): CpuPercentages {
  const seconds = (to.atMs - from.atMs) / 1000;
  const ofTicks = (ticks: number) => (100 * ticks) / TICKS_PER_SECOND / seconds;
  return {
    target: ofTicks(to.targetTicks - from.targetTicks),
    postgres: ofTicks(ticksSince(from.postgresTicks, to.postgresTicks)),
    redis: ofTicks(ticksSince(from.redisTicks, to.redisTicks)),
    generator: (100 * (to.generatorMicros - from.generatorMicros)) / 1e6 / seconds,
    machine: ofTicks(to.machineBusyTicks - from.machineBusyTicks),
  };
}

const totalMicros = (usage: NodeJS.CpuUsage) => usage.user + usage.system;

/** utime + stime of one process, or null when it is gone. */
async function processTicks(pid: number): Promise<number | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name in parentheses may contain spaces: count fields after its closing bracket.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

/** utime + stime of every process running one of `commands`, by command and pid. */
async function ticksByCommand(commands: string[]): Promise<Map<string, Map<number, number>>> {
  const ticks = new Map(commands.map((command) => [command, new Map<number, number>()]));
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const command = await readFile(`/proc/${entry}/comm`, 'utf8').then(
      (text) => text.trim(),
      () => null,
    );
    const ofCommand = command === null ? undefined : ticks.get(command);
    if (ofCommand === undefined) continue;
    const pidTicks = await processTicks(Number(entry));
    if (pidTicks !== null) ofCommand.set(Number(entry), pidTicks);
  }
  return ticks;
}

/** What the processes alive at `to` used since `from` (all of it for processes started since); those that exited are lost. */
function ticksSince(from: Map<number, number>, to: Map<number, number>): number {
  let total = 0;
  for (const [pid, ticks] of to) total += ticks - (from.get(pid) ?? 0);
  return total;
}

/** All CPUs' time in user, nice, system, irq, softirq and steal (everything but idle and iowait). */
async function machineBusyTicks(): Promise<number> {
  const firstLine = (await readFile('/proc/stat', 'utf8')).split('\n', 1)[0];
  const [user, nice, system, , , irq, softirq, steal] = firstLine.split(/\s+/).slice(1).map(Number);
  return user + nice + system + irq + softirq + (steal ?? 0);
}
