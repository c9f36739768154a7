import { DomainError } from '../platform/errors/domain-error.js';

export const CommandErrorCode = {
  COMMAND_NOT_FOUND: 'COMMAND_NOT_FOUND',
  BULK_COMMAND_NOT_FOUND: 'BULK_COMMAND_NOT_FOUND',
  COMMAND_ALREADY_ENDED: 'COMMAND_ALREADY_ENDED',
  GATEWAY_DEREGISTERED: 'GATEWAY_DEREGISTERED',
} as const;

export const CommandErrors = {
  notFound: () => new DomainError(CommandErrorCode.COMMAND_NOT_FOUND, 404, 'command not found'),
  bulkNotFound: () => new DomainError(CommandErrorCode.BULK_COMMAND_NOT_FOUND, 404, 'bulk command not found'),
  alreadyEnded: (state: string) =>
    new DomainError(CommandErrorCode.COMMAND_ALREADY_ENDED, 409, `the command has already ended (${state}): stop working on it`),
  gatewayDeregistered: () =>
    new DomainError(CommandErrorCode.GATEWAY_DEREGISTERED, 409, 'the gateway was de-registered and takes no more commands'),
};
