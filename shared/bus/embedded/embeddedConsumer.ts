import type Database from 'better-sqlite3';
import type { BusConsumer, BusRecord, CommitOffset, PartitionReadLag, TopicPartition } from '../bus.js';
import { waitForAppend } from './appendNotifier.js';
import type { GroupMembership } from './groupMembership.js';
import type { LogStore, PartitionRef } from './logStore.js';
import type { OffsetStore } from './offsetStore.js';

export interface EmbeddedConsumerContext {
  readonly db: Database.Database;
  readonly file: string;
  readonly log: LogStore;
  readonly offsets: OffsetStore;
  readonly membership: GroupMembership;
  readonly group: string;
  readonly memberId: string;
  readonly generations: ReadonlyMap<string, number>;
  readonly partitions: readonly PartitionRef[];
  /** how often a waiting poll looks for appends made by other processes */
  readonly pollIntervalMs: number;
  /** where a group without a committed offset starts: the oldest stored record, or the log end */
  readonly fromBeginning: boolean;
  readonly onClose: (consumer: EmbeddedConsumer) => void;
}

const tpKey = (topic: string, partition: number): string => `${topic}\u0000${partition}`;

/**
 * Reads the group's partitions from the position after the last record it returned, starting at the
 * committed offset. Positions live in memory (like a Kafka consumer's fetch positions); only
 * `commit` makes progress durable, so a crash replays from the last commit.
 */
export class EmbeddedConsumer implements BusConsumer {
  private readonly positions = new Map<number, number>();
  private readonly byTopicPartition = new Map<string, PartitionRef>();
  private readonly closing = new AbortController();
  private rotation = 0;
  private closed = false;

  constructor(private readonly ctx: EmbeddedConsumerContext) {
    for (const ref of ctx.partitions) {
      this.byTopicPartition.set(tpKey(ref.topic, ref.partition), ref);
      const committed = ctx.offsets.committed(ctx.group, ref.id);
      this.positions.set(ref.id, committed ?? (ctx.fromBeginning ? ctx.log.startOffset(ref.id) : ctx.log.endOffset(ref.id)));
    }
  }

  get group(): string {
    return this.ctx.group;
  }

  assignment(): TopicPartition[] {
    return this.closed ? [] : this.ctx.partitions.map((p) => ({ topic: p.topic, partition: p.partition }));
  }

  async poll(options: { maxRecords: number; timeoutMs: number }): Promise<BusRecord[]> {
    const maxRecords = Math.max(1, Math.floor(options.maxRecords));
    const deadline = Date.now() + Math.max(0, options.timeoutMs);
    for (;;) {
      if (this.closed) return [];
      const records = this.read(maxRecords);
      const left = deadline - Date.now();
      if (records.length > 0 || left <= 0) return records;
      await waitForAppend(this.ctx.file, Math.min(left, this.ctx.pollIntervalMs), this.closing.signal);
    }
  }

  /**
   * Two passes so one busy partition cannot starve the others within a poll (a starved partition
   * would hold back the worker's watermark): first each partition gets an equal share, then what is
   * left of `maxRecords` goes round-robin, starting at a partition that rotates between polls.
   */
  private read(maxRecords: number): BusRecord[] {
    const parts = this.ctx.partitions;
    const out: BusRecord[] = [];
    const share = Math.ceil(maxRecords / parts.length);
    const exhausted = new Set<number>();
    for (let pass = 0; pass < 2 && out.length < maxRecords; pass++) {
      for (let i = 0; i < parts.length && out.length < maxRecords; i++) {
        const ref = parts[(this.rotation + i) % parts.length];
        if (exhausted.has(ref.id)) continue;
        const want = pass === 0 ? Math.min(share, maxRecords - out.length) : maxRecords - out.length;
        const position = this.positions.get(ref.id)!;
        const rows = this.ctx.log.readRows(ref.id, position, want);
        if (rows.length < want) exhausted.add(ref.id);
        for (const [offset, key, value, timestamp] of rows) {
          out.push({ topic: ref.topic, partition: ref.partition, offset, key, value, timestamp });
        }
        if (rows.length > 0) this.positions.set(ref.id, rows[rows.length - 1][0] + 1);
      }
    }
    this.rotation = (this.rotation + 1) % parts.length;
    return out;
  }

  async commit(offsets: readonly CommitOffset[]): Promise<void> {
    if (this.closed) throw new Error(`commit: the consumer of group '${this.ctx.group}' is closed`);
    const checked = offsets.map((o) => {
      const ref = this.byTopicPartition.get(tpKey(o.topic, o.partition));
      if (!ref) {
        throw new RangeError(`commit: ${o.topic}[${o.partition}] is not assigned to this consumer of group '${this.ctx.group}'`);
      }
      if (!Number.isSafeInteger(o.offset) || o.offset < 0) {
        throw new RangeError(`commit: offset for ${o.topic}[${o.partition}] must be a non-negative integer, got ${o.offset}`);
      }
      return { ref, offset: o.offset };
    });
    if (checked.length === 0) return;
    const now = Date.now();
    this.ctx.db.transaction(() => {
      for (const topic of new Set(checked.map((c) => c.ref.topic))) {
        this.ctx.membership.assertOwner(this.ctx.group, topic, this.ctx.memberId, this.ctx.generations.get(topic)!);
      }
      for (const { ref, offset } of checked) {
        const end = this.ctx.log.endOffset(ref.id);
        if (offset > end) {
          throw new RangeError(`commit: offset ${offset} for ${ref.topic}[${ref.partition}] is beyond the log end ${end}`);
        }
        this.ctx.offsets.put(this.ctx.group, ref.id, offset, now);
      }
    }).immediate();
  }

  /** Moves the read position (not the committed offset), e.g. to skip what a restored snapshot already holds. */
  seek(target: CommitOffset): void {
    const ref = this.byTopicPartition.get(tpKey(target.topic, target.partition));
    if (!ref) throw new RangeError(`seek: ${target.topic}[${target.partition}] is not assigned to this consumer`);
    if (!Number.isSafeInteger(target.offset) || target.offset < 0) throw new RangeError(`seek: bad offset ${target.offset}`);
    this.positions.set(ref.id, target.offset);
  }

  /** The offset of the next record `poll` returns for the partition. */
  position(tp: TopicPartition): number {
    const ref = this.byTopicPartition.get(tpKey(tp.topic, tp.partition));
    if (!ref) throw new RangeError(`position: ${tp.topic}[${tp.partition}] is not assigned to this consumer`);
    return this.positions.get(ref.id)!;
  }

  /** Records appended to each partition beyond the read position (one indexed lookup per partition). */
  lag(): PartitionReadLag[] {
    if (this.closed) return [];
    return this.ctx.partitions.map((ref) => ({
      topic: ref.topic,
      partition: ref.partition,
      records: Math.max(0, this.ctx.log.endOffset(ref.id) - this.positions.get(ref.id)!),
    }));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.closing.abort();
    this.ctx.membership.leave(this.ctx.group, [...this.ctx.generations.keys()], this.ctx.memberId);
    this.ctx.onClose(this);
  }
}
