import type { Logger } from 'pino';
import type { DeadLetterRow } from '../../schemas/tables/deadLetters.js';
import { rowId } from '../../schemas/tables/rowId.js';
import type { BusConsumer, BusRecord, CommitOffset } from '../../shared/bus/bus.js';
import { DEAD_LETTER_TOPIC, parseDeadLetter } from '../../shared/deadLetters/deadLetter.js';
import type { Sink } from '../../shared/sinks/sink.js';

/** A dead letter as its warehouse row; the id is its place on the bus, so replays rewrite it. */
export function deadLetterRow(r: BusRecord): DeadLetterRow {
  const id = rowId(['dead_letters', r.topic, r.partition, r.offset]);
  try {
    const d = parseDeadLetter(r.value);
    return { id, source: d.source, topic: d.topic, stream: d.stream, payload: d.payload, payload_encoding: d.payload_encoding, reason: d.reason, detail: d.detail, received_at: d.received_at };
  } catch (err) {
    // Not written by our ingest: keep it verbatim rather than lose it.
    return { id, source: 'bus', topic: r.topic, stream: null, payload: r.value, payload_encoding: 'utf8', reason: 'bad_dead_letter', detail: (err as Error).message, received_at: r.timestamp };
  }
}

/**
 * Lands the ingest's dead letters (bus topic `dead_letters`) in the warehouse table, committing
 * each batch's offsets only after the rows are durable.
 */
export class DeadLetterLander {
  private running = false;
  private loop: Promise<void> | undefined;
  private landed = 0;
  /** polled but not yet landed: retried before polling more */
  private pending: BusRecord[] | undefined;

  constructor(private readonly consumer: BusConsumer, private readonly sink: Sink, private readonly logger: Logger) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  stats() {
    return { landed: this.landed };
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** Lands everything on the topic now, then resolves (for drains and tests). */
  async catchUp(): Promise<void> {
    for (;;) {
      if ((await this.step(0)) === 0) return;
    }
  }

  private async step(timeoutMs: number): Promise<number> {
    const records = this.pending ?? (await this.consumer.poll({ maxRecords: 5000, timeoutMs }));
    if (records.length === 0) return 0;
    this.pending = records;
    await this.sink.write('dead_letters', records.map(deadLetterRow));
    const next = new Map<number, number>();
    for (const r of records) next.set(r.partition, Math.max(next.get(r.partition) ?? 0, r.offset + 1));
    const offsets: CommitOffset[] = [...next].map(([partition, offset]) => ({ topic: DEAD_LETTER_TOPIC, partition, offset }));
    await this.consumer.commit(offsets);
    this.pending = undefined;
    this.landed += records.length;
    return records.length;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        await this.step(200);
      } catch (err) {
        this.logger.error({ err }, 'landing dead letters failed; retrying in 1 s');
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }
}
