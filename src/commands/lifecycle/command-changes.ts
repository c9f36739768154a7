import type { RecordedChange } from '../../platform/audit/change-recorder.js';
import type { Actor } from '../../platform/auth/principal.js';
import { EventTopic } from '../../platform/events/topics.js';
import type { CommandState } from '../command-state.js';
import type { CommandEntity } from '../command.entity.js';
import type { HistorySource } from '../commands.store.js';

export type { HistorySource };

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
