import { context, propagation, trace, type Context, type Link, type Span, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { FastifyInstrumentation } from '@opentelemetry/instrumentation-fastify';
import { GraphQLInstrumentation } from '@opentelemetry/instrumentation-graphql';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { AppConfig } from '../../config/app-config.js';

/** The field of a job's data and of an outgoing event's stored payload that carries the trace context. */
export const TRACE_FIELD = '_trace';

/** W3C trace context (`traceparent`, `tracestate`) as carried in job data, Redis and outgoing events. */
export type TraceCarrier = Record<string, string>;

const tracer = () => trace.getTracer('gateway-control-plane');

let sdk: NodeSDK | null = null;

/** Whether spans are recorded: the helpers below do nothing (and cost nothing) otherwise. */
export const tracingOn = (): boolean => sdk !== null;

/**
 * Starts OpenTelemetry's Node SDK (HTTP, Fastify, pg, ioredis and GraphQL instrumentations) when
 * an OTLP endpoint is configured, or when a test hands its own span processors. Must run before
 * the modules it instruments are loaded: main.ts loads the application after it.
 */
export function startTracing(config: AppConfig, options: { spanProcessors?: SpanProcessor[] } = {}): boolean {
  if (sdk) return true;
  const spanProcessors = options.spanProcessors ?? (config.tracing.otlpEndpoint ? [new BatchSpanProcessor(new OTLPTraceExporter({ url: config.tracing.otlpEndpoint }))] : []);
  if (!spanProcessors.length) return false;
  sdk = new NodeSDK({
    resource: resourceFromAttributes({ 'service.name': 'gateway-control-plane', 'service.instance.role': config.role }),
    spanProcessors,
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.tracing.sampleRatio) }),
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: (request) => ['/healthz', '/readyz', '/metrics'].includes((request.url ?? '').split('?')[0]!) }),
      new FastifyInstrumentation(),
      new PgInstrumentation({ requireParentSpan: true }),
      new IORedisInstrumentation({ requireParentSpan: true }),
      new GraphQLInstrumentation({ mergeItems: true }),
    ],
  });
  sdk.start();
  return true;
}

export async function stopTracing(): Promise<void> {
  const running = sdk;
  sdk = null;
  await running?.shutdown();
}

/** The current trace context, to carry across a queue, Redis or the outbox (empty when off). */
export function currentCarrier(): TraceCarrier | undefined {
  if (!sdk) return undefined;
  const carrier: TraceCarrier = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ? carrier : undefined;
}

const contextOf = (carrier: TraceCarrier | undefined): Context => (carrier ? propagation.extract(context.active(), carrier) : context.active());

/**
 * Runs `work` in a span that continues the trace `carrier` came from (a job's enqueuer, a command's
 * queuing request), linked to the span active here (the request or job doing the work now).
 */
export async function inSpanOf<T>(name: string, carrier: TraceCarrier | undefined, attributes: Record<string, string | number>, work: (span: Span | null) => Promise<T>): Promise<T> {
  if (!sdk) return work(null);
  const here = trace.getSpanContext(context.active());
  const links: Link[] = here && carrier ? [{ context: here }] : [];
  return tracer().startActiveSpan(name, { kind: SpanKind.INTERNAL, attributes, links }, contextOf(carrier), async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** A span that records something that happened now (no work inside), in the trace of `carrier`. */
export function eventSpan(name: string, carrier: TraceCarrier | undefined, attributes: Record<string, string | number>): void {
  if (!sdk) return;
  const here = trace.getSpanContext(context.active());
  const links: Link[] = here && carrier ? [{ context: here }] : [];
  tracer().startSpan(name, { attributes, links }, contextOf(carrier)).end();
}
