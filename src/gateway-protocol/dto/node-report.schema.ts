import { z } from 'zod';

export const MAX_NODES = 64;
export const MAX_APPS_PER_NODE = 100;

/** A non-empty string of at most `max` characters. */
export const text = (max: number) => z.string().min(1).max(max);
export const ipAddress = z.union([z.ipv4(), z.ipv6()]).meta({ example: '10.20.0.11' });

const appReport = z.object({
  name: text(100).meta({ example: 'vprobe' }),
  status: text(50).meta({ example: 'RUNNING' }),
  restarts: z.int().min(0).max(1_000_000_000).meta({ example: 0 }),
}).meta({ id: 'AppReport' });

/** One node of the report of sections 1 and 3. */
export const nodeReport = z.object({
  hostname: text(253).meta({ example: 'gw-node-1' }),
  ipAddress,
  cpuCores: z.int().min(0).max(4096).meta({ example: 4 }),
  memoryMb: z.int().min(0).max(16 * 1024 * 1024).meta({ example: 8192 }),
  diskGb: z.int().min(0).max(1_000_000).meta({ example: 40 }),
  ready: z.boolean(),
  kubernetesVersion: z.string().max(50).optional().meta({ example: '1.28.3' }),
  apps: z.array(appReport).max(MAX_APPS_PER_NODE).optional(),
}).meta({ id: 'NodeReport' });

export const nodeReports = z.array(nodeReport).min(1).max(MAX_NODES);
