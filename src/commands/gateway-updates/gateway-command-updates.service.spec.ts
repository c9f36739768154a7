import { describe, expect, it } from 'vitest';
import type { DataSource, EntityManager } from 'typeorm';
import type { GatewayPrincipal } from '../../platform/auth/principal.js';
import { DomainError } from '../../platform/errors/domain-error.js';
import type { CommandState } from '../command-state.js';
import { CommandEntity, type CommandRow } from '../command.entity.js';
import type { CommandsStore, VersionedRow } from '../commands.store.js';
import type { ChangeDetails, CommandLifecycle } from '../lifecycle/command-lifecycle.service.js';
import { GatewayCommandUpdates } from './gateway-command-updates.service.js';
import type { CommandTraces } from '../command-traces.js';
import { RecentCommands } from './recent-commands.js';
import { decideUpdate } from './update-decision.js';

const GATEWAY: GatewayPrincipal = {
  kind: 'gateway',
  gatewayId: '00000000-0000-4000-8000-0000000000aa',
  tenantId: 't',
  profileId: 'p',
  gatewayType: 'CLASSIC',
  credentialGeneration: 1,
};
const COMMAND_ID = '00000000-0000-4000-8000-000000000001';

const command = (state: CommandState, extra: Partial<CommandEntity> = {}) =>
  Object.assign(new CommandEntity(), {
    id: COMMAND_ID,
    gatewayId: GATEWAY.gatewayId,
    tenantId: 't',
    type: 'PING',
    state,
    progressPercent: null,
    message: null,
    ...extra,
  });

describe('a gateway update decided on the command as it is (decideUpdate)', () => {
  it('moves forward: DELIVERED → ACKNOWLEDGED → RUNNING → SUCCEEDED, skipping steps allowed', () => {
    expect(decideUpdate(command('DELIVERED'), { state: 'ACKNOWLEDGED' })).toEqual({ kind: 'CHANGE', to: 'ACKNOWLEDGED' });
    expect(decideUpdate(command('DELIVERED'), { state: 'SUCCEEDED' })).toEqual({ kind: 'CHANGE', to: 'SUCCEEDED' });
    expect(decideUpdate(command('QUEUED'), { state: 'RUNNING' })).toEqual({ kind: 'CHANGE', to: 'RUNNING' });
  });

  it('is nothing for a repeat or an update behind the command', () => {
    expect(decideUpdate(command('RUNNING'), { state: 'ACKNOWLEDGED' })).toEqual({ kind: 'NONE' });
    expect(decideUpdate(command('SUCCEEDED'), { state: 'SUCCEEDED' })).toEqual({ kind: 'NONE' });
  });

  it('is progress while running only when it is news (a higher percent or a new message)', () => {
    const running = command('RUNNING', { progressPercent: 40, message: 'copying' });
    expect(decideUpdate(running, { state: 'RUNNING', progressPercent: 50 })).toEqual({ kind: 'CHANGE', to: null });
    expect(decideUpdate(running, { state: 'RUNNING', progressPercent: 30 })).toEqual({ kind: 'NONE' });
    expect(decideUpdate(running, { state: 'RUNNING', message: 'copying' })).toEqual({ kind: 'NONE' });
    expect(decideUpdate(running, { state: 'RUNNING', message: 'verifying' })).toEqual({ kind: 'CHANGE', to: null });
  });

  it('is refused after another end (the gateway must stop that work)', () => {
    expect(decideUpdate(command('CANCELLED'), { state: 'RUNNING' })).toEqual({ kind: 'REJECTED' });
    expect(decideUpdate(command('TIMED_OUT'), { state: 'SUCCEEDED' })).toEqual({ kind: 'REJECTED' });
  });
});

