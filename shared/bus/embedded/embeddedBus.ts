import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { Bus, BusConsumer, BusProducer } from '../bus.js';
import { EmbeddedConsumer } from './embeddedConsumer.js';
import { EmbeddedProducer } from './embeddedProducer.js';
import { GroupMembership } from './groupMembership.js';
import { openLogDatabase, type Synchronous } from './logDatabase.js';
import { LogStore } from './logStore.js';
import { OffsetStore } from './offsetStore.js';
import { compactLog, type CompactionResult } from './retention.js';

export interface EmbeddedBusOptions {
  /** the log file, shared by every process on this machine that uses the bus; default ./data/bus.sqlite */
  readonly path?: string;
  /** partitions of a topic created on first use; default 4 */
  readonly partitions?: number;
  /** partition counts per topic; an existing topic with a different count is refused */
  readonly topics?: Readonly<Record<string, { readonly partitions: number }>>;
  /** see logDatabase.ts; default NORMAL (acknowledged records survive process crashes; FULL: power loss too) */
  readonly synchronous?: Synchronous;
  /** how often a waiting poll checks for appends from other processes; default 10 ms */
  readonly pollIntervalMs?: number;
  /** how often fully committed records are deleted; default 60 s; 0 turns periodic retention off */
  readonly retentionIntervalMs?: number;
  /** where a new group starts: the oldest stored record (default) or the log end */
  readonly fromBeginning?: boolean;
  readonly busyTimeoutMs?: number;
}

export interface PartitionLag {
  readonly topic: string;
  readonly partition: number;
  /** next offset the group will read after a restart; null if it never committed */
  readonly committed: number | null;
  readonly end: number;
  /** records appended but not yet committed by the group */
  readonly lag: number;
}

/**
 * The embedded bus: a crash-safe partitioned log in one SQLite file (better-sqlite3, WAL mode),
 * usable by several processes on one machine at once (ingest and worker as separate processes).
 * SQLite gives the crash safety: an append is a transaction, so after `kill -9` or power loss the log
 * holds each send entirely or not at all, never a torn record.
 */
export class EmbeddedBus implements Bus {
  readonly file: string;
  private readonly db: Database.Database;
  private readonly log: LogStore;
  private readonly offsets: OffsetStore;
  private readonly membership: GroupMembership;
  private readonly producers = new Set<EmbeddedProducer>();
  private readonly consumers = new Set<EmbeddedConsumer>();
  private readonly retentionTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: EmbeddedBusOptions = {}) {
    this.file = resolve(options.path ?? './data/bus.sqlite');
    const partitions = options.partitions ?? 4;
    if (!Number.isInteger(partitions) || partitions < 1) {
      throw new RangeError(`embedded bus: partitions must be a positive integer, got ${partitions}`);
    }
    this.db = openLogDatabase(this.file, { synchronous: options.synchronous, busyTimeoutMs: options.busyTimeoutMs });
    this.log = new LogStore(this.db, {
      defaultPartitions: partitions,
      topicPartitions: Object.fromEntries(Object.entries(options.topics ?? {}).map(([t, c]) => [t, c.partitions])),
    });
    this.offsets = new OffsetStore(this.db);
    this.membership = new GroupMembership(this.db);
    const every = options.retentionIntervalMs ?? 60_000;
    if (every > 0) {
      this.retentionTimer = setInterval(() => {
        try {
          this.compact();
        } catch {
          // another process holding the write lock past the busy timeout: the next run catches up
        }
      }, every);
      this.retentionTimer.unref();
    }
  }

  async producer(): Promise<BusProducer> {
    this.assertOpen('producer');
    const producer = new EmbeddedProducer(this.log, this.file, (p) => this.producers.delete(p));
    this.producers.add(producer);
    return producer;
  }

  /**
   * A consumer owning every partition of `topics` for `group` (one live consumer per group and
   * topic: a second one fails with GroupBusyError until the first closes or its process dies).
   */
  async consumer(options: { group: string; topics: readonly string[] }): Promise<EmbeddedConsumer & BusConsumer> {
    this.assertOpen('consumer');
    if (typeof options.group !== 'string' || options.group.length === 0) {
      throw new TypeError('embedded bus consumer: group must be a non-empty string');
    }
    const topics = [...new Set(options.topics)];
    if (topics.length === 0) throw new TypeError(`embedded bus consumer of group '${options.group}': topics is empty`);
    const partitions = topics.flatMap((t) => this.log.topic(t).partitions);
    const memberId = randomUUID();
    const generations = this.membership.join(options.group, topics, memberId);
    const consumer = new EmbeddedConsumer({
      db: this.db, file: this.file, log: this.log, offsets: this.offsets, membership: this.membership,
      group: options.group, memberId, generations, partitions,
      pollIntervalMs: this.options.pollIntervalMs ?? 10,
      fromBeginning: this.options.fromBeginning ?? true,
      onClose: (c) => this.consumers.delete(c),
    });
    this.consumers.add(consumer);
    return consumer;
  }

  /** Creates a topic ahead of use (otherwise the first send or subscribe creates it). */
  createTopic(name: string): { name: string; partitions: number } {
    this.assertOpen('createTopic');
    return { name, partitions: this.log.topic(name).partitions.length };
  }

  /** Deletes records every subscribed group has committed past; runs periodically by itself. */
  compact(maxPerPartition?: number): CompactionResult {
    this.assertOpen('compact');
    return compactLog(this.db, this.log, this.offsets, maxPerPartition);
  }

  /** Per partition of the group's topics: committed offset, log end and lag (for the bus-lag metric). */
  lag(group: string): PartitionLag[] {
    this.assertOpen('lag');
    const topics = this.membership.subscriptions().filter((s) => s.group === group).map((s) => s.topic);
    return topics.flatMap((topic) => this.log.topic(topic).partitions.map((ref) => {
      const committed = this.offsets.committed(group, ref.id) ?? null;
      const end = this.log.endOffset(ref.id);
      return { topic, partition: ref.partition, committed, end, lag: end - (committed ?? this.log.startOffset(ref.id)) };
    }));
  }

  /** Log-end offset of each partition of a topic. */
  endOffsets(topic: string): number[] {
    this.assertOpen('endOffsets');
    return this.log.topic(topic).partitions.map((ref) => this.log.endOffset(ref.id));
  }

  /** Forgets a consumer group that will not come back, so its offsets stop holding back retention. */
  deleteGroup(group: string): void {
    this.assertOpen('deleteGroup');
    for (const c of this.consumers) {
      if (c.group === group) {
        throw new Error(`deleteGroup: group '${group}' has an open consumer in this process; close it first`);
      }
    }
    this.db.transaction(() => {
      this.membership.deleteGroup(group);
      this.offsets.deleteGroup(group);
    }).immediate();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    for (const p of [...this.producers]) await p.close();
    for (const c of [...this.consumers]) await c.close();
    if (this.retentionTimer) clearInterval(this.retentionTimer);
    this.closed = true;
    this.db.close();
  }

  private assertOpen(what: string): void {
    if (this.closed) throw new Error(`embedded bus ${this.file}: ${what}() after close()`);
  }
}
