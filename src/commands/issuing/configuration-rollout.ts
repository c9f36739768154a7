import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AfterCommit } from '../../platform/database/after-commit.js';
import { GatewaysStore } from '../../gateways/gateways.store.js';
import { ProfileHooks, type ConfigurationChange } from '../../profiles/profile-hooks.js';
import { CommandFactory } from './command-factory.service.js';
import { DEFAULT_DELIVER_BY_MS, DEFAULT_TIMEOUT_SECONDS } from './commands.service.js';

/** A profile's new configuration goes to its active gateway as an APPLY_CONFIGURATION command. */
@Injectable()
export class ConfigurationRollout implements OnModuleInit {
  constructor(
    @Inject(ProfileHooks) private readonly profileHooks: ProfileHooks,
    @Inject(CommandFactory) private readonly factory: CommandFactory,
    @Inject(GatewaysStore) private readonly gateways: GatewaysStore,
  ) {}

  onModuleInit(): void {
    this.profileHooks.onConfigurationChanged((manager, change, after) => this.queueToActiveGateway(manager, change, after));
  }

  async queueToActiveGateway(manager: EntityManager, change: ConfigurationChange, after: AfterCommit): Promise<void> {
    const gatewayId = await this.gateways.lockActiveOfProfile(manager, change.profileId);
    if (!gatewayId) return;
    await this.factory.createMany(
      manager,
      [
        {
          tenantId: change.tenantId,
          gatewayId,
          type: 'APPLY_CONFIGURATION',
          parameters: { version: change.version },
          deliverBy: new Date(Date.now() + DEFAULT_DELIVER_BY_MS),
          timeoutSeconds: DEFAULT_TIMEOUT_SECONDS,
        },
      ],
      change.actor,
      after,
    );
  }
}
