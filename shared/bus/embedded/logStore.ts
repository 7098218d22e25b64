import type Database from 'better-sqlite3';
import type { OutgoingRecord } from '../bus.js';
import { partitionFor } from './partitioner.js';

export interface PartitionRef {
  /** row id of the partition in the log file: the compact key records are stored under */
  readonly id: number;
  readonly topic: string;
  readonly partition: number;
}

export interface TopicInfo {
  readonly name: string;
  readonly partitions: readonly PartitionRef[];
}

export interface StoredRecord {
  readonly offset: number;
  readonly key: string;
  readonly value: string;
  readonly timestamp: number;
}

export type StoredRow = [offset: number, key: string, value: string, timestamp: number];

export interface AppendBatch {
  readonly topic: string;
  readonly records: readonly OutgoingRecord[];
}

export interface LogStoreOptions {
  /** partitions of a topic created on first use */
  readonly defaultPartitions: number;
  /** partition counts declared in config; an existing topic with another count is refused */
  readonly topicPartitions?: Readonly<Record<string, number>>;
}

// Kafka's topic name rules, so a topic that works on the embedded bus also works on Kafka.
const topicName = /^[A-Za-z0-9._-]{1,249}$/;

export function checkTopicName(name: string): void {
  if (typeof name !== 'string' || !topicName.test(name) || name === '.' || name === '..') {
    throw new TypeError(`invalid topic name ${JSON.stringify(name)}: use 1-249 letters, digits, '.', '_' or '-' (Kafka's rules)`);
  }
}

/**
 * The partitioned log: topics, their partitions and the records in them, in one SQLite file.
 * Offsets are assigned inside the write transaction from `partitions.next_offset`, so producers in
 * several processes sharing the file get gap-free, strictly increasing offsets per partition.
 */
export class LogStore {
  private readonly topics = new Map<string, TopicInfo>();
  private readonly statements;
  // Built once: better-sqlite3's db.transaction() wraps the function anew on every call, which
  // costs more than a one-record append itself.
  private readonly appendTransaction;

  constructor(
    private readonly db: Database.Database,
    private readonly options: LogStoreOptions,
  ) {
    this.statements = {
      topic: db.prepare<[string], { partitions: number }>('SELECT partitions FROM topics WHERE name = ?'),
      insertTopic: db.prepare('INSERT OR IGNORE INTO topics (name, partitions, created_at) VALUES (?, ?, ?)'),
      insertPartition: db.prepare('INSERT OR IGNORE INTO partitions (topic, partition, next_offset) VALUES (?, ?, 0)'),
      partitions: db.prepare<[string], { id: number; partition: number }>(
        'SELECT id, partition FROM partitions WHERE topic = ? ORDER BY partition'),
      nextOffset: db.prepare<[number], { next_offset: number }>('SELECT next_offset FROM partitions WHERE id = ?'),
      setNextOffset: db.prepare('UPDATE partitions SET next_offset = ? WHERE id = ?'),
      insertRecord: db.prepare('INSERT INTO records (pid, record_offset, key, value, timestamp) VALUES (?, ?, ?, ?, ?)'),
      // raw(): rows as arrays, which better-sqlite3 builds faster than objects with named keys
      read: db.prepare<[number, number, number], StoredRow>(
        'SELECT record_offset, key, value, timestamp FROM records WHERE pid = ? AND record_offset >= ? ORDER BY record_offset LIMIT ?').raw(),
      firstOffset: db.prepare<[number], { first: number | null }>('SELECT MIN(record_offset) AS first FROM records WHERE pid = ?'),
      deleteBelow: db.prepare('DELETE FROM records WHERE pid = ? AND record_offset < ?'),
      allTopics: db.prepare<[], { name: string }>('SELECT name FROM topics ORDER BY name'),
    };
    this.appendTransaction = db.transaction(this.appendInTransaction.bind(this));
  }

