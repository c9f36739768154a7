import type { RecordedChange } from '../../platform/audit/change-recorder.js';
import { prepared } from '../../platform/database/sql.js';
import type { Actor } from '../../platform/auth/principal.js';
import { EventTopic } from '../../platform/events/topics.js';
import type { CommandState } from '../command-state.js';
import type { CommandEntity } from '../command.entity.js';

/** The outgoing event of every command change (GraphQL subscription commandUpdated). */
export interface CommandUpdatedEvent {
  commandId: string;
  gatewayId: string;
  tenantId: string;
  bulkId: string | null;
  type: string;
  previousState: CommandState | null;
  state: CommandState;
  progressPercent: number | null;
  message: string | null;
  errorCode: string | null;
  updatedAt: string;
}

export type HistorySource = 'gateway' | 'system' | 'api-client';

export const sourceOf = (actor: Actor): HistorySource => (actor.type === 'system' ? 'system' : actor.type);

/** The audit event and outgoing event of one change of a command, written with the change. */
export function commandChange(command: CommandEntity, previousState: CommandState | null, actor: Actor, action: string): RecordedChange {
  const event: CommandUpdatedEvent = {
    commandId: command.id,
    gatewayId: command.gatewayId,
    tenantId: command.tenantId,
    bulkId: command.bulkId,
    type: command.type,
    previousState,
    state: command.state,
    progressPercent: command.progressPercent,
    message: command.message,
    errorCode: command.errorCode,
    updatedAt: new Date().toISOString(),
  };
  return {
    tenantId: command.tenantId,
    actor,
    action,
    targetType: 'command',
    targetId: command.id,
    before: previousState ? { state: previousState } : null,
    after: {
      state: command.state,
      gatewayId: command.gatewayId,
      type: command.type,
      ...(action === 'command.queued' ? { parameters: command.parameters, sequence: Number(command.sequence) } : {}),
      ...(command.progressPercent !== null ? { progressPercent: command.progressPercent } : {}),
      ...(command.errorCode ? { errorCode: command.errorCode } : {}),
    },
    event: { topic: EventTopic.CommandUpdated, payload: event },
  };
}

/**
 * `commandChange` of a hand-out (QUEUED → DELIVERED by the gateway) for each row of the CTE
 * `claimed`, built by Postgres as the CTE `delivered_change` (columns of `unnestChanges`, for
 * `insertChangesFrom`): the hand-out learns its rows only as it claims them, and this way claims,
 * records the history, audits and publishes in one statement. Keep the JSON in step with
 * `commandChange` (test/commands.e2e-spec.ts reads both kinds of audit event and outgoing event).
 */
export const DELIVERED_CHANGE = `delivered_change AS (
      SELECT tenant_id, 'gateway' AS actor_type, gateway_id::text AS actor_id, 'command.delivered' AS action, 'command' AS target_type,
             id AS target_id, '{"state": "QUEUED"}'::jsonb AS before,
             jsonb_strip_nulls(jsonb_build_object('state', state, 'gatewayId', gateway_id, 'type', type, 'progressPercent', progress_percent, 'errorCode', error_code)) AS after,
             '${EventTopic.CommandUpdated}' AS topic,
             jsonb_build_object(
               'commandId', id, 'gatewayId', gateway_id, 'tenantId', tenant_id, 'bulkId', bulk_id, 'type', type,
               'previousState', 'QUEUED', 'state', state, 'progressPercent', progress_percent, 'message', message,
               'errorCode', error_code, 'updatedAt', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) AS payload
      FROM claimed)`;

/** Appends history rows for many commands in one statement. */
export async function appendHistory(
  manager: { query(sql: string, parameters?: unknown[]): Promise<unknown> },
  rows: { command: CommandEntity; source: HistorySource }[],
): Promise<void> {
  if (!rows.length) return;
  await manager.query(
    prepared(
      'append-command-history',
      `INSERT INTO command_history (tenant_id, command_id, source, state, progress_percent, message, error_code)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::int[], $6::text[], $7::text[])`,
    ),
    [
      rows.map((r) => r.command.tenantId),
      rows.map((r) => r.command.id),
      rows.map((r) => r.source),
      rows.map((r) => r.command.state),
      rows.map((r) => r.command.progressPercent),
      rows.map((r) => r.command.message),
      rows.map((r) => r.command.errorCode),
    ],
  );
}
