import { Inject, Injectable } from '@nestjs/common';
import { ReactsTo } from '../../platform/reactions/reactions.js';
import { GatewaysStore } from '../../gateways/gateways.store.js';
import type { ConfigurationChange } from '../../profiles/configuration-change.js';
import { CommandFactory } from './command-factory.service.js';
import { DEFAULT_DELIVER_BY_MS, DEFAULT_TIMEOUT_SECONDS } from './commands.service.js';

/** A profile's new configuration goes to its active gateway as an APPLY_CONFIGURATION command. */
@Injectable()
export class ConfigurationRollout {
  constructor(
    @Inject(CommandFactory) private readonly factory: CommandFactory,
    @Inject(GatewaysStore) private readonly gateways: GatewaysStore,
  ) {}

  @ReactsTo('profile.configuration-changed')
  async queueToActiveGateway(change: ConfigurationChange): Promise<void> {
    const { manager, after } = change;
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
