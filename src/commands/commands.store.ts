import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { changeArrays, insertChangesFrom, unnestChanges, type RecordedChange } from '../platform/audit/change-recorder.js';
import { isUuid } from '../platform/database/uuid.js';
import { prepared, queryReturning, sqlIn, type Statements } from '../platform/database/sql.js';
import { EventTopic } from '../platform/events/topics.js';
import { decodeCursor, encodeCursor, pageLimit, paginate, type Page, type PageRequest } from '../platform/pagination/cursor.js';
import { COMMAND_STATES, ENDED_STATES, HAND_OUT, isEnded, statesMovedBy, type CommandState } from './command-state.js';
import {
  BulkCommandEntity,
  COMMAND_COLUMNS,
  CommandEntity,
  CommandHistoryEntity,
  commandFromRow,
  type CommandRow,
} from './command.entity.js';
import { tenantOwnerLookup } from '../platform/graphql/tenant-scope.decorator.js';

/** Who wrote a history entry. */
export type HistorySource = 'gateway' | 'system' | 'api-client';

/** A claimed or read command row with its row version (`xmin`), for optimistic writes. */
export type VersionedRow = CommandRow & { version: string };

/** Ends that count against a bulk command's error threshold. */
export const BULK_FAILURES: ReadonlySet<CommandState> = new Set<CommandState>(['FAILED', 'TIMED_OUT', 'EXPIRED', 'ABORTED']);

/** An open command as the Redis rebuild reads it. */
export interface OpenCommandRow {
  id: string;
  gateway_id: string;
  state: 'QUEUED' | 'DELIVERED' | 'ACKNOWLEDGED' | 'RUNNING';
  deliver_by: Date;
  deliveries: number;
  delivered_at: Date | null;
  started_at: Date;
  timeout_seconds: number;
}

/** A `bulk_commands` row as pg returns it. */
export interface BulkRow {
  id: string;
  tenant_id: string;
  type: BulkCommandEntity['type'];
  parameters: Record<string, unknown>;
  deliver_by: Date;
  timeout_seconds: number;
  max_concurrency: number;
  max_errors: number | null;
  max_errors_percent: string | null;
  state: BulkCommandEntity['state'];
  target_count: number;
  started_count: number;
  ended_count: number;
  failed_count: number;
}

/** One optimistic save (see saveVersions): the command as it should be, the version it was decided on, its change. */
export interface VersionedSave {
  command: CommandEntity;
  version: string;
  source: HistorySource;
  change: RecordedChange;
}

const HANDED_OUT_FROM = HAND_OUT.from[0]!;
if (HAND_OUT.from.length !== 1) throw new Error('the hand-out statement records one previous state');

/**
 * `commandChange` of a hand-out (QUEUED → DELIVERED by the gateway) for each row of the CTE
 * `claimed`, built by Postgres as the CTE `delivered_change` (columns of `unnestChanges`, for
 * `insertChangesFrom`): the hand-out learns its rows only as it claims them, and this way claims,
 * records the history, audits and publishes in one statement. Keep the JSON in step with
 * `commandChange` (test/commands.e2e-spec.ts reads both kinds of audit event and outgoing event).
 */
const DELIVERED_CHANGE = `delivered_change AS (
      SELECT tenant_id, 'gateway' AS actor_type, gateway_id::text AS actor_id, 'command.delivered' AS action, 'command' AS target_type,
             id AS target_id, '{"state": "${HANDED_OUT_FROM}"}'::jsonb AS before,
             jsonb_strip_nulls(jsonb_build_object('state', state, 'gatewayId', gateway_id, 'type', type, 'progressPercent', progress_percent, 'errorCode', error_code)) AS after,
             '${EventTopic.CommandUpdated}' AS topic,
             jsonb_build_object(
               'commandId', id, 'gatewayId', gateway_id, 'tenantId', tenant_id, 'bulkId', bulk_id, 'type', type,
               'previousState', '${HANDED_OUT_FROM}', 'state', state, 'progressPercent', progress_percent, 'message', message,
               'errorCode', error_code, 'updatedAt', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) AS payload
      FROM claimed)`;

const GATEWAY_COMMAND = `SELECT ${COMMAND_COLUMNS}, xmin::text AS version FROM commands WHERE id = $1 AND gateway_id = $2`;
const HISTORY_COLUMNS = 'tenant_id, command_id, source, state, progress_percent, message, error_code';

