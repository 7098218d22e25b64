import type { BusRecord } from '../bus.js';

interface PartitionQueue {
  records: BusRecord[];
  /** index of the next record to hand out (cheaper than shifting the array) */
  head: number;
}

/**
 * The records a Kafka consumer has fetched but `poll` has not returned yet, per partition. kafkajs
 * pushes batches in; `poll` pulls them out. The push side waits for room (`waitForRoom`) once `size`
 * passes the limit, which is what keeps kafkajs from fetching without bound while the worker is busy.
 */
export class RecordBuffer {
  private readonly queues = new Map<string, PartitionQueue>();
  private count = 0;
  private rotation = 0;
  private dataWaiters: (() => void)[] = [];
  private roomWaiters: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`RecordBuffer: limit must be a positive integer, got ${limit}`);
  }

  get size(): number {
    return this.count;
  }

  get full(): boolean {
    return this.count >= this.limit;
  }

  push(records: readonly BusRecord[]): void {
    if (records.length === 0) return;
    // A kafkajs batch is one partition's: look its queue up once per run of records, not per record.
    let q: PartitionQueue | undefined;
    let topic = '';
    let partition = -1;
    for (const r of records) {
      if (!q || r.partition !== partition || r.topic !== topic) {
        topic = r.topic;
        partition = r.partition;
        const key = `${topic}\u0000${partition}`;
        q = this.queues.get(key);
        if (!q) {
          q = { records: [], head: 0 };
          this.queues.set(key, q);
        }
      }
      q.records.push(r);
    }
    this.count += records.length;
    this.wake('data');
  }

  /**
   * Up to `max` records. Every partition with records first gets an equal share, then what is left goes
   * round-robin from a partition that rotates between calls, so one busy partition cannot starve the
   * others (a starved partition holds back the worker's watermark).
   */
  take(max: number): BusRecord[] {
    const want = Math.max(1, Math.floor(max));
    const out: BusRecord[] = [];
    const live = [...this.queues.values()].filter((q) => q.head < q.records.length);
    if (live.length === 0) return out;
    const share = Math.ceil(want / live.length);
    for (let pass = 0; pass < 2 && out.length < want; pass++) {
      for (let i = 0; i < live.length && out.length < want; i++) {
        const q = live[(this.rotation + i) % live.length]!;
        const n = Math.min(pass === 0 ? share : want, want - out.length, q.records.length - q.head);
        for (let k = 0; k < n; k++) out.push(q.records[q.head + k]!);
        q.head += n;
      }
    }
    this.rotation = (this.rotation + 1) % live.length;
    for (const [key, q] of this.queues) if (q.head >= q.records.length) this.queues.delete(key);
    this.count -= out.length;
    this.wake('room');
    return out;
  }

  /** Forgets every buffered record (a rebalance: the consumer replays from the committed offsets). */
  clear(): void {
    this.queues.clear();
    this.count = 0;
    this.wake('room');
  }

  /** Resolves when records arrive, `wakeAll` is called, or after `ms`. */
  waitForData(ms: number): Promise<void> {
    return this.wait(this.dataWaiters, ms);
  }

  /** Resolves when `take` or `clear` made room, `wakeAll` is called, or after `ms`. */
  waitForRoom(ms: number): Promise<void> {
    return this.wait(this.roomWaiters, ms);
  }

  /** Releases every waiter (close, crash, rebalance). */
  wakeAll(): void {
    this.wake('data');
    this.wake('room');
  }

  private wait(list: (() => void)[], ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, Math.max(0, ms));
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      list.push(done);
    });
  }

  private wake(which: 'data' | 'room'): void {
    const list = which === 'data' ? this.dataWaiters : this.roomWaiters;
    if (list.length === 0) return;
    if (which === 'data') this.dataWaiters = [];
    else this.roomWaiters = [];
    for (const done of list) done();
  }
}
