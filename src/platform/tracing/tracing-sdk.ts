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
import { setTracingOn } from './tracing.js';

let sdk: NodeSDK | null = null;

/**
 * Starts OpenTelemetry's Node SDK (HTTP, Fastify, pg, ioredis and GraphQL instrumentations) when
 * an OTLP endpoint is configured, or when a test hands its own span processors. Must run before
 * the modules it instruments are loaded: main.ts imports this module, and the application after it,
 * only when tracing is configured (the SDK takes seconds to load).
 */
export function startTracing(config: AppConfig, options: { spanProcessors?: SpanProcessor[] } = {}): boolean {
  if (sdk) return true;
  const spanProcessors =
    options.spanProcessors ??
    (config.tracing.otlpEndpoint ? [new BatchSpanProcessor(new OTLPTraceExporter({ url: config.tracing.otlpEndpoint }))] : []);
  if (!spanProcessors.length) return false;
  sdk = new NodeSDK({
    resource: resourceFromAttributes({ 'service.name': 'gateway-control-plane', 'service.instance.role': config.role }),
    spanProcessors,
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.tracing.sampleRatio) }),
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => ['/healthz', '/readyz', '/metrics'].includes((request.url ?? '').split('?')[0]!),
      }),
      new FastifyInstrumentation(),
      new PgInstrumentation({ requireParentSpan: true }),
      new IORedisInstrumentation({ requireParentSpan: true }),
      new GraphQLInstrumentation({ mergeItems: true }),
    ],
  });
  sdk.start();
  setTracingOn(true);
  return true;
}

export async function stopTracing(): Promise<void> {
  const running = sdk;
  sdk = null;
  setTracingOn(false);
  await running?.shutdown();
}
