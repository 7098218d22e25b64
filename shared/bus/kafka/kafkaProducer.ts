import type { Message, Producer, TopicMessages } from 'kafkajs';
import type { BusProducer, OutgoingRecord } from '../bus.js';
import { checkOutgoingRecords } from '../outgoingRecords.js';
import { checkKafkaTopicName, type TopicAdmin } from './topicAdmin.js';

interface PendingSend {
  readonly topic: string;
  readonly records: readonly OutgoingRecord[];
  resolve(): void;
  reject(err: unknown): void;
}

/**
 * Produces to `<prefix><topic>` with acks=-1 (every in-sync replica has the records before `send`
 * resolves, so the ingest acknowledges upstream only durable records). kafkajs's default partitioner
 * is the Java client's murmur2 of the key, so a device's records land on one partition, in order, and
 * the same partition a Java producer would choose. Sends made in one synchronous run of JavaScript (one
 * per topic in a `Promise.all`) go out as one produce request.
 */
export class KafkaProducer implements BusProducer {
  private pending: PendingSend[] = [];
  private scheduled = false;
  private closed = false;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly producer: Producer,
    private readonly topics: TopicAdmin,
    private readonly prefix: string,
    private readonly onClose: (p: KafkaProducer) => void,
  ) {}

  send(topic: string, records: readonly OutgoingRecord[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`send('${topic}'): the Kafka producer is closed`));
    try {
      checkKafkaTopicName(this.prefix + topic, topic);
      checkOutgoingRecords(topic, records);
    } catch (err) {
      return Promise.reject(err);
    }
    if (records.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ topic, records, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        queueMicrotask(() => this.track(this.flush()));
      }
    });
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    try {
      const byTopic = new Map<string, Message[]>();
      for (const send of batch) {
        const name = this.prefix + send.topic;
        let list = byTopic.get(name);
        if (!list) byTopic.set(name, (list = []));
        for (const r of send.records) {
          // No timestamp: kafkajs stamps the batch when it encodes it, without a string per record.
          list.push(r.timestamp === undefined ? { key: r.key, value: r.value } : { key: r.key, value: r.value, timestamp: String(r.timestamp) });
        }
      }
      await this.topics.ensure([...byTopic.keys()]);
      const topicMessages: TopicMessages[] = [...byTopic].map(([topic, messages]) => ({ topic, messages }));
      await this.producer.sendBatch({ acks: -1, topicMessages });
    } catch (err) {
      for (const send of batch) send.reject(err);
      return;
    }
    for (const send of batch) send.resolve();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.track(this.flush());
    await Promise.all([...this.inFlight]);
    await this.producer.disconnect();
    this.onClose(this);
  }
}
