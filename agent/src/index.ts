export { GatewayAgent, AgentFatalError, type AgentOptions, type AgentStatus, type AgentEvents, type StopReason } from './agent.js';
export { Backoff, backoffWindowMs, retryDelayMs, PROTOCOL_BACKOFF, type BackoffPolicy } from './backoff.js';
export {
  BUILT_IN_HANDLERS,
  CommandError,
  ping,
  applyConfiguration,
  collectLogs,
  type CommandContext,
  type CommandHandler,
} from './handlers.js';
export { call, retryAfterMs, type ProtocolResponse } from './http.js';
export type { InventoryProvider, InventoryReport } from './inventory/inventory.js';
export { HostInventory, primaryAddress } from './inventory/host.js';
export { MicroK8sInventory, nodesFromKubectl, parseQuantity, type MicroK8sOptions } from './inventory/microk8s.js';
export { StaticInventory, FileInventory } from './inventory/static.js';
export { Logger, type LogLevel, type LogLine, type LoggerOptions } from './logger.js';
export { GatewaySession, type SessionOptions } from './session.js';
export { FileStateStore, MemoryStateStore, newState, type AgentState, type StateStore } from './state.js';
export type * from './protocol/types.js';
