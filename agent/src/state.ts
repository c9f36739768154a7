import { randomUUID } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Configuration } from './protocol/types.js';

/** What the agent keeps across restarts. */
export interface AgentState {
  /** Made once, at the first start: a retried registration carries the same one. */
  instanceId: string;
  gatewayId?: string;
  profileId?: string;
  tenantId?: string;
  gatewaySecret?: string;
  /** The sequence of the last heartbeat sent; it only grows, across restarts too. */
  sequence: number;
  /** The configuration last applied. */
  configuration?: Configuration;
  /** Set when the service said this gateway was de-registered; the credentials are gone then. */
  deregisteredAt?: string;
}

export interface StateStore {
  load(): Promise<AgentState | null>;
  save(state: AgentState): Promise<void>;
}

export const newState = (): AgentState => ({ instanceId: randomUUID(), sequence: 0 });

/** The state in memory only (the simulator's and tests' agents). */
export class MemoryStateStore implements StateStore {
  constructor(private state: AgentState | null = null) {}

  async load(): Promise<AgentState | null> {
    return this.state ? structuredClone(this.state) : null;
  }

  async save(state: AgentState): Promise<void> {
    this.state = structuredClone(state);
  }
}

/**
 * The state as `state.json` in a directory of its own (mode 0700), the file mode 0600 since it
 * holds the gateway's secret. Writes go to a temporary file that is renamed over the old one, so a
 * crash never leaves half a file; writes are made one at a time.
 */
export class FileStateStore implements StateStore {
  readonly file: string;
  private writing: Promise<void> = Promise.resolve();

  constructor(readonly dir: string) {
    this.file = join(dir, 'state.json');
  }

  async load(): Promise<AgentState | null> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    const state = JSON.parse(text) as AgentState;
    if (typeof state.instanceId !== 'string' || typeof state.sequence !== 'number')
      throw new Error(`${this.file} is not an agent state file`);
    return state;
  }

  save(state: AgentState): Promise<void> {
    const text = `${JSON.stringify(state, null, 2)}\n`;
    this.writing = this.writing.catch(() => undefined).then(() => this.write(text));
    return this.writing;
  }

  private async write(text: string): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const temporary = `${this.file}.${process.pid}.tmp`;
    await writeFile(temporary, text, { mode: 0o600 });
    await chmod(temporary, 0o600);
    await rename(temporary, this.file);
  }
}
