import { setFlagsFromString } from 'node:v8';

/**
 * Node options every way of starting the service passes on its command line (the Dockerfile's
 * NODE_OPTIONS, `npm start`, scripts/demo.sh, scripts/lb-stack.sh and the benchmarks' service;
 * v8-heap.spec.ts holds them to this list). The young generation is sized when V8 starts, so this
 * one cannot be set from inside: Node 24 sizes its semi-spaces from the host's memory (64 MiB each
 * on a 24 GiB machine), 16 MiB is what Node 20 used and what every earlier figure was taken with.
 */
export const SERVICE_NODE_ARGS = ['--max-semi-space-size=16'] as const;

/**
 * Caps how far V8 lets the old generation grow past its live size before the next full collection
 * (HEAP_GROWING_PERCENT; 0 leaves V8's own heuristics). Why: under load (registrations, a bulk
 * command's fan-out) the requests' objects outlive a few scavenges and are promoted, and with its
 * own heuristics V8 let the old generation grow to 3–4× the live heap before collecting it (66 →
 * 237 MiB with 70 MiB live, 2,000 registrations). Node 24's V8 does not give those pages back to
 * the system when the heap shrinks afterwards, so the resident size stays at that peak
 * (docs/performance.md, "Memory: where the regression came from"). Set at start-up, before the
 * application's modules load: V8 reads the flag at every full collection.
 */
export function limitHeapGrowth(percent: number): void {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}
