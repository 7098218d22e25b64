/**
 * Group commit: items collect into a batch that one `commit` makes durable (one bus append per
 * topic instead of one per message). A batch is committed when it holds `maxItems`, when the input
 * pauses (nothing more arrived in the current event-loop turn) or, with `lingerMs > 0`, once its
 * first item has waited that long. One commit runs at a time and the next batch fills meanwhile, so
 * batches grow by themselves when appends are slow.
 *
 * Subclasses decide what a batch's commit means upstream and what a failure does: the MQTT ingest
 * retries until durable and acknowledges in order (AckBatcher), the Pub/Sub ingest hands a failed
 * batch back for redelivery (DurableBatcher).
 */
export abstract class GroupCommit<T> {
  private pending: T[] = [];
  private inFlight = 0;
  private flushing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private idleCheck: NodeJS.Immediate | undefined;
  private closed = false;

  constructor(private readonly maxItems: number, private readonly lingerMs: number) {}

  /** Items accepted but not yet settled. */
  get size(): number {
    return this.pending.length + this.inFlight;
  }

  /** Commits one batch and settles it upstream; must not reject. */
  protected abstract commit(batch: readonly T[]): Promise<void>;

  /** Called after each batch is settled. */
  protected afterBatch(): void {}

  protected enqueue(item: T): void {
    if (this.closed) throw new Error(`${this.constructor.name} is closed`);
    this.pending.push(item);
    if (this.flushing) return;
    if (this.pending.length >= this.maxItems) this.startFlush();
    else this.schedule();
  }

  /** Commits and settles everything added so far. */
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
    if (this.lingerMs <= 0) {
      this.idleCheck ??= setImmediate(() => {
        this.idleCheck = undefined;
        if (!this.flushing && this.pending.length > 0) this.startFlush();
      });
    } else {
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        if (!this.flushing && this.pending.length > 0) this.startFlush();
      }, this.lingerMs);
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
    const batch = this.pending.splice(0, this.maxItems);
    this.inFlight = batch.length;
    this.flushing = this.commit(batch).finally(() => {
      this.inFlight = 0;
      this.flushing = undefined;
      this.afterBatch();
      if (this.pending.length === 0) return;
      // What arrived during the commit has already waited one append long.
      if (this.pending.length >= this.maxItems || this.lingerMs <= 0) this.startFlush();
      else this.schedule();
    });
  }
}
