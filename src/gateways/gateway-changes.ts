import type { EntityManager } from 'typeorm';
import type { Actor } from '../platform/auth/principal.js';
import type { AfterCommit } from '../platform/database/after-commit.js';
import type { ActivationTokenEntity } from '../profiles/activation-token.entity.js';
import type { GatewayType } from '../profiles/profile-status.js';
import type { GatewayEntity } from './gateway.entity.js';

/**
 * What happens to a gateway that other parts react to inside the same transaction (see
 * platform/reactions/reaction-catalog.ts for who reacts and why).
 */
export interface DeregisteredGateway {
  manager: EntityManager;
  id: string;
  tenantId: string;
  profileId: string;
  actor: Actor;
}

/** Gateways whose heartbeats came from a new boot, written together (a power cut brings many back at once). */
export interface RestartedGateways {
  manager: EntityManager;
  gateways: { id: string; tenantId: string; previousBootId: string; bootId: string }[];
}

/** A registration about to be made: a reaction may throw to refuse it (a migration allows only its own token). */
export interface Registering {
  manager: EntityManager;
  after: AfterCommit;
  token: ActivationTokenEntity;
  profileId: string;
  tenantId: string;
  gatewayType: GatewayType;
}

/** A new gateway registered (not a retry). */
export interface Registered {
  manager: EntityManager;
  after: AfterCommit;
  gateway: GatewayEntity;
  token: ActivationTokenEntity;
}
