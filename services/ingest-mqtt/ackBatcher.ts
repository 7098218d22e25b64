import { GroupCommit } from '../../shared/batching/groupCommit.js';

/**
 * Group commit for the MQTT ingest (see GroupCommit): a batch is acknowledged upstream only once it
 * is durable, batches in order (MQTT requires PUBACKs in the order PUBLISHes arrived). A failed
 * flush is retried with backoff, never skipped: unacknowledged messages stay with the broker until
 * they are durable. Past `highWater` unacknowledged items, `add` asks the producer to pause.
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

export class AckBatcher<T> extends GroupCommit<T> {
  private readonly waiters: (() => void)[] = [];

  constructor(private readonly options: AckBatcherOptions<T>) {
    super(options.maxItems, options.lingerMs);
  }

  /** Adds an item; returns a promise when the producer should pause until there is room. */
  add(item: T): Promise<void> | undefined {
    this.enqueue(item);
    if (this.size >= (this.options.highWater ?? Infinity)) {
      return new Promise((resolve) => this.waiters.push(resolve));
    }
    return undefined;
  }

  protected async commit(batch: readonly T[]): Promise<void> {
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

  protected override afterBatch(): void {
    const limit = this.options.highWater ?? Infinity;
    while (this.waiters.length > 0 && this.size < limit) this.waiters.shift()!();
  }
}