/**
 * Every statement on commands, command_history, bulk_commands and bulk_command_targets. The hot
 * ones (hand-out, a gateway's updates, queueing) are named prepared statements: Postgres plans them
 * once per connection. State lists come from the state machine (command-state.ts).
 */
export const STATEMENTS = {
  /**
   * Claims the waiting commands of each gateway, records the history, audits and publishes, in one
   * autocommit statement for all the gateways (the states from the state machine's DELIVER).
   */
  claimWaitingCommandsOfGateways: prepared(
    'claim-waiting-commands-of-gateways',
    `WITH claimed AS (
           UPDATE commands c SET state = '${HAND_OUT.to}', deliveries = c.deliveries + 1, delivered_at = now(), updated_at = now()
           FROM (SELECT w.id FROM unnest($1::uuid[]) AS g(id)
                 CROSS JOIN LATERAL (SELECT id FROM commands WHERE gateway_id = g.id AND state ${sqlIn(HAND_OUT.from)} AND deliver_by > now()
                                     ORDER BY sequence LIMIT $2 FOR UPDATE SKIP LOCKED) w) q
           WHERE c.id = q.id RETURNING ${COMMAND_COLUMNS.split(', ')
             .map((column) => `c.${column}`)
             .join(', ')}, c.xmin::text AS version),
         history AS (
           INSERT INTO command_history (${HISTORY_COLUMNS})
           SELECT tenant_id, id, 'system', state, progress_percent, message, error_code FROM claimed),
         ${DELIVERED_CHANGE},
         ${insertChangesFrom('delivered_change')}
         SELECT ${COMMAND_COLUMNS}, version FROM claimed ORDER BY sequence`,
  ),
  readGatewayCommand: prepared('read-gateway-command', GATEWAY_COMMAND),
  lockGatewayCommand: prepared('lock-gateway-command', `${GATEWAY_COMMAND} FOR UPDATE`),
  /** The row and its history entry in one statement (one round trip fewer on every update). */
  saveCommandWithHistory: prepared(
    'save-command-with-history',
    `WITH saved AS (
           UPDATE commands SET state = $3, progress_percent = $4, message = $5, result = $6, error_code = $7,
                  acknowledged_at = $8, ended_at = $9, updated_at = now()
           WHERE id = $2)
         INSERT INTO command_history (${HISTORY_COLUMNS})
         VALUES ($1, $2, $10, $3, $4, $5, $7)`,
  ),
  /**
   * Optimistic saves of many commands: each applies only where the row is still the version it was
   * decided on. The saves come as one JSON parameter, as the changes do (see unnestChanges): pg
   * wrote eleven array parameters element by element (every date formatted, every result escaped).
   */
  saveCommandVersions: prepared(
    'save-command-versions',
    `WITH input AS (
           SELECT * FROM jsonb_to_recordset($1::jsonb)
             AS i(tenant_id uuid, id uuid, state text, progress_percent int, message text, result jsonb, error_code text,
                  acknowledged_at timestamptz, ended_at timestamptz, source text, version xid)),
         saved AS (
           UPDATE commands c SET state = i.state, progress_percent = i.progress_percent, message = i.message, result = i.result,
                  error_code = i.error_code, acknowledged_at = i.acknowledged_at, ended_at = i.ended_at, updated_at = now()
           FROM input i WHERE c.id = i.id AND c.xmin = i.version
           RETURNING c.id, c.xmin::text AS version),
         history AS (
           INSERT INTO command_history (${HISTORY_COLUMNS})
           SELECT i.tenant_id, i.id, i.source, i.state, i.progress_percent, i.message, i.error_code FROM input i JOIN saved USING (id)),
         saved_change AS (
           SELECT * FROM ${unnestChanges(2)} WHERE change.target_id IN (SELECT id FROM saved)),
         ${insertChangesFrom('saved_change')}
         SELECT id, version FROM saved`,
  ),
  appendCommandHistory: prepared(
    'append-command-history',
    `INSERT INTO command_history (${HISTORY_COLUMNS})
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::int[], $6::text[], $7::text[])`,
  ),
  insertCommands: prepared(
    'insert-commands',
    `INSERT INTO commands (id, tenant_id, gateway_id, bulk_id, sequence, type, parameters, state, deliver_by, timeout_seconds, created_by)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::bigint[], $6::text[], $7::jsonb[], $8::text[], $9::timestamptz[], $10::int[], $11::text[])`,
  ),
  /** Gateways whose queued commands waited past a grace without their flag (the sweep raises it again). */
  gatewaysWithUnflaggedCommands: `SELECT DISTINCT gateway_id FROM commands
       WHERE state ${sqlIn(HAND_OUT.from)} AND updated_at < now() - $1::interval AND deliver_by > now() LIMIT $2`,
  /** The state of commands whose deadlines fell due: most were met, and only the others are locked. */
  deadlineStates: prepared('deadline-states', `SELECT id, state, deliveries FROM commands WHERE id = ANY($1::uuid[])`),
  /** Deadlines whose delayed job is overdue by a grace (lost with Redis or a process). */
  overdueCommands: `SELECT id, 'deliver-by' AS kind, deliveries FROM commands
         WHERE state ${sqlIn(statesMovedBy({ type: 'DELIVER_BY_PASSED' }))} AND deliver_by < now() - $1::interval
       UNION ALL
       SELECT id, 'ack', deliveries FROM commands
         WHERE state ${sqlIn(statesMovedBy({ type: 'REDELIVER_TIMEOUT', deliveries: 1 }))} AND delivered_at < now() - $2::interval - $1::interval
       UNION ALL
       SELECT id, 'time-limit', deliveries FROM commands
         WHERE state ${sqlIn(statesMovedBy({ type: 'TIME_LIMIT_PASSED' }))} AND acknowledged_at + make_interval(secs => timeout_seconds) < now() - $1::interval
       LIMIT $3`,
  /** Open commands (not ended) in id order after $1, a page at a time (rebuilding Redis from Postgres). */
  openCommandsAfter: `SELECT id, gateway_id, state, deliver_by, deliveries, delivered_at,
                coalesce(acknowledged_at, delivered_at, created_at) AS started_at, timeout_seconds
         FROM commands WHERE state ${sqlIn(COMMAND_STATES.filter((state) => !isEnded(state)))} AND id > $1 ORDER BY id LIMIT $2`,
  commandsByState: `SELECT state AS key, count(*)::int AS count FROM commands WHERE tenant_id = $1 GROUP BY state ORDER BY state`,
  staleBulks: `SELECT id FROM bulk_commands WHERE state = 'RUNNING' AND updated_at < now() - $1::interval ORDER BY updated_at LIMIT $2`,
  lockBulk: `SELECT * FROM bulk_commands WHERE id = $1 FOR UPDATE`,
  countBulkCommands: `SELECT count(*)::int AS started,
                count(*) FILTER (WHERE state = ANY($2::text[]))::int AS ended,
                count(*) FILTER (WHERE state = ANY($3::text[]))::int AS failed
         FROM commands WHERE bulk_id = $1`,
  setBulkCounts: `UPDATE bulk_commands SET started_count = $2, ended_count = $3, failed_count = $4, updated_at = now() WHERE id = $1`,
  cancelPendingTargets: `UPDATE bulk_command_targets SET state = 'CANCELLED' WHERE bulk_id = $1 AND state = 'PENDING' RETURNING gateway_id`,
  stopBulk: `UPDATE bulk_commands SET state = 'STOPPED', stop_reason = $2, updated_at = now() WHERE id = $1`,
  anyPendingTarget: `SELECT 1 FROM bulk_command_targets WHERE bulk_id = $1 AND state = 'PENDING' LIMIT 1`,
  completeBulk: `UPDATE bulk_commands SET state = 'COMPLETED', updated_at = now() WHERE id = $1`,
  /**
   * The next pending targets, locked, with whether their gateway is still registered (read with the lock: one round trip).
   * Joins the gateways domain's table on purpose (allow-listed in sql-table-ownership.spec.ts): a separate read would cost a round trip per batch.
   */
  lockPendingTargets: `SELECT t.gateway_id, g.status <> 'DEREGISTERED' AS live FROM bulk_command_targets t JOIN gateways g ON g.id = t.gateway_id
       WHERE t.bulk_id = $1 AND t.state = 'PENDING' ORDER BY t.position LIMIT $2 FOR UPDATE OF t SKIP LOCKED`,
  cancelTargets: `UPDATE bulk_command_targets SET state = 'CANCELLED' WHERE bulk_id = $1 AND gateway_id = ANY($2::uuid[])`,
  startTargets: `UPDATE bulk_command_targets t SET state = 'STARTED', command_id = c.command_id
       FROM unnest($2::uuid[], $3::uuid[]) AS c(gateway_id, command_id) WHERE t.bulk_id = $1 AND t.gateway_id = c.gateway_id`,
  addStartedToBulk: `UPDATE bulk_commands SET started_count = started_count + $2 WHERE id = $1`,
  insertBulk: `INSERT INTO bulk_commands (id, tenant_id, type, parameters, deliver_by, timeout_seconds, max_concurrency, max_errors, max_errors_percent, state, target_count, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'RUNNING', $10, $11)`,
  insertBulkTargets: `INSERT INTO bulk_command_targets (bulk_id, gateway_id, position, state) SELECT $1, t.id, t.position, 'PENDING' FROM unnest($2::uuid[]) WITH ORDINALITY AS t(id, position)`,
  insertSkippedBulkTargets: `INSERT INTO bulk_command_targets (bulk_id, gateway_id, position, state) SELECT $1, t.id, $3 + t.position, 'SKIPPED' FROM unnest($2::uuid[]) WITH ORDINALITY AS t(id, position)`,
  bulkTargetCounts: `SELECT COALESCE(c.state, t.state) AS key, count(*)::int AS count
       FROM bulk_command_targets t LEFT JOIN commands c ON c.id = t.command_id
       WHERE t.bulk_id = $1 GROUP BY 1 ORDER BY 1`,
  /** The counts of many bulk commands at once (a list of them), by bulk id. */
  bulkTargetCountsOf: `SELECT t.bulk_id, COALESCE(c.state, t.state) AS key, count(*)::int AS count
       FROM bulk_command_targets t LEFT JOIN commands c ON c.id = t.command_id
       WHERE t.bulk_id = ANY($1::uuid[]) GROUP BY 1, 2 ORDER BY 1, 2`,
  /**
   * A gateway's commands, newest first, on commands_tenant_gateway_created_idx: a first page and a
   * page after a cursor are two statements, so each keeps its index condition in a generic plan.
   */
  commandsOfGatewayFirst: prepared(
    'commands-of-gateway-first',
    `SELECT ${COMMAND_COLUMNS} FROM commands WHERE tenant_id = $1 AND gateway_id = $2 AND ($3::text IS NULL OR state = $3)
       ORDER BY created_at DESC, id DESC LIMIT $4`,
  ),
  commandsOfGatewayAfter: prepared(
    'commands-of-gateway-after',
    `SELECT ${COMMAND_COLUMNS} FROM commands WHERE tenant_id = $1 AND gateway_id = $2 AND ($3::text IS NULL OR state = $3)
       AND (created_at, id) < ($5::timestamptz, $6::uuid) ORDER BY created_at DESC, id DESC LIMIT $4`,
  ),
  /** Which of the given tenants owns the row (GraphQL scopes follow an object to its tenant). */
  tenantOfCommand: `SELECT tenant_id FROM commands WHERE id = $1 AND tenant_id = ANY($2::uuid[])`,
  /** Which of the given tenants owns the row (GraphQL scopes follow an object to its tenant). */
  tenantOfBulkCommand: `SELECT tenant_id FROM bulk_commands WHERE id = $1 AND tenant_id = ANY($2::uuid[])`,
} satisfies Statements;

