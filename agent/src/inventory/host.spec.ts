import { isIP } from 'node:net';
import { cpus, hostname, totalmem } from 'node:os';
import { describe, expect, it } from 'vitest';
import { HostInventory, primaryAddress } from './host.js';
import { FileInventory, StaticInventory } from './static.js';

describe('host and static inventories', () => {
  it('the host reports itself as one ready node: name, address, cores, memory and disk from the os module', async () => {
    const { nodes } = await new HostInventory().collect();
    expect(nodes).toHaveLength(1);
    const [node] = nodes;
    expect(node).toMatchObject({ hostname: hostname(), cpuCores: cpus().length, memoryMb: Math.floor(totalmem() / 2 ** 20), ready: true });
    expect(isIP(node.ipAddress)).not.toBe(0);
    expect(node.diskGb).toBeGreaterThan(0);
  });

  it('the primary address is the first external IPv4, else IPv6, else loopback', () => {
    const lo = { address: '127.0.0.1', family: 'IPv4', internal: true } as const;
    const v6 = { address: 'fd00::5', family: 'IPv6', internal: false } as const;
    const v4 = { address: '10.20.0.11', family: 'IPv4', internal: false } as const;
    const as = (list: object[]) => ({ eth0: list }) as unknown as Parameters<typeof primaryAddress>[0];
    expect(primaryAddress(as([lo, v6, v4]))).toBe('10.20.0.11');
    expect(primaryAddress(as([lo, v6]))).toBe('fd00::5');
    expect(primaryAddress(as([lo]))).toBe('127.0.0.1');
  });

  it('a static report is handed out as a copy; a file report is read again on every call', async () => {
    const inventory = new StaticInventory({
      nodes: [{ hostname: 'a', ipAddress: '10.0.0.1', cpuCores: 1, memoryMb: 1, diskGb: 1, ready: true }],
    });
    const first = await inventory.collect();
    first.nodes[0].ready = false;
    expect((await inventory.collect()).nodes[0].ready).toBe(true);
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const file = `${await mkdtemp('/tmp/agent-inventory-')}/nodes.json`;
    await writeFile(file, JSON.stringify([{ hostname: 'b' }]));
    expect((await new FileInventory(file).collect()).nodes).toEqual([{ hostname: 'b' }]);
    await writeFile(file, JSON.stringify({ nothing: true }));
    await expect(new FileInventory(file).collect()).rejects.toThrow('expected');
  });
});
