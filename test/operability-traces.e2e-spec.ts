import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { SpanKind } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/app-config.js';
import { startTracing, stopTracing } from '../src/platform/tracing/tracing-sdk.js';
import { TEST_ENV } from './support/test-env.js';
import { waitFor } from './support/wait.js';
import type { TestApp } from './support/test-app.js';

/**
 * Tracing on with an in-memory exporter. The SDK starts before the application's modules are
 * imported (as main.ts does), so the instrumentations see pg, Fastify and http load.
 */
describe('one command, one trace', () => {
  const exporter = new InMemorySpanExporter();
  let t: TestApp;

  beforeAll(async () => {
    startTracing(
      loadConfig({ ...TEST_ENV, REDIS_URL: TEST_ENV.REDIS_URL || 'redis://x', DATABASE_URL: TEST_ENV.DATABASE_URL || 'postgres://x' }),
      { spanProcessors: [new SimpleSpanProcessor(exporter)] },
    );
    const { startTestApp } = await import('./support/test-app.js');
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
    await stopTracing();
  });

  /** A new partner and one registered, connected gateway of it (support modules imported after the tracing SDK started). */
  async function aPartnersGateway() {
    const { Api } = await import('./support/api.js');
    const { Fleet } = await import('./support/fleet.js');
    const api = new Api(t);
    const partner = await api.partner();
    const { gw } = await new Fleet(api, partner.tenantId, partner.token, t.url).gateway();
    return { api, partner, gw };
  }

  it("from the REST call that queued it, through its hand-out, to the gateway's final update", async () => {
    const { api, partner, gw } = await aPartnersGateway();
    const queued = await api.post(partner.token, `/api/v1/tenants/${partner.tenantId}/gateways/${gw.gatewayId}/commands`, { type: 'PING' });
    expect(queued.status).toBe(201);
    const commandId = queued.body.id as string;
    expect((await gw.pollCommands(0)).body.commands.map((command) => command.commandId)).toEqual([commandId]);
    expect((await gw.updateCommand(commandId, { state: 'RUNNING', progressPercent: 50 })).status).toBe(200);
    expect((await gw.updateCommand(commandId, { state: 'SUCCEEDED' })).status).toBe(200);

    const ofCommand = (span: ReadableSpan) => span.attributes['command.id'] === commandId;
    const spans = await waitFor(
      async () => exporter.getFinishedSpans(),
      (all) => all.some((span) => ofCommand(span) && span.name === 'command.updated' && span.attributes['command.state'] === 'SUCCEEDED'),
    );
    const names = () => spans.map((span) => `${span.name} ${span.spanContext().traceId.slice(0, 6)}`).join('\n');
    const queuedSpan = spans.find((span) => ofCommand(span) && span.name === 'command.queued');
    expect(queuedSpan, names()).toBeDefined();
    const traceId = queuedSpan!.spanContext().traceId;
    const inTrace = spans.filter((span) => span.spanContext().traceId === traceId);
    const byId = new Map(inTrace.map((span) => [span.spanContext().spanId, span]));

    // The REST call: an HTTP server span for the route, the command.queued span beneath it, and
    // the Postgres statements of the request inside the same trace.
    const ancestors = (span: ReadableSpan): ReadableSpan[] => {
      const parentId = span.parentSpanContext?.spanId;
      const parent = parentId ? byId.get(parentId) : undefined;
      return parent ? [parent, ...ancestors(parent)] : [];
    };
    const server = ancestors(queuedSpan!).find((span) => span.kind === SpanKind.SERVER);
    expect(server, names()).toBeDefined();
    expect(server!.attributes['http.route'] ?? server!.name).toContain('/api/v1/tenants/:tenantId/gateways/:gatewayId/commands');
    expect(
      inTrace.some((span) => span.attributes['db.system'] === 'postgresql' || span.attributes['db.system.name'] === 'postgresql'),
      names(),
    ).toBe(true);

    // The hand-out and every update continue that trace, each linked to the gateway's request.
    const handedOut = inTrace.filter((span) => span.name === 'command.handed-out' && ofCommand(span));
    expect(handedOut).toHaveLength(1);
    const updates = inTrace.filter((span) => span.name === 'command.updated' && ofCommand(span));
    expect(updates.map((span) => span.attributes['command.state'])).toEqual(['RUNNING', 'SUCCEEDED']);
    for (const span of [...handedOut, ...updates]) {
      expect(span.links).toHaveLength(1);
      const carrier = spans.find((other) => other.spanContext().spanId === span.links[0]!.context.spanId);
      expect(carrier, names()).toBeDefined();
      expect(carrier!.spanContext().traceId).not.toBe(traceId);
    }
    // The outgoing events of the command's changes were published in its trace too.
    expect(
      inTrace.some((span) => span.name === 'outbox.published'),
      names(),
    ).toBe(true);
  });

  it("a command that wakes a held long poll: its hand-out is linked to the gateway's poll request", async () => {
    const { api, partner, gw } = await aPartnersGateway();
    const polling = gw.pollCommands(10);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Queued while the poll waits: the hand-out runs on the wake-up, not in the poll's own request.
    const queued = await api.post(partner.token, `/api/v1/tenants/${partner.tenantId}/gateways/${gw.gatewayId}/commands`, { type: 'PING' });
    expect(queued.status).toBe(201);
    const commandId = queued.body.id as string;
    expect((await polling).body.commands.map((command) => command.commandId)).toEqual([commandId]);

    const isPollRequest = (span: ReadableSpan) =>
      span.kind === SpanKind.SERVER && String(span.attributes['http.route'] ?? span.name).includes('/gateway/v1/commands');
    const spans = await waitFor(
      async () => exporter.getFinishedSpans(),
      (all) => all.some((span) => span.name === 'command.handed-out' && span.attributes['command.id'] === commandId),
    );
    const handedOut = spans.find((span) => span.name === 'command.handed-out' && span.attributes['command.id'] === commandId)!;
    expect(handedOut.links).toHaveLength(1);
    const linkedTrace = handedOut.links[0]!.context.traceId;
    const all = await waitFor(
      async () => exporter.getFinishedSpans(),
      (finished) => finished.some((span) => isPollRequest(span) && span.spanContext().traceId === linkedTrace),
      5_000,
    );
    expect(all.some((span) => isPollRequest(span) && span.spanContext().traceId === linkedTrace)).toBe(true);
  });
});