/** The commands table in memory: one row, and each read of it counted. */
class FakeCommandsStore {
  reads = 0;
  constructor(public row: CommandRow | undefined) {}
  get manager(): EntityManager {
    return {} as EntityManager;
  }
  async gatewayCommand(_manager: EntityManager, commandId: string, gatewayId: string): Promise<VersionedRow | undefined> {
    this.reads += 1;
    return this.row && this.row.id === commandId && this.row.gateway_id === gatewayId ? { ...this.row, version: '7' } : undefined;
  }
}

const row = (state: CommandState): CommandRow =>
  ({
    id: COMMAND_ID,
    tenant_id: 't',
    gateway_id: GATEWAY.gatewayId,
    bulk_id: null,
    sequence: '1',
    type: 'PING',
    parameters: {},
    state,
    deliver_by: new Date(),
    timeout_seconds: 60,
    deliveries: 1,
    delivered_at: new Date(),
    acknowledged_at: null,
    ended_at: null,
    progress_percent: null,
    message: null,
    result: null,
    error_code: null,
    created_by: 'x',
    created_at: new Date(),
    updated_at: new Date(),
  }) as CommandRow;

function setUp(state: CommandState | undefined, { savedVersion = '8' as string | null } = {}) {
  const store = new FakeCommandsStore(state ? row(state) : undefined);
  const moves: { to: CommandState | null; details: ChangeDetails }[] = [];
  const lifecycle = {
    canMoveUnlocked: () => true,
    moveIfUnchanged: async (cmd: CommandEntity, _version: string, to: CommandState | null, details: ChangeDetails) => {
      moves.push({ to, details });
      if (to && savedVersion) cmd.state = to;
      return savedVersion;
    },
  } as unknown as CommandLifecycle;
  const recent = new RecentCommands();
  // Tracing is off in these specs: the traces' one call here does nothing.
  const traces = { updated: async () => undefined } as unknown as CommandTraces;
  const updates = new GatewayCommandUpdates(traces, {} as DataSource, store as unknown as CommandsStore, lifecycle, recent);
  return { store, moves, updates, recent };
}

describe('GatewayCommandUpdates (over a fake store)', () => {
  it('applies a forward update in one optimistic write, recording the gateway as the actor', async () => {
    const { moves, updates } = setUp('DELIVERED');
    expect(await updates.update(GATEWAY, COMMAND_ID, { state: 'ACKNOWLEDGED' })).toEqual({ applied: true });
    expect(moves).toEqual([
      { to: 'ACKNOWLEDGED', details: expect.objectContaining({ actor: { type: 'gateway', id: GATEWAY.gatewayId } }) },
    ]);
  });

  it('decides the next update of the same command on what it remembers: no read', async () => {
    const { store, updates } = setUp('DELIVERED');
    await updates.update(GATEWAY, COMMAND_ID, { state: 'ACKNOWLEDGED' });
    await updates.update(GATEWAY, COMMAND_ID, { state: 'RUNNING' });
    expect(store.reads).toBe(1);
  });

  it('answers applied:false for a repeat, and writes nothing', async () => {
    const { moves, updates } = setUp('RUNNING');
    expect(await updates.update(GATEWAY, COMMAND_ID, { state: 'ACKNOWLEDGED' })).toEqual({ applied: false });
    expect(moves).toEqual([]);
  });

  it('refuses an update after another end with 409 COMMAND_ALREADY_ENDED', async () => {
    const { updates } = setUp('CANCELLED');
    const error = await updates.update(GATEWAY, COMMAND_ID, { state: 'RUNNING' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect([(error as DomainError).code, (error as DomainError).status]).toEqual(['COMMAND_ALREADY_ENDED', 409]);
  });

  it("is 404 COMMAND_NOT_FOUND for another gateway's command, or an id that is not a UUID", async () => {
    const { updates } = setUp(undefined);
    for (const id of [COMMAND_ID, 'not-a-uuid']) {
      const error = (await updates.update(GATEWAY, id, { state: 'RUNNING' }).catch((e: unknown) => e)) as DomainError;
      expect([error.code, error.status]).toEqual(['COMMAND_NOT_FOUND', 404]);
    }
  });
});
