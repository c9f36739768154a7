import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../platform/auth/principal.js';
import type { AfterCommit } from '../platform/database/after-commit.js';

export interface ConfigurationChange {
  tenantId: string;
  profileId: string;
  version: number;
  actor: Actor;
}

/**
 * What other parts do when a profile's configuration changes (the commands part queues
 * APPLY_CONFIGURATION to the active gateway), inside the change's transaction, without the
 * profiles part depending on them.
 */
@Injectable()
export class ProfileHooks {
  private readonly configurationHandlers: ((manager: EntityManager, change: ConfigurationChange, after: AfterCommit) => Promise<void>)[] = [];

  onConfigurationChanged(handler: (manager: EntityManager, change: ConfigurationChange, after: AfterCommit) => Promise<void>): void {
    this.configurationHandlers.push(handler);
  }

  async configurationChanged(manager: EntityManager, change: ConfigurationChange, after: AfterCommit): Promise<void> {
    for (const handler of this.configurationHandlers) await handler(manager, change, after);
  }
}
