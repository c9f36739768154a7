import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { rm } from 'node:fs/promises';
import { claimPort } from '../../scripts/lib/ports.js';

const run = promisify(execFile);

/**
 * A Postgres and a Redis of a test's own, started by scripts/stack.sh (the same script that
 * provisions the suite's shared servers) in a data folder and on ports of their own, so a test
 * can stop and start them without disturbing the other test files, which share the suite's servers.
 */
export class PrivateStack {
  private constructor(
    readonly name: string,
    readonly pgPort: number,
    readonly redisPort: number,
    readonly databaseUrl: string,
    readonly redisUrl: string,
  ) {}

  private static env(name: string, pgPort: number, redisPort: number): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      GCP_STACK_DATA: `${process.cwd()}/.data/${name}`,
      GCP_PG_PORT: String(pgPort),
      GCP_REDIS_PORT: String(redisPort),
    };
    delete env.DATABASE_URL;
    delete env.REDIS_URL;
    return env;
  }

  static async start(prefix: string): Promise<PrivateStack> {
    // A data folder of this run's own: one left by a killed run is never mistaken for ours.
    const name = `${prefix}-${process.pid}-${Date.now().toString(36)}`;
    const pgPort = await claimPort();
    const redisPort = await claimPort();
    const { stdout } = await run('bash', ['scripts/stack.sh', 'up'], { env: PrivateStack.env(name, pgPort, redisPort) });
    const database = /DATABASE_URL='([^']+)'/.exec(stdout)?.[1];
    const redis = /REDIS_URL='([^']+)'/.exec(stdout)?.[1];
    if (!database || !redis) throw new Error(`scripts/stack.sh up printed no URLs: ${stdout}`);
    // TCP rather than the Unix socket: a stopped server then refuses connections at once.
    const tcp = new URL(database);
    tcp.search = '';
    return new PrivateStack(name, pgPort, redisPort, tcp.toString(), redis);
  }

  private async stack(...args: string[]): Promise<void> {
    await run('bash', ['scripts/stack.sh', ...args], { env: PrivateStack.env(this.name, this.pgPort, this.redisPort) });
  }

  stopPostgres = () => this.stack('down', 'postgres');
  stopRedis = () => this.stack('down', 'redis');
  /** Starts whatever is stopped (idempotent). */
  start = () => this.stack('up');
  /** Stops both servers and deletes their data. */
  down = async () => {
    await this.stack('down');
    await rm(`${process.cwd()}/.data/${this.name}`, { recursive: true, force: true });
  };
}
