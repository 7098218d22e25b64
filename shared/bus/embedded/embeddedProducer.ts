import type { BusProducer, OutgoingRecord } from '../bus.js';
import { checkOutgoingRecords } from '../outgoingRecords.js';
import { notifyAppend } from './appendNotifier.js';
import { checkTopicName, type AppendBatch, type LogStore } from './logStore.js';

interface PendingSend extends AppendBatch {
  resolve(): void;
  reject(err: unknown): void;
}

function checkRecords(topic: string, records: readonly OutgoingRecord[]): void {
  checkTopicName(topic);
  checkOutgoingRecords(topic, records);
}

/**
 * Appends records to the log. Sends made in the same synchronous run of JavaScript (for example one
 * per topic in a `Promise.all`) are group committed: one write transaction and one fsync for all of
 * them. Each send's promise resolves only after that transaction committed, so whoever acknowledges
 * upstream after `await send(...)` acknowledges only durable records.
 */
export class EmbeddedProducer implements BusProducer {
  private pending: PendingSend[] = [];
  private scheduled = false;
  private closed = false;

  constructor(
    private readonly log: LogStore,
    private readonly file: string,
    private readonly onClose: (producer: EmbeddedProducer) => void,
  ) {}

  send(topic: string, records: readonly OutgoingRecord[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`send('${topic}'): the producer is closed`));
    try {
      checkRecords(topic, records);
    } catch (err) {
      return Promise.reject(err);
    }
    if (records.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ topic, records, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        queueMicrotask(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    try {
      this.log.append(batch);
    } catch (err) {
      for (const send of batch) send.reject(err);
      return;
    }
    notifyAppend(this.file);
    for (const send of batch) send.resolve();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.onClose(this);
  }
}
