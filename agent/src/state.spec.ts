import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileStateStore, newState } from './state.js';

describe('FileStateStore', () => {
  it('keeps the state in a 0600 file inside a 0700 directory, and reads it back', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'agent-state-')), 'nested');
    const store = new FileStateStore(dir);
    expect(await store.load()).toBeNull();
    const state = { ...newState(), gatewayId: 'g-1', gatewaySecret: 'gws_secret', sequence: 41 };
    await store.save(state);
    await store.save({ ...state, sequence: 42 });
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(store.file)).mode & 0o777).toBe(0o600);
    expect(await new FileStateStore(dir).load()).toEqual({ ...state, sequence: 42 });
    expect(JSON.parse(await readFile(store.file, 'utf8')).gatewaySecret).toBe('gws_secret');
  });

  it('refuses a file that is not an agent state', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'agent-state-'));
    const store = new FileStateStore(dir);
    await import('node:fs/promises').then((fs) => fs.writeFile(store.file, '{"hello":1}'));
    await expect(store.load()).rejects.toThrow('not an agent state file');
  });
});