const json = (value: Record<string, unknown> | null | undefined): string | null =>
  value === null || value === undefined ? null : JSON.stringify(value);

/**
 * The commands part's tables: commands, command_history, bulk_commands, bulk_command_targets.
 * Methods that take a `manager` run in the caller's transaction.
 */
@Injectable()
export class CommandsStore {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** The one of `tenantIds` that owns Command `id`, or null. */
  async tenantOfCommand(id: string, tenantIds: readonly string[]): Promise<string | null> {
    const rows: { tenant_id: string }[] = await this.dataSource.query(STATEMENTS.tenantOfCommand, [id, tenantIds]);
    return rows[0]?.tenant_id ?? null;
  }

  /** The one of `tenantIds` that owns BulkCommand `id`, or null. */
  async tenantOfBulkCommand(id: string, tenantIds: readonly string[]): Promise<string | null> {
    const rows: { tenant_id: string }[] = await this.dataSource.query(STATEMENTS.tenantOfBulkCommand, [id, tenantIds]);
    return rows[0]?.tenant_id ?? null;
  }

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  // --- hand-out and gateway updates (hot paths) ---

  /** Claims up to `limit` waiting commands of each gateway, oldest first (one autocommit statement). */
  claimWaitingOfGateways(gatewayIds: string[], limit: number): Promise<VersionedRow[]> {
    return queryReturning<VersionedRow>(this.dataSource.manager, STATEMENTS.claimWaitingCommandsOfGateways, [gatewayIds, limit]);
  }

