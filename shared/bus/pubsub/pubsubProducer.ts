import type { PubSub, Topic } from '@google-cloud/pubsub';
import type { BusProducer, OutgoingRecord } from '../bus.js';
import { checkOutgoingRecords } from '../outgoingRecords.js';
import { checkResourceId } from './topicAdmin.js';

/** Attribute names carrying the record's key and append time (the ordering key is empty for key ''). */
export const KEY_ATTRIBUTE = 'driftline_key';
export const TIMESTAMP_ATTRIBUTE = 'driftline_ts';

/**
 * Publishes each record with ordering key = record key, so Pub/Sub delivers a key's records in send
 * order. `send` resolves once every publish resolved, i.e. Pub/Sub stored every record: the ingest
 * acknowledges upstream only after that. After a failed publish the client pauses that ordering key
 * (later records of the key would overtake the lost one); the key is resumed before the error reaches
 * the caller, whose retry re-sends the whole batch in order.
 */
export class PubSubProducer implements BusProducer {
  private readonly handles = new Map<string, Topic>();
  private readonly inFlight = new Set<Promise<void>>();
  private closed = false;

  constructor(
    private readonly pubsub: PubSub,
    /** creates the topic (and the subscriptions records must wait in) before the first publish */
    private readonly prepare: (busTopic: string) => Promise<void>,
    private readonly topicId: (busTopic: string) => string,
    private readonly onClose: (p: PubSubProducer) => void,
  ) {}

  send(topic: string, records: readonly OutgoingRecord[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`send('${topic}'): the Pub/Sub producer is closed`));
    const id = this.topicId(topic);
    try {
      checkResourceId('topic', id, topic);
      checkOutgoingRecords(topic, records);
    } catch (err) {
      return Promise.reject(err);
    }
    if (records.length === 0) return Promise.resolve();
    const p = this.prepare(topic).then(() => this.publish(id, records));
    this.inFlight.add(p);
    void p.then(() => this.inFlight.delete(p), () => this.inFlight.delete(p));
    return p;
  }

  private async publish(id: string, records: readonly OutgoingRecord[]): Promise<void> {
    const handle = this.handle(id);
    const now = Date.now();
    const results = await Promise.allSettled(records.map((r) => handle.publishMessage({
      data: Buffer.from(r.value, 'utf8'),
      orderingKey: r.key,
      attributes: { [KEY_ATTRIBUTE]: r.key, [TIMESTAMP_ATTRIBUTE]: String(r.timestamp ?? now) },
    })));
    const failed = results.find((x): x is PromiseRejectedResult => x.status === 'rejected');
    if (failed) {
      for (const key of new Set(records.map((r) => r.key))) handle.resumePublishing(key);
      throw new Error(`pubsub bus: publish to topic '${id}' failed: ${(failed.reason as Error)?.message ?? failed.reason}`, { cause: failed.reason });
    }
  }

  private handle(id: string): Topic {
    let t = this.handles.get(id);
    if (!t) {
      // Ordering on: the client batches per key and keeps a key's publishes in order.
      t = this.pubsub.topic(id, { messageOrdering: true, batching: { maxMessages: 1000, maxMilliseconds: 5 } });
      this.handles.set(id, t);
    }
    return t;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.inFlight]);
    await Promise.allSettled([...this.handles.values()].map((t) => t.flush()));
    this.onClose(this);
  }
}
