import { codesOf, errorOf, type ErrorCodes } from '../platform/errors/domain-error.js';
import { GatewayErrors } from '../gateways/gateways.errors.js';

/** The commands part's codes and their one status each (see ErrorCodes). */
export const COMMAND_ERRORS = {
  COMMAND_NOT_FOUND: 404,
  BULK_COMMAND_NOT_FOUND: 404,
  COMMAND_ALREADY_ENDED: 409,
} as const satisfies ErrorCodes;

export const CommandErrorCode = codesOf(COMMAND_ERRORS);

export const CommandErrors = {
  notFound: () => errorOf(COMMAND_ERRORS, 'COMMAND_NOT_FOUND', 'command not found'),
  bulkNotFound: () => errorOf(COMMAND_ERRORS, 'BULK_COMMAND_NOT_FOUND', 'bulk command not found'),
  alreadyEnded: (state: string) =>
    errorOf(COMMAND_ERRORS, 'COMMAND_ALREADY_ENDED', `the command has already ended (${state}): stop working on it`),
  /** 409 GATEWAY_NOT_ACTIVE (the gateways part's code). */
  gatewayDeregistered: () => GatewayErrors.notActive('the gateway was de-registered and takes no more commands'),
};
