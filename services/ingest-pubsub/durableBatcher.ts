/**
 * Group commit for the Pub/Sub ingest. Messages collect into a batch made durable by one `flush` (one
 * bus append per topic); then every message of the batch is settled: acknowledged when the flush
 * succeeded, handed back (nacked) when it failed. A failed batch first waits a backoff that doubles with
 * each consecutive failure, so a bus that is down does not turn into a redelivery loop. Unlike MQTT,
 * Pub/Sub needs no acknowledgement order, and a handed-back message may go to another ingest instance.
 * One flush runs at a time and the next batch fills meanwhile, so batches grow when appends are slow.
 */
export interface DurableBatcherOptions<T> {
  readonly maxItems: number;
  /** 0: flush as soon as the input pauses; > 0: wait up to this long for a fuller batch */
  readonly lingerMs: number;
  /** make the batch durable; resolves only when it is */
  readonly flush: (items: readonly T[]) => Promise<void>;
  /** after a flush: `durable` true → acknowledge upstream; false → hand back for redelivery */
  readonly settle: (items: readonly T[], durable: boolean) => void;
  /** wait before handing back a failed batch, by consecutive failure count (1, 2, …) */
  readonly backoffMs: (failures: number) => number;
  readonly onFlushError?: (err: unknown, failures: number) => void;
}

export class DurableBatcher<T> {
  private pending: T[] = [];
  private inFlight = 0;
  private flushing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private idleCheck: NodeJS.Immediate | undefined;
  private failures = 0;
  private closed = false;

  constructor(private readonly o: DurableBatcherOptions<T>) {}

  /** Items accepted but not yet settled. */
  get size(): number {
    return this.pending.length + this.inFlight;
  }

  add(item: T): void {
    if (this.closed) throw new Error('DurableBatcher is closed');
    this.pending.push(item);
    if (this.flushing) return;
    if (this.pending.length >= this.o.maxItems) this.startFlush();
    else this.schedule();
  }

  /** Flushes and settles everything added so far. */
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
    if (this.o.lingerMs <= 0) {
      this.idleCheck ??= setImmediate(() => {
        this.idleCheck = undefined;
        if (!this.flushing && this.pending.length > 0) this.startFlush();
      });
    } else {
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        if (!this.flushing && this.pending.length > 0) this.startFlush();
      }, this.o.lingerMs);
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
    const batch = this.pending.splice(0, this.o.maxItems);
    this.inFlight = batch.length;
    this.flushing = this.flushOnce(batch).finally(() => {
      this.inFlight = 0;
      this.flushing = undefined;
      if (this.pending.length === 0) return;
      if (this.pending.length >= this.o.maxItems || this.o.lingerMs <= 0) this.startFlush();
      else this.schedule();
    });
  }

  private async flushOnce(batch: readonly T[]): Promise<void> {
    try {
      await this.o.flush(batch);
    } catch (err) {
      this.failures++;
      this.o.onFlushError?.(err, this.failures);
      await new Promise((resolve) => setTimeout(resolve, this.o.backoffMs(this.failures)));
      this.o.settle(batch, false);
      return;
    }
    this.failures = 0;
    this.o.settle(batch, true);
  }
}
