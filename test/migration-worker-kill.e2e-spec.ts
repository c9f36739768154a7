import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from './support/api.js';
import { Fleet } from './support/fleet.js';
import { startServiceProcess, type ServiceProcess } from './support/service-process.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';

/** A dead worker's job is found stalled and run again within about twice this (JOB_LOCK_SECONDS). */
const WORKER_ENV = { ROLE: 'worker', JOB_LOCK_SECONDS: '2' };

/**
 * kill -9 of the worker process in the middle of each step a worker takes (de-registering the
 * source, queueing APPLY_CONFIGURATION, completing): the step's transaction is held open inside
 * Postgres (its audit event waits for a table lock this test holds), the worker is killed there,
 * and a new worker finishes the migration. Every step happens exactly once.
 */
describe('kill -9 of the worker during each migration step', () => {
  let t: TestApp;
  let blocker: pg.Client;
  let observer: pg.Client;
  let worker: ServiceProcess | null = null;

  beforeAll(async () => {
    // This process serves HTTP only; every workflow job runs in a worker process of its own.
    t = await startTestApp({ env: { ROLE: 'api' } });
    blocker = new pg.Client({ connectionString: t.config.database.url });
    observer = new pg.Client({ connectionString: t.config.database.url });
    await blocker.connect();
    await observer.connect();
  });
  afterAll(async () => {
    worker?.process.kill('SIGKILL');
    await blocker?.end().catch(() => undefined);
    await observer?.end().catch(() => undefined);
    await t?.close();
  });

  const kill = async (service: ServiceProcess) => {
    if (service.process.exitCode !== null || service.process.signalCode !== null) return;
    const exited = new Promise((resolve) => service.process.once('exit', resolve));
    service.process.kill('SIGKILL');
    await exited;
  };

  /**
   * With no worker alive, `trigger` makes the step's job; then a worker takes it and is killed
   * while the step's transaction waits for the audit table; then a new worker is started (and left
   * running for the caller to see the step through).
   */
  const killDuring = async (trigger: () => Promise<void>): Promise<void> => {
    await trigger();
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE audit_events IN SHARE MODE');
    const doomed = await startServiceProcess(t, WORKER_ENV);
    try {
      await waitFor(
        async () =>
          (
            await observer.query(
              `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'gateway-control-plane:worker' AND wait_event_type = 'Lock'`,
            )
          ).rowCount,
        (waiting) => (waiting ?? 0) >= 1,
        30_000,
        100,
      );
      await kill(doomed);
    } finally {
      // Its backend then finishes the statement, finds the client gone and rolls the step back.
      await blocker.query('COMMIT');
      await kill(doomed);
    }
    worker = await startServiceProcess(t, WORKER_ENV);
  };

  it('the migration finishes exactly once: each step, its audit event and its side effects once', async () => {
    const api = new Api(t);
    const partner = await api.partner();
    const tenantId = await api.createClientTenant(partner.token, 'Killed-worker client', { gatewayClustering: true });
    const operator = await api.clientToken(partner.token, tenantId, ['admin']);
    const fleet = new Fleet(api, tenantId, operator, t.url);
    const { profileId, gw: classic } = await fleet.gateway({ profile: { configuration: { monitoring: { pollSeconds: 60 } } } });
    const get = async (id: string) => (await api.get(operator, `/api/v1/tenants/${tenantId}/migrations/${id}`)).body;
    const stopWorker = async () => {
      if (worker) await kill(worker);
      worker = null;
    };

    // Step 1, PENDING: the worker de-registers the source and waits for the target.
    let migrationId = '';
    let activationToken = '';
    await killDuring(async () => {
      const started = await api.post(operator, `/api/v1/tenants/${tenantId}/migrations`, { profileId, targetGatewayType: 'CLUSTER' });
      expect(started.status, JSON.stringify(started.body)).toBe(201);
      migrationId = started.body.id;
      activationToken = started.body.activationToken.token;
    });
    await waitFor(
      () => get(migrationId),
      (m) => m.state === 'AWAITING_TARGET',
      30_000,
      200,
    );
    await stopWorker();

    // Step 2, TARGET_REGISTERED: the worker queues APPLY_CONFIGURATION to the target.
    const cluster = fleet.session('CLUSTER');
    await killDuring(async () => {
      expect((await cluster.register(activationToken)).status).toBe(201);
      expect((await get(migrationId)).state).toBe('TARGET_REGISTERED');
    });
    const [apply] = await waitFor(
      async () => (await cluster.pollCommands(0)).body.commands,
      (commands) => commands.length > 0,
      30_000,
      300,
    );
    expect(apply!.type).toBe('APPLY_CONFIGURATION');
    await stopWorker();

    // Step 3, CONFIGURATION_APPLIED (the API records the command's end): the worker completes.
    await killDuring(async () => {
      expect((await cluster.updateCommand(apply!.commandId, { state: 'ACKNOWLEDGED' })).status).toBe(200);
      expect((await cluster.updateCommand(apply!.commandId, { state: 'SUCCEEDED' })).status).toBe(200);
      expect((await get(migrationId)).state).toBe('CONFIGURATION_APPLIED');
    });
    const done = await waitFor(
      () => get(migrationId),
      (m) => m.state === 'COMPLETED',
      30_000,
      200,
    );
    await stopWorker();

    // Exactly once: each step in the record once, each audit event once, one APPLY_CONFIGURATION,
    // one de-registration of the source.
    expect(done.targetGatewayId).toBe(cluster.gatewayId);
    // (The second TARGET_REGISTERED entry is the worker's: the APPLY_CONFIGURATION it queued, once.)
    expect(done.steps.map((step: { step: string }) => step.step)).toEqual([
      'PENDING',
      'SOURCE_DEREGISTERED',
      'AWAITING_TARGET',
      'TARGET_REGISTERED',
      'TARGET_REGISTERED',
      'CONFIGURATION_APPLIED',
      'COMPLETED',
    ]);
    const commands = await api.get(operator, `/api/v1/tenants/${tenantId}/gateways/${cluster.gatewayId}/commands`);
    expect(commands.body.items.map((c: { type: string; state: string }) => [c.type, c.state])).toEqual([
      ['APPLY_CONFIGURATION', 'SUCCEEDED'],
    ]);
    const audit = (await api.get(operator, `/api/v1/tenants/${tenantId}/audit-events?limit=200`)).body.items as {
      action: string;
      targetId: string;
    }[];
    expect(audit.filter((e) => e.action === 'gateway.deregistered' && e.targetId === classic.gatewayId)).toHaveLength(1);
    expect(
      audit
        .filter((e) => e.targetId === migrationId)
        .map((e) => e.action)
        .reverse(),
    ).toEqual([
      'migration.started',
      'migration.source_deregistered',
      'migration.awaiting_target',
      'migration.target_registered',
      'migration.configuration_applied',
      'migration.completed',
    ]);
  }, 240_000);
});
