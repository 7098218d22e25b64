import type { Consumer, EachBatchPayload, KafkaMessage } from 'kafkajs';
import type { BusConsumer, BusRecord, CommitOffset, TopicPartition } from '../bus.js';
import { RecordBuffer } from './recordBuffer.js';

export interface KafkaConsumerSettings {
  readonly group: string;
  /** bus topic names (without the prefix) */
  readonly topics: readonly string[];
  readonly prefix: string;
  /** where a group without committed offsets starts: earliest (true) or latest */
  readonly fromBeginning: boolean;
  /** records fetched ahead of `poll` before kafkajs is made to wait */
  readonly maxBufferedRecords: number;
  /** how often a kafkajs batch waiting for buffer room heartbeats (below the session timeout) */
  readonly heartbeatIntervalMs: number;
  /** how long `start` waits for the first partition assignment */
  readonly joinTimeoutMs: number;
}

const tpKey = (topic: string, partition: number): string => `${topic}\u0000${partition}`;

/**
 * A pull consumer (`poll`) over kafkajs's push loop (`eachBatch`). kafkajs fetches into a bounded
 * buffer; when the buffer is full the batch handler waits there, heartbeating so the group keeps the
 * member, and kafkajs sends no further fetch until it returns: backpressure without pausing partitions.
 *
 * Offsets are committed only by `commit` (autoCommit off). On every rebalance (kafkajs GROUP_JOIN)
 * kafkajs starts each partition it now owns again from the group's committed offset, so this consumer
 * drops its buffer and increases `generation()`: whoever polls must discard state built from records
 * polled since its last commit and restore its checkpoint (see BusConsumer.generation).
 */
export class KafkaConsumer implements BusConsumer {
  private readonly buffer: RecordBuffer;
  private owned: TopicPartition[] = [];
  private ownedKeys = new Set<string>();
  private gen = 0;
  private failure: Error | undefined;
  private closed = false;

  private constructor(
    private readonly consumer: Consumer,
    private readonly s: KafkaConsumerSettings,
    private readonly onClose: (c: KafkaConsumer) => void,
  ) {
    this.buffer = new RecordBuffer(s.maxBufferedRecords);
  }

