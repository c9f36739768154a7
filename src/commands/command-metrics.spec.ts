import { describe, expect, it } from 'vitest';
import { EventTopic } from '../platform/events/topics.js';
import { Metrics } from '../platform/metrics/catalog.js';
import type { ReactionPayloads } from '../platform/reactions/reaction-catalog.js';
import { CommandMetrics } from './command-metrics.js';
import type { CommandTimingsStore } from './command-timings.store.js';
import type { CommandUpdatedEvent } from './lifecycle/command-changes.js';

const countOf = async (histogram: typeof Metrics.commandQueueToDelivery, labels: Record<string, string>): Promise<number> => {
  const { values } = await histogram.get();
  const match = values.find(
    (value) =>
      value.metricName?.endsWith('_count') &&
      Object.entries(labels).every(([key, label]) => (value.labels as Record<string, unknown>)[key] === label),
  );
  return match?.value ?? 0;
};

describe('CommandMetrics', () => {
  it('records both latencies when one batch holds a command hand-out and its end', async () => {
    const commandId = '0b5a0c1e-0000-4000-8000-000000000001';
    const store = {
      times: async (ids: string[]) => {
        expect(ids).toEqual([commandId]); // the command's times are read once for both changes
        return [{ id: commandId, createdAt: new Date(1_000), deliveredAt: new Date(1_500), endedAt: new Date(4_000) }];
      },
    } as unknown as CommandTimingsStore;
    const change = (previousState: CommandUpdatedEvent['previousState'], state: CommandUpdatedEvent['state']) => ({
      topic: EventTopic.CommandUpdated,
      payload: { commandId, type: 'METRICS_SPEC', previousState, state } as CommandUpdatedEvent,
    });
    const type = { type: 'METRICS_SPEC' };
    const ended = { type: 'METRICS_SPEC', state: 'FAILED' };
    const deliveredBefore = await countOf(Metrics.commandQueueToDelivery, type);
    const endedBefore = await countOf(Metrics.commandDeliveryToEnd, ended);

    await new CommandMetrics(store).observe({
      events: [change('QUEUED', 'DELIVERED'), change('DELIVERED', 'FAILED')],
    } as unknown as ReactionPayloads['outbox.relayed.command-metrics']);
    await new Promise((resolve) => setTimeout(resolve, 10)); // the latencies are recorded after the store's answer

    expect((await countOf(Metrics.commandQueueToDelivery, type)) - deliveredBefore).toBe(1);
    expect((await countOf(Metrics.commandDeliveryToEnd, ended)) - endedBefore).toBe(1);
  });
});
