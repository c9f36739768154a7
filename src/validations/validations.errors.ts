import { DomainError } from '../platform/errors/domain-error.js';

export const ValidationErrors = {
  notFound: () => new DomainError('VALIDATION_NOT_FOUND', 404, 'validation not found'),
  alreadyEnded: (state: string) => new DomainError('VALIDATION_ALREADY_ENDED', 409, `the validation already ended (${state})`),
  gatewayDeregistered: () => new DomainError('GATEWAY_DEREGISTERED', 409, 'the gateway is de-registered'),
  notACluster: () => new DomainError('NOT_A_CLUSTER', 409, 'a node-failure drill needs a gateway cluster'),
  nodeNotFound: (node: string) => new DomainError('NODE_NOT_FOUND', 404, `the gateway has no node ${node}`),
  nodeNotReady: (node: string) => new DomainError('NODE_NOT_READY', 409, `${node} is not a ready node of the gateway now: the drill starts from a node that runs`),
  nothingToFailOver: () =>
    new DomainError('NO_OTHER_NODE', 409, 'the cluster has no other ready node for the apps to move to: high availability is not supported in this model'),
  drillRunning: () => new DomainError('VALIDATION_IN_PROGRESS', 409, 'a node-failure drill of this gateway is running'),
};