  /** The gateway's command with its row version, locked for `manager`'s transaction if asked. */
  async gatewayCommand(manager: EntityManager, commandId: string, gatewayId: string, lock: boolean): Promise<VersionedRow | undefined> {
    const [row] = await queryReturning<VersionedRow>(manager, lock ? STATEMENTS.lockGatewayCommand : STATEMENTS.readGatewayCommand, [
      commandId,
      gatewayId,
    ]);
    return row;
  }

  /** The command's row and a history entry, in `manager`'s transaction. */
  async saveWithHistory(manager: EntityManager, command: CommandEntity, source: HistorySource): Promise<void> {
    await manager.query(STATEMENTS.saveCommandWithHistory, [
      command.tenantId,
      command.id,
      command.state,
      command.progressPercent,
      command.message,
      json(command.result),
      command.errorCode,
      command.acknowledgedAt,
      command.endedAt,
      source,
    ]);
  }

  /** Optimistic saves with history, audit and events, in one autocommit statement: the ids saved and their new versions. */
  saveVersions(batch: VersionedSave[]): Promise<{ id: string; version: string }[]> {
    // Keys in the statement's column names; null is SQL NULL (a JSON null result too, as before).
    const saves = batch.map(({ command: c, source, version }) => ({
      tenant_id: c.tenantId,
      id: c.id,
      state: c.state,
      progress_percent: c.progressPercent,
      message: c.message,
      result: c.result ?? null,
      error_code: c.errorCode,
      acknowledged_at: c.acknowledgedAt,
      ended_at: c.endedAt,
      source,
      version,
    }));
    return queryReturning<{ id: string; version: string }>(this.dataSource.manager, STATEMENTS.saveCommandVersions, [
      JSON.stringify(saves),
      ...changeArrays(batch.map((entry) => entry.change)),
    ]);
  }

