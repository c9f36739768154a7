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
  postgresTicks: number;
  redisTicks: number;
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
    postgresTicks: byCommand.get('postgres') ?? 0,
    redisTicks: byCommand.get('redis-server') ?? 0,
    generatorMicros: totalMicros(process.cpuUsage()),
    machineBusyTicks: await machineBusyTicks(),
  };
}

export function cpuPercentages(from: CpuSnapshot, to: CpuSnapshot): CpuPercentages {
  const seconds = (to.atMs - from.atMs) / 1000;
  const ofTicks = (ticks: number) => (100 * ticks) / TICKS_PER_SECOND / seconds;
  return {
    target: ofTicks(to.targetTicks - from.targetTicks),
    postgres: ofTicks(to.postgresTicks - from.postgresTicks),
    redis: ofTicks(to.redisTicks - from.redisTicks),
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

async function ticksByCommand(commands: string[]): Promise<Map<string, number>> {
  const totals = new Map<string, number>();
  const pids = (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry));
  for (const pid of pids) {
    const command = await readFile(`/proc/${pid}/comm`, 'utf8').then((text) => text.trim(), () => null);
    if (command === null || !commands.includes(command)) continue;
    const ticks = await processTicks(Number(pid));
    if (ticks !== null) totals.set(command, (totals.get(command) ?? 0) + ticks);
  }
  return totals;
}

/** All CPUs' time in user, nice, system, irq, softirq and steal (everything but idle and iowait). */
async function machineBusyTicks(): Promise<number> {
  const firstLine = (await readFile('/proc/stat', 'utf8')).split('\n', 1)[0]!;
  const [user, nice, system, , , irq, softirq, steal] = firstLine.split(/\s+/).slice(1).map(Number);
  return user! + nice! + system! + irq! + softirq! + (steal ?? 0);
}
