import type { GatewayPrincipal } from '../../platform/auth/principal.js';
import { next, type CommandState, type GatewayUpdateState } from '../command-state.js';
import type { CommandEntity } from '../command.entity.js';
import type { ChangeDetails } from '../lifecycle/command-lifecycle.service.js';

export interface GatewayUpdate {
  state: GatewayUpdateState;
  progressPercent?: number | null;
  message?: string | null;
  result?: Record<string, unknown> | null;
  errorCode?: string | null;
}

export type UpdateDecision = { kind: 'CHANGE'; to: CommandState | null } | { kind: 'NONE' } | { kind: 'REJECTED' };

/**
 * What a gateway's update does to the command as it is now: a move (`to`), progress while running
 * (`to` null: only when it is news), nothing (a repeat, or behind the command's state), or a
 * refusal (409) after an end.
 */
export function decideUpdate(command: Pick<CommandEntity, 'state' | 'progressPercent' | 'message'>, update: GatewayUpdate): UpdateDecision {
  const outcome = next(command.state, { type: 'GATEWAY_UPDATE', state: update.state });
  if (outcome.kind === 'REJECTED') return { kind: 'REJECTED' };
  if (outcome.kind === 'MOVED') return { kind: 'CHANGE', to: outcome.to };
  const progressed =
    update.state === 'RUNNING' &&
    command.state === 'RUNNING' &&
    ((update.progressPercent ?? -1) > (command.progressPercent ?? -1) ||
      (update.message !== undefined && update.message !== command.message));
  return progressed ? { kind: 'CHANGE', to: null } : { kind: 'NONE' };
}

export const updateDetails = (gateway: Pick<GatewayPrincipal, 'gatewayId'>, update: GatewayUpdate): ChangeDetails => ({
  actor: { type: 'gateway', id: gateway.gatewayId },
  progressPercent: update.progressPercent,
  message: update.message,
  result: update.state === 'SUCCEEDED' || update.state === 'FAILED' ? (update.result ?? null) : undefined,
  errorCode: update.state === 'FAILED' ? (update.errorCode ?? 'FAILED') : undefined,
});
