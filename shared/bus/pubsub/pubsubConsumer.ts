import type { v1 } from '@google-cloud/pubsub';
import type { BusConsumer, BusRecord, CommitOffset, TopicPartition } from '../bus.js';
import { LeaseTable } from './leaseTable.js';
import { KEY_ATTRIBUTE, TIMESTAMP_ATTRIBUTE } from './pubsubProducer.js';

export interface PubSubConsumerSettings {
  readonly group: string;
  /** per bus topic, the full subscription path (projects/<p>/subscriptions/<topic>.<group>) */
  readonly subscriptions: ReadonlyMap<string, string>;
  /** deadline set on every lease extension; also how long a crashed consumer's messages stay hidden */
  readonly ackDeadlineSeconds: number;
  /** flow control: most messages leased and not yet committed; poll pulls nothing more beyond it */
  readonly maxOutstandingMessages: number;
  /** numbering start (see LeaseTable) */
  readonly seqBase: number;
}

/** Acknowledge / modAck requests carry at most this many ids (well inside the 512 KB request limit). */
const ID_CHUNK = 1000;

function chunks<T>(xs: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * A Pub/Sub consumer with Kafka-shaped offsets, over synchronous Pull (v1 SubscriberClient).
 *
 * Why synchronous pull rather than streaming pull: `poll` asks for exactly what it can take, so nothing
 * is leased ahead of the caller; acknowledgement is ours alone (the streaming client counts a held
 * message against its flow control until acked, and stops extending its lease after `maxExtensionTime`).
 *
 * Offsets: every topic is partition 0; a message's offset is its sequence number in this consumer
 * (LeaseTable). `commit({offset: N})` acknowledges every held message below N. Messages never
 * acknowledged are redelivered: at once to another consumer of the group when this one closes (close
 * nacks them), after the ack deadline when the process dies. While held, leases are extended every
 * half deadline. Holding acks is not how long windows stay safe: Pub/Sub keeps unacked messages only
 * for the retention period and an ordered subscription may hold back a key's later messages until
 * earlier ones are acked, so a worker should checkpoint its window state and commit past it.
 */
export class PubSubConsumer implements BusConsumer {
  readonly delivery = 'queue' as const;
  private readonly leases = new Map<string, LeaseTable>();
  private readonly extender: NodeJS.Timeout;
  private extending: Promise<void> = Promise.resolve();
  private rotation = 0;
  private closed = false;

  constructor(
    private readonly client: v1.SubscriberClient,
    private readonly s: PubSubConsumerSettings,
    private readonly onClose: (c: PubSubConsumer) => void,
  ) {
    for (const topic of s.subscriptions.keys()) this.leases.set(topic, new LeaseTable(s.seqBase));
    const every = Math.max(200, (s.ackDeadlineSeconds * 1000) / 2);
    this.extender = setInterval(() => {
      this.extending = this.extending.then(() => this.extendLeases()).catch(() => {
        // a failed extension is retried at the next tick; past the deadline Pub/Sub redelivers (at least once)
      });
    }, every);
    this.extender.unref();
  }

  get group(): string {
    return this.s.group;
  }

  assignment(): TopicPartition[] {
    return this.closed ? [] : [...this.s.subscriptions.keys()].map((topic) => ({ topic, partition: 0 }));
  }

  /** Messages leased and not yet committed, over all topics (flow control counts these). */
  outstanding(): number {
    let n = 0;
    for (const t of this.leases.values()) n += t.size;
    return n;
  }

  async poll(options: { maxRecords: number; timeoutMs: number }): Promise<BusRecord[]> {
    const deadline = Date.now() + Math.max(0, options.timeoutMs);
    let backoff = 10;
    for (;;) {
      if (this.closed) return [];
      const room = Math.min(Math.max(1, Math.floor(options.maxRecords)), this.s.maxOutstandingMessages - this.outstanding());
      const records = room > 0 ? await this.pullOnce(room) : [];
      const left = deadline - Date.now();
      if (records.length > 0 || left <= 0) return records;
      await sleep(Math.min(left, backoff));
      backoff = Math.min(backoff * 2, 200);
    }
  }

  /**
   * One Pull per subscription, starting at a rotating one so no topic starves. returnImmediately keeps
   * `poll`'s timeout exact (a waiting Pull cannot be cut short without losing what it leased).
   */
  private async pullOnce(max: number): Promise<BusRecord[]> {
    const topics = [...this.s.subscriptions.keys()];
    const out: BusRecord[] = [];
    for (let i = 0; i < topics.length && out.length < max; i++) {
      const topic = topics[(this.rotation + i) % topics.length]!;
      const [res] = await this.client.pull({ subscription: this.s.subscriptions.get(topic)!, maxMessages: max - out.length, returnImmediately: true });
      if (this.closed) {
        await this.nack(topic, (res.receivedMessages ?? []).map((m) => m.ackId!));
        return [];
      }
      const table = this.leases.get(topic)!;
      for (const m of res.receivedMessages ?? []) {
        const msg = m.message ?? {};
        const attrs = msg.attributes ?? {};
        const seq = table.add(m.ackId!);
        const ts = Number(attrs[TIMESTAMP_ATTRIBUTE]);
        const publishMs = msg.publishTime ? Number(msg.publishTime.seconds ?? 0) * 1000 + Math.floor((msg.publishTime.nanos ?? 0) / 1e6) : Date.now();
        out.push({
          topic,
          partition: 0,
          offset: seq,
          key: attrs[KEY_ATTRIBUTE] ?? msg.orderingKey ?? '',
          value: Buffer.from(msg.data ?? new Uint8Array()).toString('utf8'),
          timestamp: Number.isSafeInteger(ts) ? ts : publishMs,
        });
      }
    }
    this.rotation = (this.rotation + 1) % topics.length;
    return out;
  }

  /** Acknowledges, per topic, every held message whose offset is below the committed offset. */
  async commit(offsets: readonly CommitOffset[]): Promise<void> {
    if (this.closed) throw new Error(`commit: the Pub/Sub consumer of group '${this.s.group}' is closed`);
    for (const o of offsets) {
      if (!this.s.subscriptions.has(o.topic) || o.partition !== 0) {
        throw new RangeError(`commit: ${o.topic}[${o.partition}] is not assigned to this consumer of group '${this.s.group}' (Pub/Sub topics are partition 0)`);
      }
      if (!Number.isSafeInteger(o.offset) || o.offset < 0) {
        throw new RangeError(`commit: offset for ${o.topic}[${o.partition}] must be a non-negative integer, got ${o.offset}`);
      }
    }
    for (const o of offsets) {
      const table = this.leases.get(o.topic)!;
      const acked = table.below(o.offset);
      for (const part of chunks(acked.map((l) => l.ackId), ID_CHUNK)) {
        await this.client.acknowledge({ subscription: this.s.subscriptions.get(o.topic)!, ackIds: part });
      }
      table.removeOldest(acked.length);
    }
  }

  private async extendLeases(): Promise<void> {
    if (this.closed) return;
    for (const [topic, table] of this.leases) {
      for (const part of chunks(table.ackIds(), ID_CHUNK)) {
        await this.client.modifyAckDeadline({ subscription: this.s.subscriptions.get(topic)!, ackIds: part, ackDeadlineSeconds: this.s.ackDeadlineSeconds });
      }
    }
  }

  private async nack(topic: string, ackIds: readonly string[]): Promise<void> {
    for (const part of chunks(ackIds, ID_CHUNK)) {
      await this.client.modifyAckDeadline({ subscription: this.s.subscriptions.get(topic)!, ackIds: part, ackDeadlineSeconds: 0 }).catch((err: unknown) => {
        // NOT_FOUND: the subscription was deleted, so there is nothing left to hand back
        if ((err as { code?: number } | null)?.code !== 5) throw err;
      });
    }
  }

  /** Stops extending leases and hands every uncommitted message back (nack) for immediate redelivery. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.extender);
    await this.extending.catch(() => {});
    try {
      for (const [topic, table] of this.leases) await this.nack(topic, table.clear().map((l) => l.ackId));
    } finally {
      this.onClose(this);
    }
  }

  /** Test hook standing in for a crash: stops lease extension without handing messages back. */
  abandon(): void {
    this.closed = true;
    clearInterval(this.extender);
    this.onClose(this);
  }
}
