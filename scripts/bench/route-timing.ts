import { BENCH_METRICS_TOKEN } from './processes.js';
import { round } from './stats.js';

/**
 * The service's own view of where request time went, from its Prometheus histogram
 * gcp_http_request_duration_seconds (per method, route pattern and status): the difference between
 * two scrapes of /metrics gives each route's count, mean and an upper bound of its p99 (the bucket
 * it falls in) over a part of the benchmark. Time from when Fastify took the request to its answer,
 * so the queueing inside the process before that, and the network, are not in it.
 */

export type MetricsSnapshot = Map<string, { buckets: Map<number, number>; sum: number; count: number }>;

export interface RouteTiming {
  route: string;
  count: number;
  meanMs: number;
  /** The upper bound of the histogram bucket holding the 99th percentile (null: above the last bound). */
  p99AtMostMs: number | null;
}

const METRIC = 'gcp_http_request_duration_seconds';
const LINE = new RegExp(`^${METRIC}_(bucket|sum|count)\\{([^}]*)\\} (\\S+)$`);

export async function scrapeMetrics(baseUrl: string): Promise<MetricsSnapshot> {
  const response = await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${BENCH_METRICS_TOKEN}` } });
  const text = await response.text();
  if (!response.ok) throw new Error(`GET /metrics: HTTP ${response.status}`);
  const snapshot: MetricsSnapshot = new Map();
  for (const line of text.split('\n')) {
    const match = LINE.exec(line);
    if (!match) continue;
    const [, kind, labelText, value] = match;
    const labels = Object.fromEntries([...labelText.matchAll(/(\w+)="([^"]*)"/g)].map(([, key, val]) => [key, val]));
    const key = `${labels.method} ${labels.route} ${labels.status}`;
    const entry = snapshot.get(key) ?? { buckets: new Map<number, number>(), sum: 0, count: 0 };
    snapshot.set(key, entry);
    if (kind === 'bucket') entry.buckets.set(labels.le === '+Inf' ? Number.POSITIVE_INFINITY : Number(labels.le), Number(value));
    else if (kind === 'sum') entry.sum = Number(value);
    else entry.count = Number(value);
  }
  return snapshot;
}

/** Each route's requests between two scrapes, the busiest first. */
export function routeTimingsBetween(before: MetricsSnapshot, after: MetricsSnapshot): RouteTiming[] {
  const timings: RouteTiming[] = [];
  for (const [route, now] of after) {
    const then = before.get(route);
    const count = now.count - (then?.count ?? 0);
    if (count <= 0) continue;
    const sum = now.sum - (then?.sum ?? 0);
    let p99AtMostMs: number | null = null;
    for (const bound of [...now.buckets.keys()].sort((a, b) => a - b)) {
      const within = (now.buckets.get(bound) ?? 0) - (then?.buckets.get(bound) ?? 0);
      if (within >= 0.99 * count) {
        p99AtMostMs = Number.isFinite(bound) ? bound * 1000 : null;
        break;
      }
    }
    timings.push({ route, count, meanMs: round((sum / count) * 1000, 1), p99AtMostMs });
  }
  return timings.sort((a, b) => b.count - a.count);
}
