import { describe, expect, it } from 'vitest';
import type { DataSource, EntityManager } from 'typeorm';
import type { ChangeRecorder, RecordedChange } from '../../platform/audit/change-recorder.js';
import { AfterCommit } from '../../platform/database/after-commit.js';
import type { CommandEntity } from '../command.entity.js';
import type { BulkRow, CommandsStore } from '../commands.store.js';
import type { CommandFactory, NewCommand } from '../issuing/command-factory.service.js';
import { BulkProgress, errorThreshold } from './bulk-progress.service.js';

/** The bulk command's tables in memory: what the store would hold, and the calls it got. */
class FakeBulkStore {
  targets: { gatewayId: string; live: boolean; state: 'PENDING' | 'STARTED' | 'CANCELLED' }[] = [];
  stopped: string | null = null;
  completed = false;
  started: string[] = [];

  async cancelPendingTargets(_manager: EntityManager, _bulkId: string): Promise<string[]> {
    const pending = this.targets.filter((t) => t.state === 'PENDING');
    pending.forEach((t) => (t.state = 'CANCELLED'));
    return pending.map((t) => t.gatewayId);
  }
  async stopBulk(_manager: EntityManager, _bulkId: string, reason: string): Promise<void> {
    this.stopped = reason;
  }
  async hasPendingTargets(): Promise<boolean> {
    return this.targets.some((t) => t.state === 'PENDING');
  }
  async completeBulk(): Promise<void> {
    this.completed = true;
  }
  async lockPendingTargets(_manager: EntityManager, _bulkId: string, limit: number) {
    return this.targets
      .filter((t) => t.state === 'PENDING')
      .slice(0, limit)
      .map((t) => ({ gateway_id: t.gatewayId, live: t.live }));
  }
  async cancelTargets(_manager: EntityManager, _bulkId: string, gatewayIds: string[]): Promise<void> {
    for (const t of this.targets) if (gatewayIds.includes(t.gatewayId)) t.state = 'CANCELLED';
  }
  async startTargets(_manager: EntityManager, _bulkId: string, commands: { gatewayId: string }[]): Promise<void> {
    for (const c of commands) {
      this.targets.find((t) => t.gatewayId === c.gatewayId)!.state = 'STARTED';
      this.started.push(c.gatewayId);
    }
  }
}

function setUp(targets: { gatewayId: string; live?: boolean }[]) {
  const store = new FakeBulkStore();
  store.targets = targets.map((t) => ({ gatewayId: t.gatewayId, live: t.live ?? true, state: 'PENDING' as const }));
  const changes: RecordedChange[] = [];
  const recorder = { record: async (_m: EntityManager, change: RecordedChange) => void changes.push(change) } as unknown as ChangeRecorder;
  const factory = {
    createMany: async (_m: EntityManager, specs: NewCommand[]) =>
      specs.map((spec, i) => ({ ...spec, id: `cmd-${spec.gatewayId}-${i}` }) as unknown as CommandEntity),
  } as unknown as CommandFactory;
  const progress = new BulkProgress({} as DataSource, factory, recorder, store as unknown as CommandsStore);
  return { store, changes, progress };
}

const bulk = (overrides: Partial<BulkRow>): BulkRow => ({
  id: 'bulk-1',
  tenant_id: 'tenant-1',
  type: 'PING',
  parameters: {},
  deliver_by: new Date(),
  timeout_seconds: 60,
  max_concurrency: 2,
  max_errors: 0,
  max_errors_percent: null,
  state: 'RUNNING',
  target_count: 4,
  started_count: 0,
  ended_count: 0,
  failed_count: 0,
  ...overrides,
});
const manager = {} as EntityManager;

describe('bulk command thresholds (errorThreshold)', () => {
  it('is maxErrors when given as a count', () => {
    expect(errorThreshold({ max_errors: 3, max_errors_percent: null, target_count: 100 })).toBe(3);
  });

  it('is the percentage of the targets, rounded down, when given as a percentage', () => {
    expect(errorThreshold({ max_errors: null, max_errors_percent: '10', target_count: 25 })).toBe(2);
    expect(errorThreshold({ max_errors: null, max_errors_percent: '0', target_count: 25 })).toBe(0);
  });
});

describe('BulkProgress.advance (over a fake store)', () => {
  it('starts no more targets than maxConcurrency allows, in order', async () => {
    const { store, progress } = setUp([{ gatewayId: 'g1' }, { gatewayId: 'g2' }, { gatewayId: 'g3' }, { gatewayId: 'g4' }]);
    await progress.advance(manager, bulk({ max_concurrency: 2 }), new AfterCommit());
    expect(store.started).toEqual(['g1', 'g2']);
    expect(store.stopped).toBeNull();
  });

  it('fills the slots that ended targets freed', async () => {
    const { store, progress } = setUp([{ gatewayId: 'g3' }, { gatewayId: 'g4' }]);
    await progress.advance(manager, bulk({ max_concurrency: 2, started_count: 2, ended_count: 1 }), new AfterCommit());
    expect(store.started).toEqual(['g3']);
  });

  it('cancels a target whose gateway left, and starts the next one instead', async () => {
    const { store, progress } = setUp([{ gatewayId: 'g1', live: false }, { gatewayId: 'g2' }, { gatewayId: 'g3' }]);
    await progress.advance(manager, bulk({ max_concurrency: 1, target_count: 3 }), new AfterCommit());
    expect(store.targets.map((t) => t.state)).toEqual(['CANCELLED', 'STARTED', 'PENDING']);
  });

  it('stops once failures pass maxErrors: the targets not started are CANCELLED, with the reason audited', async () => {
    const { store, changes, progress } = setUp([{ gatewayId: 'g3' }, { gatewayId: 'g4' }]);
    await progress.advance(manager, bulk({ max_errors: 1, started_count: 2, ended_count: 2, failed_count: 2 }), new AfterCommit());
    expect(store.started).toEqual([]);
    expect(store.targets.map((t) => t.state)).toEqual(['CANCELLED', 'CANCELLED']);
    expect(store.stopped).toBe('stopped: 2 targets failed, more than maxErrors (1)');
    expect(changes.map((c) => [c.action, c.after])).toEqual([
      ['bulk_command.stopped', { state: 'STOPPED', reason: store.stopped, cancelledTargets: 2 }],
    ]);
  });

  it('does not stop at exactly maxErrors failures', async () => {
    const { store, progress } = setUp([{ gatewayId: 'g3' }]);
    await progress.advance(
      manager,
      bulk({ max_errors: 2, started_count: 2, ended_count: 2, failed_count: 2, target_count: 3 }),
      new AfterCommit(),
    );
    expect(store.stopped).toBeNull();
    expect(store.started).toEqual(['g3']);
  });

  it('completes when every target ended and none waits', async () => {
    const { store, changes, progress } = setUp([]);
    await progress.advance(manager, bulk({ started_count: 4, ended_count: 4, failed_count: 0 }), new AfterCommit());
    expect(store.completed).toBe(true);
    expect(changes.map((c) => c.action)).toEqual(['bulk_command.completed']);
  });

  it('does nothing to a bulk command that is not RUNNING', async () => {
    const { store, changes, progress } = setUp([{ gatewayId: 'g1' }]);
    await progress.advance(manager, bulk({ state: 'STOPPED', failed_count: 5 }), new AfterCommit());
    expect([store.started, store.stopped, store.completed, changes]).toEqual([[], null, false, []]);
  });
});
