import { codesOf, errorOf, type ErrorCodes } from '../platform/errors/domain-error.js';
import { GATEWAY_ERRORS, GatewayErrors } from '../gateways/gateways.errors.js';

/** The validations part's codes and their one status each (see ErrorCodes); GATEWAY_NOT_ACTIVE and NODE_NOT_FOUND are the gateways part's. */
export const VALIDATION_ERRORS = {
  VALIDATION_NOT_FOUND: 404,
  VALIDATION_ALREADY_ENDED: 409,
  NOT_A_CLUSTER: 409,
  NODE_NOT_READY: 409,
  NO_OTHER_NODE: 409,
  VALIDATION_IN_PROGRESS: 409,
} as const satisfies ErrorCodes;

export const ValidationErrorCode = codesOf(VALIDATION_ERRORS);

export const ValidationErrors = {
  notFound: () => errorOf(VALIDATION_ERRORS, 'VALIDATION_NOT_FOUND', 'validation not found'),
  alreadyEnded: (state: string) => errorOf(VALIDATION_ERRORS, 'VALIDATION_ALREADY_ENDED', `the validation already ended (${state})`),
  gatewayDeregistered: () => GatewayErrors.notActive('the gateway is de-registered'),
  notACluster: () => errorOf(VALIDATION_ERRORS, 'NOT_A_CLUSTER', 'a node-failure drill needs a gateway cluster'),
  nodeNotFound: (node: string) => errorOf(GATEWAY_ERRORS, 'NODE_NOT_FOUND', `the gateway has no node ${node}`),
  nodeNotReady: (node: string) =>
    errorOf(VALIDATION_ERRORS, 'NODE_NOT_READY', `${node} is not a ready node of the gateway now: the drill starts from a node that runs`),
  nothingToFailOver: () =>
    errorOf(
      VALIDATION_ERRORS,
      'NO_OTHER_NODE',
      'the cluster has no other ready node for the apps to move to: high availability is not supported in this model',
    ),
  drillRunning: () => errorOf(VALIDATION_ERRORS, 'VALIDATION_IN_PROGRESS', 'a node-failure drill of this gateway is running'),
};
