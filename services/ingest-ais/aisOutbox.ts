import type { Logger } from 'pino';
import type { Row } from '../../schemas/tables/tables.js';
import type { BusProducer, OutgoingRecord } from '../../shared/bus/bus.js';
import type { Sink } from '../../shared/sinks/sink.js';

export interface AisOutboxOptions {
  readonly producer: BusProducer;
  readonly sink: Sink;
  readonly logger: Logger;
  /** flush as soon as this many bus records wait (default 1000) */
  readonly maxRecords?: number;
  /** flush at least this often while records wait, ms (default 100) */
  readonly lingerMs?: number;
}

/**
 * Group commit for AIS ingest: sources push one sentence at a time, the outbox appends them to the
 * bus in batches (one `send` per topic per flush) and lands vessel rows through the sink, latest
 * record per MMSI. Flushes run one at a time so records of one key keep their order; a failed flush
 * keeps its records and is retried, so nothing is lost to a bus hiccup.
 */
export class AisOutbox {
  private records: { topic: string; record: OutgoingRecord }[] = [];
  private vessels = new Map<string, Row<'vessels'>>();
  private flushing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly maxRecords: number;
  private readonly lingerMs: number;
  appended = 0;
  vesselRows = 0;
  failures = 0;

  constructor(private readonly o: AisOutboxOptions) {
    this.maxRecords = o.maxRecords ?? 1000;
    this.lingerMs = o.lingerMs ?? 100;
  }

  get pending(): number {
    return this.records.length + this.vessels.size;
  }

  add(topic: string, record: OutgoingRecord): void {
    this.records.push({ topic, record });
    if (this.records.length >= this.maxRecords) void this.flush();
    else this.schedule();
  }

  addVessel(row: Row<'vessels'>): void {
    const held = this.vessels.get(row.mmsi);
    if (!held || held.updated_at <= row.updated_at) this.vessels.set(row.mmsi, row);
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, this.lingerMs);
  }

  /** Appends everything waiting; resolves once it is durable (or the attempt failed and was re-queued). */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing.then(() => (this.pending > 0 ? this.flush() : undefined));
    if (this.pending === 0) return Promise.resolve();
    const records = this.records;
    const vessels = this.vessels;
    this.records = [];
    this.vessels = new Map();
    this.flushing = this.write(records, vessels).finally(() => {
      this.flushing = null;
      if (this.pending > 0) this.schedule();
    });
    return this.flushing;
  }

  private async write(records: { topic: string; record: OutgoingRecord }[], vessels: Map<string, Row<'vessels'>>): Promise<void> {
    const byTopic = new Map<string, OutgoingRecord[]>();
    for (const { topic, record } of records) {
      let list = byTopic.get(topic);
      if (!list) byTopic.set(topic, (list = []));
      list.push(record);
    }
    try {
      for (const [topic, list] of byTopic) await this.o.producer.send(topic, list);
      this.appended += records.length;
    } catch (err) {
      // Re-queue in front of what arrived meanwhile, so per-key order holds. A send that failed
      // part-way may append some records twice; the worker's duplicate filter drops those.
      this.failures++;
      this.records = records.concat(this.records);
      this.o.logger.error({ err: (err as Error).message, records: records.length }, 'AIS: bus append failed; retrying');
    }
    if (vessels.size === 0) return;
    try {
      await this.o.sink.write('vessels', [...vessels.values()]);
      this.vesselRows += vessels.size;
    } catch (err) {
      this.failures++;
      for (const row of vessels.values()) this.addVessel(row);
      this.o.logger.error({ err: (err as Error).message, rows: vessels.size }, 'AIS: writing vessels rows failed; retrying');
    }
  }

  /** Final flush: retries failed appends for up to `timeoutMs`. */
  async close(timeoutMs = 10_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.flush();
    while (this.pending > 0 && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 200));
      await this.flush();
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending > 0) this.o.logger.error({ pending: this.pending }, 'AIS: stopped with records that never reached the bus');
  }
}
