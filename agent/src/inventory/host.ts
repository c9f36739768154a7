import { statfs } from 'node:fs/promises';
import { cpus, hostname, networkInterfaces, totalmem } from 'node:os';
import type { NodeReport } from '../protocol/types.js';
import type { InventoryProvider, InventoryReport } from './inventory.js';

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

/** The first external IPv4 address of the host (else IPv6, else loopback). */
export function primaryAddress(interfaces = networkInterfaces()): string {
  const all = Object.values(interfaces).flatMap((list) => list ?? []);
  const external = all.filter((address) => !address.internal);
  return (external.find((a) => a.family === 'IPv4') ?? external.find((a) => a.family === 'IPv6') ?? { address: '127.0.0.1' }).address;
}

/** A classic gateway: the machine the agent runs on, from the os module and the disk it stores on. */
export class HostInventory implements InventoryProvider {
  constructor(private readonly options: { diskPath?: string; ipAddress?: string; apps?: NodeReport['apps'] } = {}) {}

  async collect(): Promise<InventoryReport> {
    const disk = await statfs(this.options.diskPath ?? '/').catch(() => null);
    const node: NodeReport = {
      hostname: hostname().slice(0, 253) || 'localhost',
      ipAddress: this.options.ipAddress ?? primaryAddress(),
      cpuCores: Math.max(1, cpus().length),
      memoryMb: Math.floor(totalmem() / MIB),
      diskGb: disk ? Math.floor((disk.blocks * disk.bsize) / GIB) : 0,
      ready: true,
      ...(this.options.apps ? { apps: this.options.apps } : {}),
    };
    return { nodes: [node] };
  }
}
