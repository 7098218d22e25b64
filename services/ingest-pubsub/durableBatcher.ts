import { GroupCommit } from '../../shared/batching/groupCommit.js';

/**
 * Group commit for the Pub/Sub ingest (see GroupCommit): after a batch's flush every message of it is
 * settled, acknowledged when the flush succeeded, handed back (nacked) when it failed. A failed batch
 * first waits a backoff that doubles with each consecutive failure, so a bus that is down does not
 * turn into a redelivery loop. Unlike MQTT, Pub/Sub needs no acknowledgement order, and a handed-back
 * message may go to another ingest instance.
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

export class DurableBatcher<T> extends GroupCommit<T> {
  private failures = 0;

  constructor(private readonly o: DurableBatcherOptions<T>) {
    super(o.maxItems, o.lingerMs);
  }

  add(item: T): void {
    this.enqueue(item);
  }

  protected async commit(batch: readonly T[]): Promise<void> {
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
