import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claimPort } from '../../scripts/lib/ports.js';

/**
 * A throw-away Postgres server of its own (initdb in a temporary folder, on a free port), for tests
 * that stop and restart Postgres: the shared test server serves the files running beside them.
 * Uses the binaries scripts/stack.sh installed; as root, runs them as `postgres`, like stack.sh.
 */
export class ScratchPostgres {
  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly bin: string,
  ) {}

  static async create(): Promise<ScratchPostgres> {
    const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
    const bin = versions.map((version) => `/usr/lib/postgresql/${version}/bin`).find((dir) => existsSync(join(dir, 'initdb')));
    if (!bin) throw new Error('no Postgres binaries: run scripts/stack.sh up (npm test does)');
    const dir = mkdtempSync(join(tmpdir(), 'gcp-pg-'));
    chmodSync(dir, 0o777);
    const server = new ScratchPostgres(await claimPort(), dir, bin);
    server.run('initdb', '-D', server.data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8');
    server.start();
    return server;
  }

  get data(): string {
    return join(this.dir, 'data');
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  private run(binary: string, ...args: string[]): void {
    const command = [join(this.bin, binary), ...args];
    if (process.getuid?.() === 0)
      execFileSync('su', ['postgres', '-s', '/bin/sh', '-c', command.map((part) => `'${part}'`).join(' ')], { stdio: 'ignore' });
    else execFileSync(command[0], command.slice(1), { stdio: 'ignore' });
  }

  start(): void {
    this.run(
      'pg_ctl',
      '-D',
      this.data,
      '-w',
      '-t',
      '60',
      '-l',
      join(this.dir, 'log'),
      '-o',
      `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1`,
      'start',
    );
  }

  /** `fast`: sessions are told (57P01) and closed; `immediate`: the server drops them, as in a crash. */
  stop(mode: 'fast' | 'immediate' = 'fast'): void {
    this.run('pg_ctl', '-D', this.data, '-w', '-t', '60', '-m', mode, 'stop');
  }

  destroy(): void {
    try {
      this.stop('immediate');
    } catch {
      // already stopped
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