  /** Connects, subscribes and resolves once the group has assigned this member its partitions. */
  static async start(consumer: Consumer, s: KafkaConsumerSettings, onClose: (c: KafkaConsumer) => void): Promise<KafkaConsumer> {
    const c = new KafkaConsumer(consumer, s, onClose);
    consumer.on(consumer.events.GROUP_JOIN, (e) => c.onJoin(e.payload.memberAssignment));
    consumer.on(consumer.events.REBALANCING, () => c.buffer.clear());
    consumer.on(consumer.events.CRASH, (e) => {
      if (!e.payload.restart) c.fail(e.payload.error);
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: s.topics.map((t) => s.prefix + t), fromBeginning: s.fromBeginning });
      await consumer.run({
        autoCommit: false,
        // Resolved by hand only once the batch is in the buffer: a batch abandoned on close is fetched again.
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: 1,
        eachBatch: (payload) => c.onBatch(payload),
      });
      const deadline = Date.now() + s.joinTimeoutMs;
      while (c.gen === 0 && !c.failure && Date.now() < deadline) await c.buffer.waitForData(50);
      if (c.failure) throw c.failure;
      if (c.gen === 0) {
        throw new Error(`kafka bus: consumer of group '${s.group}' got no partition assignment within ${s.joinTimeoutMs} ms ` +
          '(fix: check the brokers are up and the group coordinator is available; raise joinTimeoutMs for big groups)');
      }
    } catch (err) {
      c.closed = true;
      await consumer.disconnect().catch(() => {});
      throw err;
    }
    return c;
  }

  get group(): string {
    return this.s.group;
  }

  assignment(): TopicPartition[] {
    return this.closed ? [] : this.owned.map((tp) => ({ ...tp }));
  }

  generation(): number {
    return this.gen;
  }

  /** Records fetched but not yet returned by `poll` (at most the limit plus one fetch response). */
  buffered(): number {
    return this.buffer.size;
  }

  async poll(options: { maxRecords: number; timeoutMs: number }): Promise<BusRecord[]> {
    const deadline = Date.now() + Math.max(0, options.timeoutMs);
    for (;;) {
      if (this.failure) throw this.failure;
      if (this.closed) return [];
      const records = this.buffer.take(options.maxRecords);
      const left = deadline - Date.now();
      if (records.length > 0 || left <= 0) return records;
      await this.buffer.waitForData(left);
    }
  }

  async commit(offsets: readonly CommitOffset[]): Promise<void> {
    if (this.closed) throw new Error(`commit: the Kafka consumer of group '${this.s.group}' is closed`);
    if (this.failure) throw this.failure;
    for (const o of offsets) {
      if (!this.ownedKeys.has(tpKey(o.topic, o.partition))) {
        throw new RangeError(`commit: ${o.topic}[${o.partition}] is not assigned to this consumer of group '${this.s.group}' (generation ${this.gen})`);
      }
      if (!Number.isSafeInteger(o.offset) || o.offset < 0) {
        throw new RangeError(`commit: offset for ${o.topic}[${o.partition}] must be a non-negative integer, got ${o.offset}`);
      }
    }
    if (offsets.length === 0) return;
    // kafkajs sends the current generation with the commit: after a rebalance the coordinator refuses it
    // (ILLEGAL_GENERATION / REBALANCE_IN_PROGRESS), which reaches the caller as an error.
    await this.consumer.commitOffsets(offsets.map((o) => ({ topic: this.s.prefix + o.topic, partition: o.partition, offset: String(o.offset) })));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.buffer.wakeAll();
    try {
      await this.consumer.disconnect();
    } finally {
      this.buffer.clear();
      this.onClose(this);
    }
  }

  private onJoin(memberAssignment: Record<string, number[]>): void {
    const owned: TopicPartition[] = [];
    for (const [kafkaTopic, partitions] of Object.entries(memberAssignment)) {
      const topic = kafkaTopic.startsWith(this.s.prefix) ? kafkaTopic.slice(this.s.prefix.length) : kafkaTopic;
      for (const partition of [...partitions].sort((a, b) => a - b)) owned.push({ topic, partition });
    }
    this.owned = owned;
    this.ownedKeys = new Set(owned.map((tp) => tpKey(tp.topic, tp.partition)));
    this.buffer.clear();
    this.gen += 1;
    this.buffer.wakeAll();
  }

  private fail(err: Error): void {
    this.failure = new Error(`kafka bus: the consumer of group '${this.s.group}' stopped: ${err.message}`, { cause: err });
    this.buffer.wakeAll();
  }

  private async onBatch({ batch, heartbeat, isRunning, isStale, resolveOffset }: EachBatchPayload): Promise<void> {
    if (!isRunning() || isStale() || this.closed) return;
    const gen = this.gen;
    const topic = batch.topic.startsWith(this.s.prefix) ? batch.topic.slice(this.s.prefix.length) : batch.topic;
    this.buffer.push(batch.messages.map((m) => toRecord(topic, batch.partition, m)));
    resolveOffset(batch.lastOffset());
    // Backpressure: hold kafkajs here (no next fetch) until poll has made room, heartbeating meanwhile.
    // heartbeat() throws when the group rebalances, which sends kafkajs back to join the group.
    while (this.buffer.full && isRunning() && !this.closed && gen === this.gen) {
      await heartbeat();
      await this.buffer.waitForRoom(Math.max(10, Math.floor(this.s.heartbeatIntervalMs / 2)));
    }
  }
}

function toRecord(topic: string, partition: number, m: KafkaMessage): BusRecord {
  return {
    topic,
    partition,
    offset: Number(m.offset),
    key: m.key ? m.key.toString('utf8') : '',
    value: m.value ? m.value.toString('utf8') : '',
    timestamp: Number(m.timestamp),
  };
}
