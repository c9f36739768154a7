import { readFileSync, mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Ports for servers that tests and benchmarks start as processes of their own (the service,
 * Postgres, Redis, HAProxy, a naive comparison server), and often restart on the same port. They
 * come from below the kernel's ephemeral range: a port in that range can be taken, between our
 * check and the server's listen or across a restart, as the local end of any outgoing connection
 * on the machine, and the server then fails with EADDRINUSE.
 * Each port is claimed with a file, so two processes (the suite's workers, a benchmark beside them)
 * never pick the same one.
 */
const CLAIMS = join(tmpdir(), 'gateway-control-plane-ports');
const claimedHere: number[] = [];

/** The first port of the kernel's ephemeral range (Linux's default is 32768). */
function ephemeralFloor(): number {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
  } catch {
    return 32_768;
  }
}

/**
 * GCP_TEST_PORT_RANGE, or 10000-11999: below the ephemeral range, and below the ports
 * scripts/redis-cluster.sh derives for its nodes (12000-20999, buses 22000-30999).
 */
function testPortRange(): [number, number] {
  if (process.env.GCP_TEST_PORT_RANGE) {
    const [from, to] = process.env.GCP_TEST_PORT_RANGE.split('-').map(Number);
    if (!Number.isInteger(from) || !Number.isInteger(to) || from! > to!)
      throw new Error(`GCP_TEST_PORT_RANGE must be like 10000-11999, not ${process.env.GCP_TEST_PORT_RANGE}`);
    return [from!, to!];
  }
  if (ephemeralFloor() <= 11_999)
    throw new Error(`this machine's ephemeral ports start at ${ephemeralFloor()}: set GCP_TEST_PORT_RANGE to a block of ports below them`);
  return [10_000, 11_999];
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Claims the port for this process unless a living process holds it. */
function claim(port: number): boolean {
  const file = join(CLAIMS, String(port));
  try {
    writeFileSync(file, String(process.pid), { flag: 'wx' });
  } catch {
    let owner: number;
    try {
      owner = Number(readFileSync(file, 'utf8'));
    } catch {
      return false; // released or replaced while we looked: leave it to the next scan
    }
    if (!owner || owner === process.pid || alive(owner)) return false;
    // A claim left by a process that died: take it over (a rare race with another taker is settled by the listen check).
    writeFileSync(file, String(process.pid));
  }
  if (claimedHere.length === 0) process.once('exit', releaseClaims);
  claimedHere.push(port);
  return true;
}

function releaseClaims(): void {
  for (const port of claimedHere.splice(0)) {
    try {
      unlinkSync(join(CLAIMS, String(port)));
    } catch {
      // already gone
    }
  }
}

function listenable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port nobody listens on, claimed for the rest of this process (keep it across restarts). */
export async function claimPort(): Promise<number> {
  const [from, to] = testPortRange();
  mkdirSync(CLAIMS, { recursive: true });
  const size = to - from + 1;
  // Each worker process starts its scan elsewhere in the range, so claims rarely meet.
  const start = (process.pid * 97) % size;
  for (let i = 0; i < size; i++) {
    const port = from + ((start + i) % size);
    if (claimedHere.includes(port) || !claim(port)) continue;
    if (await listenable(port)) return port;
  }
  throw new Error(`no free port in ${from}-${to} (GCP_TEST_PORT_RANGE)`);
}
