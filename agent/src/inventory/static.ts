import { readFile } from 'node:fs/promises';
import type { InventoryProvider, InventoryReport } from './inventory.js';

/** A fixed report that its owner may replace at any time (tests, the simulator). */
export class StaticInventory implements InventoryProvider {
  constructor(public report: InventoryReport) {}

  async collect(): Promise<InventoryReport> {
    return structuredClone(this.report);
  }
}

/**
 * The report read from a JSON file on every heartbeat, so a demo can edit it while the agent
 * runs: `{ "nodes": [ … ], "cluster": { … } }`, or just the array of nodes.
 */
export class FileInventory implements InventoryProvider {
  constructor(readonly file: string) {}

  async collect(): Promise<InventoryReport> {
    const parsed = JSON.parse(await readFile(this.file, 'utf8')) as InventoryReport | InventoryReport['nodes'];
    const report = Array.isArray(parsed) ? { nodes: parsed } : parsed;
    if (!Array.isArray(report.nodes)) throw new Error(`${this.file}: expected { "nodes": [ … ] } or an array of nodes`);
    return report;
  }
}
