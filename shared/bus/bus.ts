/**
 * The bus interface shared by the embedded log, Kafka and Pub/Sub. It is Kafka-shaped on purpose:
 * topics split into partitions by key, per-partition offsets, consumer groups that commit the next
 * offset to read. A consumer commits only what it has fully emitted and landed, so a crash replays
 * from the last commit and deterministic row ids make the replay idempotent.
 */
export interface OutgoingRecord {
  readonly key: string;
  readonly value: string;
  /**
   * processing time the record was made, epoch ms. Omitted, the bus stamps the time it appends it (Kafka:
   * when the producer encodes the batch), which is what the ingests use: their appends follow receipt by
   * milliseconds, and a per-record timestamp costs kafkajs about 1 µs a record (bench:kafka's ingest half).
   */
  readonly timestamp?: number;
}

export interface BusRecord {
  readonly topic: string;
  readonly partition: number;
  /** position in the partition; commit `offset + 1` once it is fully processed */
  readonly offset: number;
  readonly key: string;
  readonly value: string;
  readonly timestamp: number;
}

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** How far a consumer's reading trails one partition's end (see BusConsumer.lag). */
export interface PartitionReadLag extends TopicPartition {
  /** records on the partition beyond this consumer's read position: appended, not yet polled */
  readonly records: number;
}

export interface CommitOffset extends TopicPartition {
  /** the next offset to read (Kafka semantics) */
  readonly offset: number;
}

export interface BusProducer {
  /** Resolves only once every record is durable on the bus: callers ack upstream after it. */
  send(topic: string, records: readonly OutgoingRecord[]): Promise<void>;
  close(): Promise<void>;
}

export interface BusConsumer {
  /** Up to `maxRecords` records from the assigned partitions, waiting at most `timeoutMs` for the first. */
  poll(options: { maxRecords: number; timeoutMs: number }): Promise<BusRecord[]>;
  /** Durably records, per partition, the next offset this group should read after a restart. */
  commit(offsets: readonly CommitOffset[]): Promise<void>;
  /** Partitions this consumer owns now (changes on rebalance for Kafka). */
  assignment(): TopicPartition[];
  /**
   * Optional (group buses such as Kafka): a counter that grows on every rebalance of this consumer.
   * After a rebalance the consumer has dropped its in-memory read positions and replays every partition
   * it now owns from the group's committed offset, so records returned before the change may come again.
   * A worker that sees the number change must discard its windowing state, restore its last checkpoint
   * for the partitions in `assignment()` and let the replay rebuild the rest; commits made for partitions
   * it no longer owns fail. Buses without rebalances (the embedded log) leave it out.
   */
  generation?(): number;
  /**
   * What a commit means. `log` (the default; embedded, Kafka): records stay on the bus and a restart
   * replays from the committed offset, so offsets are stable positions. `queue` (Pub/Sub): a commit
   * acknowledges, acknowledged messages are gone, and offsets number this consumer's deliveries only.
   */
  readonly delivery?: 'log' | 'queue';
  /**
   * Optional (buses that can tell cheaply; the embedded log does): per owned partition, the records
   * not yet polled, for the bus-lag metric. Measured from the read position, not the committed
   * offset: a worker commits only up to what its open windows no longer need, so committed lag
   * counts records it has long processed. Kafka and Pub/Sub leave it out.
   */
  lag?(): PartitionReadLag[];
  close(): Promise<void>;
}

export interface Bus {
  producer(): Promise<BusProducer>;
  consumer(options: { group: string; topics: readonly string[] }): Promise<BusConsumer>;
  close(): Promise<void>;
}
