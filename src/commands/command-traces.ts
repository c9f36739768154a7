import { Inject, Injectable } from '@nestjs/common';
import { REDIS, RedisConnections, type RedisClient } from '../platform/redis/redis.module.js';
import { currentCarrier, eventSpan, inSpanOf, tracingOn, type TraceCarrier } from '../platform/tracing/tracing.js';

/** How long a command's trace context is kept: past any deadline a command may have. */
const KEEP_SECONDS = 7 * 86_400;

/**
 * One command, one trace: the REST call (or bulk job) that queued it, its hand-out to the gateway
 * and every update the gateway sends arrive in different requests, so the queuing span's context
 * is kept in Redis under the command's id and the later spans continue it (linked to the request
 * that carried them). With tracing off every method returns at once.
 */
@Injectable()
export class CommandTraces {
  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(RedisConnections) private readonly connections: RedisConnections,
  ) {}

  private key(commandId: string): string {
    return this.connections.key('trace', 'command', commandId);
  }

  /** `command.queued`, a child of the current span; its context is kept for what follows. */
  async queued(commands: { id: string; type: string; gatewayId: string; bulkId: string | null }[]): Promise<void> {
    if (!tracingOn() || !commands.length) return;
    const carriers: [string, TraceCarrier][] = [];
    for (const command of commands) {
      await inSpanOf(
        'command.queued',
        currentCarrier(),
        {
          'command.id': command.id,
          'command.type': command.type,
          'gateway.id': command.gatewayId,
          ...(command.bulkId ? { 'bulk.id': command.bulkId } : {}),
        },
        async () => {
          const carrier = currentCarrier();
          if (carrier) carriers.push([command.id, carrier]);
        },
      );
    }
    await Promise.all(carriers.map(([id, carrier]) => this.redis.set(this.key(id), JSON.stringify(carrier), 'EX', KEEP_SECONDS)));
  }

  /** `command.handed-out` in each command's trace, linked to the heartbeat or poll that carried it. */
  async handedOut(commands: { id: string; type: string; gatewayId: string }[]): Promise<void> {
    if (!tracingOn() || !commands.length) return;
    const stored = await this.redis.mget(commands.map((command) => this.key(command.id)));
    commands.forEach((command, i) =>
      eventSpan('command.handed-out', parse(stored[i]), {
        'command.id': command.id,
        'command.type': command.type,
        'gateway.id': command.gatewayId,
      }),
    );
  }

  /** `command.updated` in the command's trace, with the state the gateway reported. */
  async updated(commandId: string, state: string, applied: boolean): Promise<void> {
    if (!tracingOn()) return;
    eventSpan('command.updated', parse(await this.redis.get(this.key(commandId))), {
      'command.id': commandId,
      'command.state': state,
      'command.applied': String(applied),
    });
  }
}

function parse(value: string | null | undefined): TraceCarrier | undefined {
  if (!value) return undefined;
  try {
    return JSON.parse(value) as TraceCarrier;
  } catch {
    return undefined;
  }
}
