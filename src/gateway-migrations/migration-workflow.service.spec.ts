import { describe, expect, it } from 'vitest';
import type { DataSource, EntityManager } from 'typeorm';
import type { ChangeRecorder, RecordedChange } from '../platform/audit/change-recorder.js';
import { DomainError } from '../platform/errors/domain-error.js';
import type { JobQueue } from '../platform/queues/job-queue.service.js';
import type { DeregistrationService } from '../gateways/deregistration.service.js';
import type { GatewayLiveState } from '../gateways/gateway-live-state.js';
import type { Registering } from '../gateways/gateway-changes.js';
import type { ProfilesStore } from '../profiles/profiles.store.js';
import { AfterCommit } from '../platform/database/after-commit.js';
import { GatewayMigrationEntity } from './gateway-migration.entity.js';
import type { MigrationState } from './migration-state.js';
import { MigrationWorkflow } from './migration-workflow.service.js';
import type { MigrationsStore } from './migrations.store.js';

const MIGRATION_ID = '00000000-0000-4000-8000-000000000001';

/** One migration row in memory, the workflow's collaborators as recorders: no database, no Redis. */
function setUp(state: MigrationState, extra: Partial<GatewayMigrationEntity> = {}) {
  const migration = Object.assign(new GatewayMigrationEntity(), {
    id: MIGRATION_ID,
    tenantId: 't',
    profileId: 'p',
    direction: 'CLASSIC_TO_CLUSTER',
    state,
    steps: [],
    sourceGatewayId: 'source-gw',
    targetType: 'CLUSTER',
    activationTokenId: 'token-1',
    deadline: new Date(Date.now() + 60_000),
    failureReason: null,
    rollbackOf: null,
    endedAt: null,
    ...extra,
  });
  const written: Record<string, unknown>[] = [];
  const manager = {
    findOne: async () => migration,
    findOneByOrFail: async () => migration,
    update: async (_entity: unknown, _where: unknown, values: Record<string, unknown>) => void written.push(values),
  } as unknown as EntityManager;
  const audit: RecordedChange[] = [];
  const deregistered: string[] = [];
  const jobs: string[] = [];
  const locked: string[] = [];
  const store = {
    references: async () => ({ profile_id: 'p', activation_token_id: 'token-1' }),
    lockRunningOfProfile: async () => (state === 'ROLLED_BACK' ? null : MIGRATION_ID),
  } as unknown as MigrationsStore;
  const profileRows = {
    lockToken: async (_m: EntityManager, id: string) => void locked.push(`token ${id}`),
    lockProfile: async (_m: EntityManager, id: string) => void locked.push(`profile ${id}`),
  } as unknown as ProfilesStore;
  const workflow = new MigrationWorkflow(
    { transaction: (work: (m: EntityManager) => Promise<unknown>) => work(manager) } as unknown as DataSource,
    {} as never,
    {} as never,
    {
      deregisterWithin: async (_m: EntityManager, _t: string, id: string) => void deregistered.push(id),
    } as unknown as DeregistrationService,
    { markDeregistered: async () => undefined } as unknown as GatewayLiveState,
    {} as never,
    { record: async (_m: EntityManager, change: RecordedChange) => void audit.push(change) } as unknown as ChangeRecorder,
    { add: async (_name: string, _payload: unknown, options: { jobId: string }) => void jobs.push(options.jobId) } as unknown as JobQueue,
    store,
    {} as never,
    profileRows,
    {} as never,
  );
  return { migration, manager, workflow, written, audit, deregistered, jobs, locked };
}

describe('migration steps (MigrationWorkflow.advance over fakes)', () => {
  it('PENDING: locks token and profile first, de-registers the source, then waits for the target (two audited steps)', async () => {
    const t = setUp('PENDING');
    await t.workflow.advance(MIGRATION_ID);
    expect(t.locked).toEqual(['token token-1', 'profile p']);
    expect(t.deregistered).toEqual(['source-gw']);
    expect(t.migration.state).toBe('AWAITING_TARGET');
    expect(t.audit.map((c) => [c.action, c.before, (c.after as { state: string }).state])).toEqual([
      ['migration.source_deregistered', { state: 'PENDING' }, 'SOURCE_DEREGISTERED'],
      ['migration.awaiting_target', { state: 'SOURCE_DEREGISTERED' }, 'AWAITING_TARGET'],
    ]);
    expect(t.migration.steps.map((s) => s.step)).toEqual(['SOURCE_DEREGISTERED', 'AWAITING_TARGET']);
    // SOURCE_DEREGISTERED queued its own advance (a no-op once AWAITING_TARGET): one job per step, by id.
    expect(t.jobs).toEqual([`mig-${MIGRATION_ID}-SOURCE_DEREGISTERED`]);
  });

  it('AWAITING_TARGET waits for a registration: advancing does nothing', async () => {
    const t = setUp('AWAITING_TARGET');
    await t.workflow.advance(MIGRATION_ID);
    expect([t.written, t.audit, t.deregistered]).toEqual([[], [], []]);
  });

  it('CONFIGURATION_APPLIED completes, with its end time', async () => {
    const t = setUp('CONFIGURATION_APPLIED');
    await t.workflow.advance(MIGRATION_ID);
    expect(t.migration.state).toBe('COMPLETED');
    expect(t.migration.endedAt).toBeInstanceOf(Date);
    expect(t.audit.map((c) => c.action)).toEqual(['migration.completed']);
  });

  it('an ended migration is not advanced (a late or repeated job)', async () => {
    for (const state of ['COMPLETED', 'FAILED', 'ROLLED_BACK'] as const) {
      const t = setUp(state);
      await t.workflow.advance(MIGRATION_ID);
      expect([t.written, t.audit]).toEqual([[], []]);
    }
  });
});

describe('a registration while a migration runs (the gateway.registering reaction)', () => {
  const registering = (t: ReturnType<typeof setUp>, tokenMigrationId: string | null, gatewayType: 'CLASSIC' | 'CLUSTER'): Registering => ({
    manager: t.manager,
    after: new AfterCommit(),
    token: { migrationId: tokenMigrationId } as Registering['token'],
    profileId: 'p',
    tenantId: 't',
    gatewayType,
  });

  it('refuses another token with 409 MIGRATION_IN_PROGRESS', async () => {
    const t = setUp('AWAITING_TARGET');
    const error = (await t.workflow.admitRegistration(registering(t, null, 'CLUSTER')).catch((e: unknown) => e)) as DomainError;
    expect([error.code, error.status]).toEqual(['MIGRATION_IN_PROGRESS', 409]);
  });

  it('refuses its own token for the wrong gateway type with 409 GATEWAY_TYPE_MISMATCH', async () => {
    const t = setUp('AWAITING_TARGET');
    const error = (await t.workflow.admitRegistration(registering(t, MIGRATION_ID, 'CLASSIC')).catch((e: unknown) => e)) as DomainError;
    expect(error).toBeInstanceOf(DomainError);
    expect([error.code, error.status]).toEqual(['GATEWAY_TYPE_MISMATCH', 409]);
  });

  it('admits its own token for the target type, first de-registering a source not yet gone', async () => {
    const t = setUp('PENDING');
    await t.workflow.admitRegistration(registering(t, MIGRATION_ID, 'CLUSTER'));
    expect(t.deregistered).toEqual(['source-gw']);
    expect(t.migration.state).toBe('AWAITING_TARGET');
  });
});
