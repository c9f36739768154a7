import { Inject, Injectable } from '@nestjs/common';
import { GatewayLiveState } from '../../gateways/gateway-live-state.js';
import { CommandsStore } from '../commands.store.js';
import { CommandWakeups } from '../hand-out/command-wakeups.js';
import { CommandTimers } from '../lifecycle/command-timers.js';

const PAGE = 1_000;

/**
 * What the commands keep in Redis, rebuilt from Postgres after Redis lost its data for good: every
 * open command's deadline as its delayed job again (same deterministic ids, at the time Postgres
 * says, so a deadline already past runs at once), and the "commands waiting" flag of every gateway
 * with a command to hand out, with a wake-up for any poll already held.
 */
@Injectable()
export class CommandRedisRebuild {
  constructor(
    @Inject(CommandsStore) private readonly store: CommandsStore,
    @Inject(CommandTimers) private readonly timers: CommandTimers,
    @Inject(GatewayLiveState) private readonly live: GatewayLiveState,
    @Inject(CommandWakeups) private readonly wakeups: CommandWakeups,
  ) {}

  async rebuild(): Promise<{ commands: number; flaggedGateways: number }> {
    let after = '00000000-0000-0000-0000-000000000000';
    let commands = 0;
    const waiting = new Set<string>();
    for (;;) {
      // Paged by id: a large backlog is rebuilt a thousand commands at a time.
      const rows = await this.store.openCommandsAfter(after, PAGE);
      if (!rows.length) break;
      after = rows[rows.length - 1].id;
      commands += rows.length;
      const handOut = rows.filter((row) => row.state === 'QUEUED' || row.state === 'DELIVERED');
      await this.timers.deliverBy(handOut.map((row) => ({ id: row.id, deliverBy: row.deliver_by })));
      const delivered = rows.filter((row) => row.state === 'DELIVERED');
      await this.timers.redelivery(
        delivered.map((row) => ({
          id: row.id,
          deliveries: row.deliveries,
          delayMs: Math.max(0, row.delivered_at!.getTime() + this.timers.ackTimeoutMs - Date.now()),
        })),
      );
      for (const row of rows.filter((r) => r.state === 'ACKNOWLEDGED' || r.state === 'RUNNING')) {
        await this.timers.timeLimit({ id: row.id, acknowledgedAt: row.started_at, timeoutSeconds: row.timeout_seconds });
      }
      for (const row of rows) if (row.state === 'QUEUED' && row.deliver_by.getTime() > Date.now()) waiting.add(row.gateway_id);
    }
    const gatewayIds = [...waiting];
    await this.live.markCommandsWaiting(gatewayIds);
    if (gatewayIds.length) await this.wakeups.publish(gatewayIds);
    return { commands, flaggedGateways: gatewayIds.length };
  }
}