  /** The topic, created with its configured (or default) partition count if it does not exist. */
  topic(name: string): TopicInfo {
    const cached = this.topics.get(name);
    if (cached) return cached;
    checkTopicName(name);
    const info = this.db.transaction(() => this.topicInTransaction(name)).immediate();
    this.topics.set(name, info);
    return info;
  }

  private topicInTransaction(name: string): TopicInfo {
    const configured = this.options.topicPartitions?.[name];
    let stored = this.statements.topic.get(name)?.partitions;
    if (stored === undefined) {
      stored = configured ?? this.options.defaultPartitions;
      this.statements.insertTopic.run(name, stored, Date.now());
      for (let p = 0; p < stored; p++) this.statements.insertPartition.run(name, p);
    } else if (configured !== undefined && configured !== stored) {
      throw new Error(
        `topic '${name}' has ${stored} partitions in the bus log but the config asks for ${configured}: ` +
        `changing the count would move keys to other partitions and break their order; set it back to ${stored} ` +
        'or start a new bus file');
    }
    const partitions = this.statements.partitions.all(name).map((r) => ({ id: r.id, topic: name, partition: r.partition }));
    return { name, partitions };
  }

  /** Topics present in the file, including those other processes created. */
  topicNames(): string[] {
    return this.statements.allTopics.all().map((r) => r.name);
  }

  /**
   * Appends every batch in ONE write transaction (BEGIN IMMEDIATE): all records become visible and
   * durable together, or none do.
   */
  append(batches: readonly AppendBatch[]): void {
    const infos = batches.map((b) => this.topic(b.topic));
    this.appendTransaction.immediate(batches, infos, Date.now());
  }

  private appendInTransaction(batches: readonly AppendBatch[], infos: readonly TopicInfo[], now: number): void {
    const next = new Map<number, number>();
    batches.forEach((batch, b) => {
      const partitions = infos[b].partitions;
      for (const record of batch.records) {
        const ref = partitions[this.partitionOf(batch.topic, record.key, partitions.length)];
        let offset = next.get(ref.id);
        if (offset === undefined) offset = this.statements.nextOffset.get(ref.id)!.next_offset;
        this.statements.insertRecord.run(ref.id, offset, record.key, record.value, record.timestamp ?? now);
        next.set(ref.id, offset + 1);
      }
    });
    for (const [pid, offset] of next) this.statements.setNextOffset.run(offset, pid);
  }

  // Keys repeat (a fleet is a few thousand devices), so their partitions are memoised; the map is
  // dropped when it grows large rather than tracking recency, which is enough for a cache this cheap.
  private readonly partitionCache = new Map<string, number>();

  private partitionOf(topic: string, key: string, partitions: number): number {
    const cacheKey = `${topic}\u0000${key}`;
    let p = this.partitionCache.get(cacheKey);
    if (p === undefined) {
      if (this.partitionCache.size >= 100_000) this.partitionCache.clear();
      p = partitionFor(key, partitions);
      this.partitionCache.set(cacheKey, p);
    }
    return p;
  }

  read(pid: number, fromOffset: number, limit: number): StoredRecord[] {
    return this.readRows(pid, fromOffset, limit).map(([offset, key, value, timestamp]) => ({ offset, key, value, timestamp }));
  }

  /** `read` as [offset, key, value, timestamp] tuples: the consumer's hot path, one object fewer per record. */
  readRows(pid: number, fromOffset: number, limit: number): StoredRow[] {
    return this.statements.read.all(pid, fromOffset, limit);
  }

  /** The offset the next appended record will get (Kafka's log-end offset). */
  endOffset(pid: number): number {
    return this.statements.nextOffset.get(pid)!.next_offset;
  }

  /** The first offset still stored (Kafka's log-start offset); equals the end when retention emptied it. */
  startOffset(pid: number): number {
    return this.statements.firstOffset.get(pid)?.first ?? this.endOffset(pid);
  }

  deleteBelow(pid: number, offset: number): number {
    return this.statements.deleteBelow.run(pid, offset).changes;
  }
}
