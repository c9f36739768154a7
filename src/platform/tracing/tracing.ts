import { context, propagation, trace, type Context, type Link, type Span, SpanKind, SpanStatusCode } from '@opentelemetry/api';

/**
 * Tracing helpers the application calls (only @opentelemetry/api: cheap to load). The SDK itself
 * (tracing-sdk.ts, seconds to import) is loaded by main.ts only when an OTLP endpoint is set.
 */

/** The field of a job's data and of an outgoing event's stored payload that carries the trace context. */
export const TRACE_FIELD = '_trace';

/** W3C trace context (`traceparent`, `tracestate`) as carried in job data, Redis and outgoing events. */
export type TraceCarrier = Record<string, string>;

const tracer = () => trace.getTracer('gateway-control-plane');

let on = false;

/** Whether spans are recorded: the helpers below do nothing (and cost nothing) otherwise. */
export const tracingOn = (): boolean => on;

/** Set by tracing-sdk.ts when it starts and stops the SDK. */
export function setTracingOn(value: boolean): void {
  on = value;
}

/** The current trace context, to carry across a queue, Redis or the outbox (empty when off). */
export function currentCarrier(): TraceCarrier | undefined {
  if (!on) return undefined;
  const carrier: TraceCarrier = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ? carrier : undefined;
}

const contextOf = (carrier: TraceCarrier | undefined): Context =>
  carrier ? propagation.extract(context.active(), carrier) : context.active();

/**
 * Runs `work` in a span that continues the trace `carrier` came from (a job's enqueuer, a command's
 * queuing request), linked to the span active here (the request or job doing the work now).
 */
export async function inSpanOf<T>(
  name: string,
  carrier: TraceCarrier | undefined,
  attributes: Record<string, string | number>,
  work: (span: Span | null) => Promise<T>,
): Promise<T> {
  if (!on) return work(null);
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
  if (!on) return;
  const here = trace.getSpanContext(context.active());
  const links: Link[] = here && carrier ? [{ context: here }] : [];
  tracer().startSpan(name, { attributes, links }, contextOf(carrier)).end();
}