  /** Appends history rows for many commands in one statement. */
  async appendHistory(manager: EntityManager, rows: { command: CommandEntity; source: HistorySource }[]): Promise<void> {
    if (!rows.length) return;
    await manager.query(STATEMENTS.appendCommandHistory, [
      rows.map((r) => r.command.tenantId),
      rows.map((r) => r.command.id),
      rows.map((r) => r.source),
      rows.map((r) => r.command.state),
      rows.map((r) => r.command.progressPercent),
      rows.map((r) => r.command.message),
      rows.map((r) => r.command.errorCode),
    ]);
  }

  async insert(manager: EntityManager, commands: CommandEntity[]): Promise<void> {
    await manager.query(STATEMENTS.insertCommands, [
      commands.map((c) => c.id),
      commands.map((c) => c.tenantId),
      commands.map((c) => c.gatewayId),
      commands.map((c) => c.bulkId),
      commands.map((c) => c.sequence),
      commands.map((c) => c.type),
      commands.map((c) => JSON.stringify(c.parameters)),
      commands.map((c) => c.state),
      commands.map((c) => c.deliverBy),
      commands.map((c) => c.timeoutSeconds),
      commands.map((c) => c.createdBy),
    ]);
  }

  // --- reads for users and the system ---

  /** A tenant's command, locked for `manager`'s transaction if asked. */
  findForTenant(manager: EntityManager, tenantId: string, commandId: string, lock = false): Promise<CommandEntity | null> {
    return manager.findOne(CommandEntity, {
      where: { id: commandId, tenantId },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
  }

  lock(manager: EntityManager, commandId: string): Promise<CommandEntity | null> {
    return manager.findOne(CommandEntity, { where: { id: commandId }, lock: { mode: 'pessimistic_write' } });
  }

  /** The gateways' commands in `states`, locked, by gateway and oldest first. */
  lockOfGateways(manager: EntityManager, gatewayIds: string[], states: CommandState[]): Promise<CommandEntity[]> {
    if (!gatewayIds.length) return Promise.resolve([]);
    return manager.find(CommandEntity, {
      where: { gatewayId: gatewayIds.length === 1 ? gatewayIds[0] : In(gatewayIds), state: In(states) },
      lock: { mode: 'pessimistic_write' },
      order: { gatewayId: 'ASC', sequence: 'ASC' },
    });
  }

  /** Any command as it is now (a migration reads its APPLY_CONFIGURATION's end). */
  find(manager: EntityManager, commandId: string): Promise<CommandEntity | null> {
    return manager.findOne(CommandEntity, { where: { id: commandId } });
  }

  /** Raw rows mapped by hand: TypeORM's query building and hydration cost more CPU than the page query. */
  async listForGateway(
    tenantId: string,
    gatewayId: string,
    state: CommandState | undefined,
    page: PageRequest,
  ): Promise<Page<CommandEntity>> {
    const limit = pageLimit(page);
    const after = page.cursor ? decodeCursor(page.cursor) : null;
    const rows: CommandRow[] = after
      ? await this.dataSource.query(STATEMENTS.commandsOfGatewayAfter, [tenantId, gatewayId, state ?? null, limit + 1, after.at, after.id])
      : await this.dataSource.query(STATEMENTS.commandsOfGatewayFirst, [tenantId, gatewayId, state ?? null, limit + 1]);
    const items = rows.slice(0, limit).map(commandFromRow);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null };
  }

  history(commandId: string): Promise<CommandHistoryEntity[]> {
    return this.dataSource.manager.find(CommandHistoryEntity, { where: { commandId }, order: { id: 'ASC' } });
  }

  /** A tenant's commands counted by state (the fleet status). */
  countByState(tenantId: string): Promise<{ key: string; count: number }[]> {
    return this.dataSource.query(STATEMENTS.commandsByState, [tenantId]);
  }

  async gatewaysWithUnflaggedCommands(grace: string, limit: number): Promise<string[]> {
    const rows: { gateway_id: string }[] = await this.dataSource.query(STATEMENTS.gatewaysWithUnflaggedCommands, [grace, limit]);
    return rows.map((row) => row.gateway_id);
  }

  /** The state and deliveries of each command that exists, by id. */
  async deadlineStates(commandIds: string[]): Promise<Map<string, { state: CommandState; deliveries: number }>> {
    const rows: { id: string; state: CommandState; deliveries: number }[] = commandIds.length
      ? await this.dataSource.query(STATEMENTS.deadlineStates, [commandIds])
      : [];
    return new Map(rows.map((row) => [row.id, { state: row.state, deliveries: row.deliveries }]));
  }

  /** Open commands after `after` in id order, `limit` at a time, with what their deadlines need. */
  openCommandsAfter(after: string, limit: number): Promise<OpenCommandRow[]> {
    return this.dataSource.query(STATEMENTS.openCommandsAfter, [after, limit]);
  }

  overdue(
    grace: string,
    ackTimeout: string,
    limit: number,
  ): Promise<{ id: string; kind: 'deliver-by' | 'ack' | 'time-limit'; deliveries: number }[]> {
    return this.dataSource.query(STATEMENTS.overdueCommands, [grace, ackTimeout, limit]);
  }

  // --- bulk commands ---

  async staleBulkIds(grace: string, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(STATEMENTS.staleBulks, [grace, limit]);
    return rows.map((row) => row.id);
  }

  async lockBulk(manager: EntityManager, bulkId: string): Promise<BulkRow | undefined> {
    const [bulk] = await queryReturning<BulkRow>(manager, STATEMENTS.lockBulk, [bulkId]);
    return bulk;
  }

  findBulk(tenantId: string, bulkId: string): Promise<BulkCommandEntity | null> {
    return this.dataSource.manager.findOneBy(BulkCommandEntity, { id: bulkId, tenantId });
  }

  /** A bulk command's counts, read from its commands (the one source of truth). */
  async countBulk(manager: EntityManager, bulkId: string): Promise<{ started: number; ended: number; failed: number }> {
    const [counts] = await queryReturning<{ started: number; ended: number; failed: number }>(manager, STATEMENTS.countBulkCommands, [
      bulkId,
      [...ENDED_STATES],
      [...BULK_FAILURES],
    ]);
    return counts!;
  }

  async setBulkCounts(manager: EntityManager, bulkId: string, counts: { started: number; ended: number; failed: number }): Promise<void> {
    await manager.query(STATEMENTS.setBulkCounts, [bulkId, counts.started, counts.ended, counts.failed]);
  }

  /** Cancels the targets not yet started: the gateways they were for. */
  async cancelPendingTargets(manager: EntityManager, bulkId: string): Promise<string[]> {
    const rows = await queryReturning<{ gateway_id: string }>(manager, STATEMENTS.cancelPendingTargets, [bulkId]);
    return rows.map((row) => row.gateway_id);
  }

  async stopBulk(manager: EntityManager, bulkId: string, reason: string): Promise<void> {
    await manager.query(STATEMENTS.stopBulk, [bulkId, reason]);
  }

  async hasPendingTargets(manager: EntityManager, bulkId: string): Promise<boolean> {
    return (await manager.query(STATEMENTS.anyPendingTarget, [bulkId])).length > 0;
  }

  async completeBulk(manager: EntityManager, bulkId: string): Promise<void> {
    await manager.query(STATEMENTS.completeBulk, [bulkId]);
  }

  lockPendingTargets(manager: EntityManager, bulkId: string, limit: number): Promise<{ gateway_id: string; live: boolean }[]> {
    return manager.query(STATEMENTS.lockPendingTargets, [bulkId, limit]);
  }

  async cancelTargets(manager: EntityManager, bulkId: string, gatewayIds: string[]): Promise<void> {
    await manager.query(STATEMENTS.cancelTargets, [bulkId, gatewayIds]);
  }

  /** Marks targets started with their commands, and counts them on the bulk. */
  async startTargets(manager: EntityManager, bulkId: string, commands: { gatewayId: string; id: string }[]): Promise<void> {
    await manager.query(STATEMENTS.startTargets, [bulkId, commands.map((c) => c.gatewayId), commands.map((c) => c.id)]);
    await manager.query(STATEMENTS.addStartedToBulk, [bulkId, commands.length]);
  }

  async insertBulk(
    manager: EntityManager,
    bulk: Pick<
      BulkRow,
      | 'id'
      | 'tenant_id'
      | 'type'
      | 'parameters'
      | 'deliver_by'
      | 'timeout_seconds'
      | 'max_concurrency'
      | 'max_errors'
      | 'max_errors_percent'
    > & { createdBy: string },
    targetGatewayIds: string[],
    skippedGatewayIds: string[] = [],
  ): Promise<void> {
    await manager.query(STATEMENTS.insertBulk, [
      bulk.id,
      bulk.tenant_id,
      bulk.type,
      JSON.stringify(bulk.parameters),
      bulk.deliver_by,
      bulk.timeout_seconds,
      bulk.max_concurrency,
      bulk.max_errors,
      bulk.max_errors_percent,
      targetGatewayIds.length + skippedGatewayIds.length,
      bulk.createdBy,
    ]);
    await manager.query(STATEMENTS.insertBulkTargets, [bulk.id, targetGatewayIds]);
    if (skippedGatewayIds.length)
      await manager.query(STATEMENTS.insertSkippedBulkTargets, [bulk.id, skippedGatewayIds, targetGatewayIds.length]);
  }

  /** A bulk's targets counted by their command's state (or the target's, before it started). */
  bulkTargetCounts(bulkId: string): Promise<{ key: string; count: number }[]> {
    return this.dataSource.query(STATEMENTS.bulkTargetCounts, [bulkId]);
  }

  /** The counts of each of many bulk commands, in one statement (every id has an entry). */
  async bulkTargetCountsOf(bulkIds: readonly string[]): Promise<Map<string, { key: string; count: number }[]>> {
    const counts = new Map<string, { key: string; count: number }[]>(bulkIds.map((id) => [id, []]));
    if (!bulkIds.length) return counts;
    const rows: { bulk_id: string; key: string; count: number }[] = await this.dataSource.query(STATEMENTS.bulkTargetCountsOf, [bulkIds]);
    for (const row of rows) counts.get(row.bulk_id)?.push({ key: row.key, count: row.count });
    return counts;
  }

  /** A tenant's bulk commands, newest first. */
  listBulks(tenantId: string, page: PageRequest): Promise<Page<BulkCommandEntity>> {
    const query = this.dataSource.manager.createQueryBuilder(BulkCommandEntity, 'b').where('b.tenant_id = :tenantId', { tenantId });
    return paginate(query, page, { alias: 'b', column: 'created_at', property: 'createdAt' });
  }

  /**
   * The newest `first` commands of each gateway (after a cursor, for the next page), in one
   * statement: a window over the `(tenant_id, gateway_id, created_at)` rows. One more than asked
   * tells whether another page follows.
   */
  async latestOf(
    tenantId: string,
    gatewayIds: readonly string[],
    page: { first: number; after?: { at: string; id: string } },
  ): Promise<Map<string, Page<CommandEntity>>> {
    const pages = new Map<string, Page<CommandEntity>>(gatewayIds.map((id) => [id, { items: [], nextCursor: null }]));
    const wanted = gatewayIds.filter(isUuid);
    if (!wanted.length) return pages;
    const ranked = this.dataSource.manager
      .createQueryBuilder(CommandEntity, 'c')
      .select('c.id', 'id')
      .addSelect('row_number() OVER (PARTITION BY c.gateway_id ORDER BY c.created_at DESC, c.id DESC)', 'rank')
      .where('c.tenant_id = :tenantId AND c.gateway_id = ANY(:ids)', { tenantId, ids: wanted });
    if (page.after)
      ranked.andWhere('(c.created_at, c.id) < (:afterAt::timestamptz, :afterId::uuid)', { afterAt: page.after.at, afterId: page.after.id });
    const rows = await this.dataSource.manager
      .createQueryBuilder(CommandEntity, 'c')
      .innerJoin(`(${ranked.getQuery()})`, 'r', 'r.id = c.id')
      .where('r.rank <= :limit', { limit: page.first + 1 })
      .setParameters(ranked.getParameters())
      .orderBy('c.created_at', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .getMany();
    for (const row of rows) {
      const current = pages.get(row.gatewayId);
      if (!current) continue;
      if (current.items.length < page.first) current.items.push(row);
      else
        current.nextCursor = encodeCursor({
          at: current.items[current.items.length - 1]!.createdAt,
          id: current.items[current.items.length - 1]!.id,
        });
    }
    return pages;
  }

  /** Commands of a tenant by id, in one query. */
  async getMany(tenantId: string, ids: readonly string[]): Promise<Map<string, CommandEntity>> {
    const wanted = ids.filter(isUuid);
    if (!wanted.length) return new Map();
    const rows = await this.dataSource.manager
      .createQueryBuilder(CommandEntity, 'c')
      .where('c.tenant_id = :tenantId AND c.id = ANY(:ids)', { tenantId, ids: wanted })
      .getMany();
    return new Map(rows.map((row) => [row.id, row]));
  }

  /** The commands of many bulk commands, newest first, in one query. */
  async ofBulks(tenantId: string, bulkIds: readonly string[]): Promise<Map<string, CommandEntity[]>> {
    const byBulk = new Map<string, CommandEntity[]>(bulkIds.map((id) => [id, []]));
    const wanted = bulkIds.filter(isUuid);
    if (!wanted.length) return byBulk;
    const rows = await this.dataSource.manager
      .createQueryBuilder(CommandEntity, 'c')
      .where('c.tenant_id = :tenantId AND c.bulk_id = ANY(:ids)', { tenantId, ids: wanted })
      .orderBy('c.created_at', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .getMany();
    for (const row of rows) if (row.bulkId) byBulk.get(row.bulkId)?.push(row);
    return byBulk;
  }
}

export const COMMAND_OWNER = tenantOwnerLookup(CommandsStore, (store, id, tenants) => store.tenantOfCommand(id, tenants));

export const BULK_COMMAND_OWNER = tenantOwnerLookup(CommandsStore, (store, id, tenants) => store.tenantOfBulkCommand(id, tenants));
