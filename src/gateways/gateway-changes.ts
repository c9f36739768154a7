import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../platform/auth/principal.js';
import type { AfterCommit } from '../platform/database/after-commit.js';
import type { ActivationTokenEntity } from '../profiles/activation-token.entity.js';
import type { GatewayType } from '../profiles/profile-status.js';
import type { GatewayEntity } from './gateway.entity.js';
import type { ProtocolCommand } from './protocol-command.js';

export interface DeregisteredGateway {
  id: string;
  tenantId: string;
  profileId: string;
  actor: Actor;
}

export interface RestartedGateway {
  id: string;
  tenantId: string;
  previousBootId: string;
  bootId: string;
}

/**
 * What other parts of the domain do when something happens to a gateway, without the gateways
 * part depending on them (commands build on gateways, not the other way round). Each hook runs
 * inside the transaction of the change it reacts to.
 */
export interface Registering {
  token: ActivationTokenEntity;
  profileId: string;
  tenantId: string;
  gatewayType: GatewayType;
  activeGateway: GatewayEntity | null;
}

export interface GatewayLifecycleHandler {
  /** A registration is about to be made: throw to refuse it (a migration allows only its own token). */
  onRegistering?(manager: EntityManager, registering: Registering, after: AfterCommit): Promise<void>;
  /** A new gateway registered (not a retry). */
  onRegistered?(manager: EntityManager, gateway: GatewayEntity, token: ActivationTokenEntity, after: AfterCommit): Promise<void>;
  /** The gateway left: its waiting commands end ABORTED. */
  onDeregistered?(manager: EntityManager, gateway: DeregisteredGateway): Promise<void>;
  /** A heartbeat came with a new boot id: work it had under the old boot was interrupted. */
  onRestarted?(manager: EntityManager, gateway: RestartedGateway): Promise<void>;
}

/** Hands out the commands waiting for a gateway (heartbeat answer); provided by the commands part. */
export interface CommandHandOut {
  handOut(gateway: { id: string; tenantId: string }): Promise<ProtocolCommand[]>;
}

@Injectable()
export class GatewayHooks {
  private readonly handlers: GatewayLifecycleHandler[] = [];
  private commandHandOut: CommandHandOut | null = null;

  register(handler: GatewayLifecycleHandler): void {
    this.handlers.push(handler);
  }

  provideCommandHandOut(handOut: CommandHandOut): void {
    this.commandHandOut = handOut;
  }

  async registering(manager: EntityManager, registering: Registering, after: AfterCommit): Promise<void> {
    for (const handler of this.handlers) await handler.onRegistering?.(manager, registering, after);
  }

  async registered(manager: EntityManager, gateway: GatewayEntity, token: ActivationTokenEntity, after: AfterCommit): Promise<void> {
    for (const handler of this.handlers) await handler.onRegistered?.(manager, gateway, token, after);
  }

  async deregistered(manager: EntityManager, gateway: DeregisteredGateway): Promise<void> {
    for (const handler of this.handlers) await handler.onDeregistered?.(manager, gateway);
  }

  async restarted(manager: EntityManager, gateway: RestartedGateway): Promise<void> {
    for (const handler of this.handlers) await handler.onRestarted?.(manager, gateway);
  }

  async handOut(gateway: { id: string; tenantId: string }): Promise<ProtocolCommand[]> {
    return this.commandHandOut ? this.commandHandOut.handOut(gateway) : [];
  }
}
