/**
 * Group commit for the ingest. Messages collect into a batch that is made durable by one `flush`
 * (one bus append per topic) and only then acknowledged upstream. A batch is flushed when it holds
 * `maxItems`, when the input pauses (nothing more arrived in the current event-loop turn) or, with
 * `lingerMs > 0`, once its first message has waited that long. One flush runs at a time and the
 * next batch fills meanwhile, so batches grow by themselves when appends are slow, and
 * acknowledgements leave in arrival order (MQTT requires PUBACKs in the order PUBLISHes arrived).
 * A failed flush is retried with backoff, never skipped: unacknowledged messages stay with the
 * broker until they are durable.
 */
export interface AckBatcherOptions<T> {
  readonly maxItems: number;
  /** 0: flush as soon as the input pauses; > 0: wait up to this long for a fuller batch */
  readonly lingerMs: number;
  /** make the batch durable; resolves only when it is */
  readonly flush: (items: readonly T[]) => Promise<void>;
  /** called after a successful flush, batches in order: acknowledge upstream here */
  readonly acknowledge: (items: readonly T[]) => void;
  /** called when a flush fails (it will be retried) */
  readonly onFlushError?: (err: unknown, attempt: number) => void;
  /** items accepted but unacknowledged above which `add` asks the producer to pause */
  readonly highWater?: number;
  readonly retryDelayMs?: (attempt: number) => number;
}

export class AckBatcher<T> {
  private pending: T[] = [];
  private inFlight = 0;
  private flushing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private idleCheck: NodeJS.Immediate | undefined;
  private readonly waiters: (() => void)[] = [];
  private closed = false;

  constructor(private readonly options: AckBatcherOptions<T>) {}

  /** Items accepted but not yet acknowledged. */
  get size(): number {
    return this.pending.length + this.inFlight;
  }

  /** Adds an item; returns a promise when the producer should pause until there is room. */
  add(item: T): Promise<void> | undefined {
    if (this.closed) throw new Error('AckBatcher is closed');
    this.pending.push(item);
    if (!this.flushing) {
      if (this.pending.length >= this.options.maxItems) this.startFlush();
      else this.schedule();
    }
    if (this.size >= (this.options.highWater ?? Infinity)) {
      return new Promise((resolve) => this.waiters.push(resolve));
    }
    return undefined;
  }

  /** Flushes and acknowledges everything added so far. */
  async drain(): Promise<void> {
    while (this.pending.length > 0 || this.flushing) {
      if (this.flushing) await this.flushing;
      else this.startFlush();
    }
  }

  /** Drains, then refuses further items. */
  async close(): Promise<void> {
    await this.drain();
    this.closed = true;
    this.cancelSchedule();
  }

  private schedule(): void {
    if (this.options.lingerMs <= 0) {
      this.idleCheck ??= setImmediate(() => {
        this.idleCheck = undefined;
        if (!this.flushing && this.pending.length > 0) this.startFlush();
      });
    } else {
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        if (!this.flushing && this.pending.length > 0) this.startFlush();
      }, this.options.lingerMs);
    }
  }

  private cancelSchedule(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.idleCheck) clearImmediate(this.idleCheck);
    this.idleCheck = undefined;
  }

  private startFlush(): void {
    this.cancelSchedule();
    const batch = this.pending.splice(0, this.options.maxItems);
    this.inFlight = batch.length;
    this.flushing = this.flushUntilDurable(batch).finally(() => {
      this.inFlight = 0;
      this.flushing = undefined;
      this.releaseWaiters();
      if (this.pending.length === 0) return;
      // What arrived during the flush has already waited one append long.
      if (this.pending.length >= this.options.maxItems || this.options.lingerMs <= 0) this.startFlush();
      else this.schedule();
    });
  }

  private async flushUntilDurable(batch: readonly T[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.options.flush(batch);
        break;
      } catch (err) {
        this.options.onFlushError?.(err, attempt);
        const delay = this.options.retryDelayMs?.(attempt) ?? Math.min(5_000, 50 * 2 ** Math.min(attempt, 7));
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
    this.options.acknowledge(batch);
  }

  private releaseWaiters(): void {
    const limit = this.options.highWater ?? Infinity;
    while (this.waiters.length > 0 && this.size < limit) this.waiters.shift()!();
  }
}
