import { Gauge } from 'prom-client';

export type Reading<L extends string> = { labels?: Partial<Record<L, string>>; value: number }[];
export type ReadingSource<L extends string> = () => Promise<Reading<L>>;

/** A scrape waits at most this long for one gauge's source (a dependency that is down must not hang it). */
const READ_TIMEOUT_MS = 2_000;

/**
 * A gauge read from Postgres or Redis when Prometheus scrapes. The gauge exists once per process
 * (prom-client's registry is global) while its source belongs to an application instance; the
 * latest instance that provided one answers (tests run several in one process). A source that
 * fails or is slow leaves the gauge empty for that scrape instead of failing the whole scrape.
 */
export class ScrapedGauge<L extends string = never> {
  private readonly sources: ReadingSource<L>[] = [];

  constructor(config: { name: string; help: string; labelNames?: readonly L[] }) {
    const sources = this.sources;
    new Gauge<L>({
      name: config.name,
      help: config.help,
      labelNames: config.labelNames ?? [],
      async collect() {
        this.reset();
        const source = sources.at(-1);
        if (!source) return;
        let timer: NodeJS.Timeout | undefined;
        const readings = await Promise.race([
          source().catch(() => null),
          new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), READ_TIMEOUT_MS))),
        ]);
        clearTimeout(timer);
        for (const reading of readings ?? []) {
          if (reading.labels) this.set(reading.labels as Record<L, string>, reading.value);
          else this.set(reading.value);
        }
      },
    });
  }

  /** Makes `source` answer from now on; the returned function withdraws it (at shutdown). */
  provide(source: ReadingSource<L>): () => void {
    this.sources.push(source);
    return () => {
      const index = this.sources.indexOf(source);
      if (index >= 0) this.sources.splice(index, 1);
    };
  }
}
