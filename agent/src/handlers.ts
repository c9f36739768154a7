import type { GatewayAgent } from './agent.js';
import type { Logger } from './logger.js';
import type { ProtocolCommand } from './protocol/types.js';

/** What a command handler gets besides the command. */
export interface CommandContext {
  command: ProtocolCommand;
  /** Aborted when the command ended on the service's side (409 COMMAND_ALREADY_ENDED), its time limit passed, or the agent stops. */
  signal: AbortSignal;
  /** Reports RUNNING with this progress (0–100); resolves once the service has the update. */
  progress: (percent: number, message?: string) => Promise<void>;
  log: Logger;
  agent: GatewayAgent;
}

/** A command's work: resolves with its result (SUCCEEDED) or throws (FAILED; a CommandError names the errorCode). */
export type CommandHandler = (context: CommandContext) => Promise<Record<string, unknown> | void>;

/** A failure with a stable `errorCode` for the command's FAILED update. */
export class CommandError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A COLLECT_LOGS result stays well under the service's 64 KiB limit on a result. */
const MAX_LOG_BYTES = 48 * 1024;

/** PING: answers at once with the agent's identity and clock. */
export const ping: CommandHandler = async ({ agent }) => ({ pong: true, at: new Date().toISOString(), bootId: agent.session.bootId });

/**
 * APPLY_CONFIGURATION {version}: the configuration itself rides on heartbeat answers, so the agent
 * heartbeats at once, applies what comes back, and succeeds when it runs that version or a newer one.
 */
export const applyConfiguration: CommandHandler = async ({ command, agent }) => {
  const wanted = Number(command.parameters.version);
  if ((agent.configurationVersion ?? -1) < wanted) await agent.heartbeatNow();
  const applied = agent.configurationVersion ?? -1;
  if (applied < wanted)
    throw new CommandError('CONFIGURATION_NOT_AVAILABLE', `version ${wanted} was not offered; the agent runs version ${applied}`);
  return { configurationVersion: applied };
};

/** COLLECT_LOGS {sinceMinutes}: the agent's own recent log lines (newest kept when there are too many). */
export const collectLogs: CommandHandler = async ({ command, log }) => {
  const sinceMinutes = Number(command.parameters.sinceMinutes ?? 60);
  const lines = log.linesSince(new Date(Date.now() - sinceMinutes * 60_000)).map((line) => JSON.stringify(line));
  let bytes = 0;
  let first = lines.length;
  while (first > 0 && bytes + Buffer.byteLength(lines[first - 1]) + 1 <= MAX_LOG_BYTES) bytes += Buffer.byteLength(lines[--first]) + 1;
  return { sinceMinutes, lines: lines.slice(first), truncated: first > 0 };
};

/** The handlers every agent has unless told otherwise. */
export const BUILT_IN_HANDLERS: Record<string, CommandHandler> = {
  PING: ping,
  APPLY_CONFIGURATION: applyConfiguration,
  COLLECT_LOGS: collectLogs,
};
