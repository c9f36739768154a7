import { createHash } from 'node:crypto';

/**
 * The CPU time this process needs for one fixed piece of work right now, in ms: the median of
 * five rounds of hashing 64 MiB (native code) and building two million small objects (the kind of
 * work a request's handling does). Why: on this shared VM the same work took up to 1.7× longer
 * from one run to the next (bench:scale, 2026-12-01: the last-seen flush's statement 24 to 47 ms
 * per second for the same rows), so a CPU figure compared between the phases of a run is reported
 * beside this one, taken with the load stopped.
 */
export function machineSpeedMs(): number {
  const block = Buffer.alloc(1 << 20, 7);
  const rounds: number[] = [];
  let sink = 0;
  for (let round = 0; round < 5; round++) {
    const started = process.cpuUsage();
    for (let i = 0; i < 64; i++) sink += createHash('sha256').update(block).digest()[0];
    for (let i = 0; i < 2_000_000; i++) {
      const item = { index: i, label: String(i & 1023) };
      sink += item.label.length;
    }
    const used = process.cpuUsage(started);
    rounds.push((used.user + used.system) / 1000);
  }
  // Keeps the work from being optimized away.
  if (sink < 0) throw new Error('unreachable');
  rounds.sort((a, b) => a - b);
  return rounds[2];
}
