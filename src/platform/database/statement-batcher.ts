export interface StatementBatcherOptions<In, Out> {
  /** The most inputs one statement carries; more wait for the next. */
  maxBatch: number;
  /** Inputs with the same key never share a statement (say, two changes of one row): a second one waits for the next. */
  keyOf: (input: In) => string;
  /** Runs one statement for the inputs; answers one output per input, in their order. */
  run: (inputs: In[]) => Promise<Out[]>;
  /** A batch of more than one failed and is being retried input by input. */
  onBatchFailed?: (error: unknown, size: number) => void;
  /**
   * At most this many batches run at once (default: no limit). Inputs that arrive meanwhile wait
   * and go together in the next batch, so the batches grow with the load (group commit) instead of
   * each turn of the event loop sending its own.
   */
  maxInFlight?: number;
  /** Whether a failed batch is retried input by input (default true). */
  retryAlone?: boolean;
}

interface Waiting<In, Out> {
  input: In;
  resolve: (output: Out) => void;
  reject: (error: unknown) => void;
}

/**
 * Runs the calls made in the same turn of the event loop as one statement. Under load, many
 * requests reach the same statement at about the same moment, and a round trip to Postgres costs
 * this process more CPU than the work it carries; at low load a batch is one call, sent at once
 * (one `setImmediate` later). One statement commits all or nothing, so no call waits on another's
 * transaction; if a batch fails, its calls are run one by one, so an error reaches only the call
 * that caused it.
 */
export class StatementBatcher<In, Out> {
  private waiting: Waiting<In, Out>[] = [];
  private scheduled = false;
  private inFlight = 0;

  constructor(private readonly options: StatementBatcherOptions<In, Out>) {}

  submit(input: In): Promise<Out> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    // A running batch's end flushes again.
    if (!this.waiting.length || this.inFlight >= (this.options.maxInFlight ?? Infinity)) return;
    const batch: Waiting<In, Out>[] = [];
    const later: Waiting<In, Out>[] = [];
    const keys = new Set<string>();
    for (const entry of this.waiting) {
      const key = this.options.keyOf(entry.input);
      if (batch.length < this.options.maxBatch && !keys.has(key)) {
        keys.add(key);
        batch.push(entry);
      } else {
        later.push(entry);
      }
    }
    this.waiting = later;
    if (later.length) this.schedule();
    this.inFlight++;
    void this.runBatch(batch).finally(() => {
      this.inFlight--;
      if (this.waiting.length) this.schedule();
    });
  }

  private async runBatch(batch: Waiting<In, Out>[]): Promise<void> {
    let outputs: Out[];
    try {
      outputs = await this.options.run(batch.map((entry) => entry.input));
    } catch (error) {
      if (batch.length === 1 || this.options.retryAlone === false) {
        if (batch.length > 1) this.options.onBatchFailed?.(error, batch.length);
        for (const entry of batch) entry.reject(error);
        return;
      }
      this.options.onBatchFailed?.(error, batch.length);
      await Promise.all(batch.map((entry) => this.runBatch([entry])));
      return;
    }
    batch.forEach((entry, i) => entry.resolve(outputs[i]));
  }
}
