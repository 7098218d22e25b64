import { Kafka, logLevel, type Admin, type KafkaConfig, type SASLOptions } from 'kafkajs';
import type { Bus, BusConsumer, BusProducer } from '../bus.js';
import { KafkaConsumer } from './kafkaConsumer.js';
import { KafkaProducer } from './kafkaProducer.js';
import { keyPartitioner } from './keyPartitioner.js';
import { subscriptionAssigner } from './subscriptionAssigner.js';
import { checkKafkaTopicName, TopicAdmin } from './topicAdmin.js';

export interface KafkaRetryOptions {
  /** retries of a failed request before kafkajs gives up; kafkajs default 5 */
  readonly retries?: number;
  readonly initialRetryTime?: number;
  readonly maxRetryTime?: number;
}

export interface KafkaBusOptions {
  /** bootstrap brokers, host:port */
  readonly brokers: readonly string[];
  readonly clientId?: string;
  /** prepended to bus topic (stream) names; default 'driftline.' */
  readonly topicPrefix?: string;
  /** partitions of the topics this bus creates; default 4 */
  readonly partitions?: number;
  /** replication factor of created topics; default -1 (the broker's default.replication.factor) */
  readonly replicationFactor?: number;
  readonly ssl?: boolean;
  /** idempotent producer (no duplicates from kafkajs's own retries); default true */
  readonly idempotent?: boolean;
  readonly sasl?: { readonly mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; readonly username: string; readonly password: string };
  /** where a group without committed offsets starts; default true (earliest) */
  readonly fromBeginning?: boolean;
  /** group session timeout; default 30 000 ms (brokers refuse less than group.min.session.timeout.ms, 6 s by default) */
  readonly sessionTimeoutMs?: number;
  /** how long the coordinator waits for members to rejoin in a rebalance; default 60 000 ms */
  readonly rebalanceTimeoutMs?: number;
  /** default 3 000 ms; keep about a third of the session timeout */
  readonly heartbeatIntervalMs?: number;
  /** longest a fetch waits at the broker for data; also bounds how soon an idle member notices a rebalance; default 1 000 ms */
  readonly maxWaitTimeMs?: number;
  /** records a consumer fetches ahead of `poll` before kafkajs is held back; default 10 000 */
  readonly maxBufferedRecords?: number;
  /** most bytes one fetch takes from a partition (kafkajs default 1 MiB); the buffer can exceed its limit by one fetch */
  readonly maxBytesPerPartition?: number;
  /** how long `consumer()` waits for its first partition assignment; default 60 000 ms */
  readonly joinTimeoutMs?: number;
  readonly retry?: KafkaRetryOptions;
  /** kafkajs's own log output (to stdout); default 'error' */
  readonly logLevel?: 'nothing' | 'error' | 'warn' | 'info' | 'debug';
}

const LOG_LEVELS = { nothing: logLevel.NOTHING, error: logLevel.ERROR, warn: logLevel.WARN, info: logLevel.INFO, debug: logLevel.DEBUG } as const;

function saslOptions(sasl: NonNullable<KafkaBusOptions['sasl']>): SASLOptions {
  return { mechanism: sasl.mechanism, username: sasl.username, password: sasl.password } as SASLOptions;
}

/**
 * The bus on Apache Kafka. kafkajs (looking for maintainers since 2023) stays inside this folder:
 * the rest of driftline sees only the `Bus` interface, so another client can replace it here.
 * - producer: one topic per stream (`<topicPrefix><stream>`, created on first use with `partitions`),
 *   keyed by device/vessel id with the Java-compatible murmur2 partitioner (memoised per key), acks=-1;
 * - consumer: a consumer group with a pull `poll` over kafkajs's `eachBatch`, commits only on `commit`,
 *   and a `generation()` that grows on every rebalance (see KafkaConsumer).
 */
export class KafkaBus implements Bus {
  private readonly kafka: Kafka;
  private readonly admin: Admin;
  private readonly topics: TopicAdmin;
  private readonly prefix: string;
  private adminConnected: Promise<void> | undefined;
  private readonly producers = new Set<KafkaProducer>();
  private readonly consumers = new Set<KafkaConsumer>();
  private closed = false;

  constructor(private readonly o: KafkaBusOptions) {
    if (!Array.isArray(o.brokers) || o.brokers.length === 0) {
      throw new TypeError('kafka bus: brokers is empty (fix: set bus.brokers to a list of host:port)');
    }
    const partitions = o.partitions ?? 4;
    if (!Number.isInteger(partitions) || partitions < 1) {
      throw new RangeError(`kafka bus: partitions must be a positive integer, got ${partitions}`);
    }
    this.prefix = o.topicPrefix ?? 'driftline.';
    const config: KafkaConfig = {
      clientId: o.clientId ?? 'driftline',
      brokers: [...o.brokers],
      logLevel: LOG_LEVELS[o.logLevel ?? 'error'],
      ...(o.retry ? { retry: { ...o.retry } } : {}),
      ...(o.ssl ? { ssl: true } : {}),
      ...(o.sasl ? { sasl: saslOptions(o.sasl) } : {}),
    };
    this.kafka = new Kafka(config);
    this.admin = this.kafka.admin();
    this.topics = new TopicAdmin(this.admin, partitions, o.replicationFactor ?? -1);
  }

  /** The Kafka topic a bus topic (stream name) maps to. */
  kafkaTopic(busTopic: string): string {
    return this.prefix + busTopic;
  }

  /**
   * The Kafka consumer group a bus group maps to (`<topicPrefix><group>`), namespaced like the topics
   * (and like the Pub/Sub bus's subscriptions): deployments sharing a cluster under different prefixes
   * never join one group, where every member's join or leave would rebalance all the others.
   */
  kafkaGroup(busGroup: string): string {
    return this.prefix + busGroup;
  }

  async producer(): Promise<BusProducer> {
    this.assertOpen('producer');
    await this.connectAdmin();
    const producer = this.kafka.producer({
      // The Java client's murmur2 partitioner, with each key's partition remembered (see keyPartitioner).
      createPartitioner: keyPartitioner,
      allowAutoTopicCreation: false,
      // Idempotent: the broker drops a batch kafkajs re-sends after a partial failure (a produce request
      // carries every partition of a broker, and kafkajs retries it whole), and one request in flight
      // per broker keeps each key's records in send order across retries.
      idempotent: this.o.idempotent ?? true,
      maxInFlightRequests: 1,
      ...(this.o.retry ? { retry: { ...this.o.retry } } : {}),
    });
    await producer.connect();
    const p = new KafkaProducer(producer, this.topics, this.prefix, (x) => this.producers.delete(x));
    this.producers.add(p);
    return p;
  }

  /**
   * Joins consumer group `group` for `topics` (created if missing) and resolves once the group has
   * assigned this member its partitions, so `assignment()` is meaningful at once. Consumers of one group
   * may subscribe to different topics (the worker runs one per stream): each topic's partitions are
   * spread over the members subscribed to it.
   */
  async consumer(options: { group: string; topics: readonly string[] }): Promise<KafkaConsumer & BusConsumer> {
    this.assertOpen('consumer');
    if (typeof options.group !== 'string' || options.group.length === 0) {
      throw new TypeError('kafka bus consumer: group must be a non-empty string');
    }
    const topics = [...new Set(options.topics)];
    if (topics.length === 0) throw new TypeError(`kafka bus consumer of group '${options.group}': topics is empty`);
    for (const t of topics) checkKafkaTopicName(this.kafkaTopic(t), t);
    await this.connectAdmin();
    await this.topics.ensure(topics.map((t) => this.kafkaTopic(t)));
    const sessionTimeout = this.o.sessionTimeoutMs ?? 30_000;
    const heartbeatInterval = this.o.heartbeatIntervalMs ?? 3_000;
    const kc = this.kafka.consumer({
      groupId: this.kafkaGroup(options.group),
      partitionAssigners: [subscriptionAssigner((names) => this.topics.partitionCounts(names))],
      sessionTimeout,
      rebalanceTimeout: this.o.rebalanceTimeoutMs ?? 60_000,
      heartbeatInterval,
      maxWaitTimeInMs: this.o.maxWaitTimeMs ?? 1_000,
      ...(this.o.maxBytesPerPartition ? { maxBytesPerPartition: this.o.maxBytesPerPartition } : {}),
      allowAutoTopicCreation: false,
      ...(this.o.retry ? { retry: { ...this.o.retry } } : {}),
    });
    const consumer = await KafkaConsumer.start(kc, {
      group: this.kafkaGroup(options.group),
      topics,
      prefix: this.prefix,
      fromBeginning: this.o.fromBeginning ?? true,
      maxBufferedRecords: this.o.maxBufferedRecords ?? 10_000,
      heartbeatIntervalMs: heartbeatInterval,
      joinTimeoutMs: this.o.joinTimeoutMs ?? 60_000,
    }, (c) => this.consumers.delete(c));
    this.consumers.add(consumer);
    return consumer;
  }

  /** Creates bus topics ahead of use (otherwise the first send or subscribe creates them). */
  async createTopics(busTopics: readonly string[]): Promise<void> {
    this.assertOpen('createTopics');
    for (const t of busTopics) checkKafkaTopicName(this.kafkaTopic(t), t);
    await this.connectAdmin();
    await this.topics.ensure(busTopics.map((t) => this.kafkaTopic(t)));
  }

  /** Deletes bus topics (tests and tear-down of throwaway topics). */
  async deleteTopics(busTopics: readonly string[]): Promise<void> {
    this.assertOpen('deleteTopics');
    await this.connectAdmin();
    await this.topics.deleteTopics(busTopics.map((t) => this.kafkaTopic(t)));
  }

  /** The group's committed offset per partition of a bus topic (null: never committed). */
  async committed(group: string, busTopic: string): Promise<{ partition: number; offset: number | null }[]> {
    this.assertOpen('committed');
    await this.connectAdmin();
    const [found] = await this.admin.fetchOffsets({ groupId: this.kafkaGroup(group), topics: [this.kafkaTopic(busTopic)] });
    return (found?.partitions ?? [])
      .map((p) => ({ partition: p.partition, offset: Number(p.offset) >= 0 ? Number(p.offset) : null }))
      .sort((a, b) => a.partition - b.partition);
  }

  /** Log-end offset of each partition of a bus topic. */
  async endOffsets(busTopic: string): Promise<number[]> {
    this.assertOpen('endOffsets');
    await this.connectAdmin();
    const offsets = await this.admin.fetchTopicOffsets(this.kafkaTopic(busTopic));
    return offsets.sort((a, b) => a.partition - b.partition).map((p) => Number(p.high));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const closing = [...[...this.producers].map((p) => p.close()), ...[...this.consumers].map((c) => c.close())];
    const results = await Promise.allSettled(closing);
    if (this.adminConnected) await this.admin.disconnect().catch(() => {});
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  private connectAdmin(): Promise<void> {
    this.adminConnected ??= this.admin.connect().catch((err: unknown) => {
      this.adminConnected = undefined;
      throw err;
    });
    return this.adminConnected;
  }

  private assertOpen(what: string): void {
    if (this.closed) throw new Error(`kafka bus (${this.o.brokers.join(',')}): ${what}() after close()`);
  }
}

/** KafkaBus options from the `bus:` section of driftline.yaml (kind: kafka); `overrides` tune the client. */
export function kafkaBusOptionsFromConfig(
  config: { brokers: string[]; client_id: string; topic_prefix: string; partitions: number; ssl: boolean; sasl?: KafkaBusOptions['sasl'] | undefined },
  overrides: Partial<KafkaBusOptions> = {},
): KafkaBusOptions {
  return {
    brokers: config.brokers,
    clientId: config.client_id,
    topicPrefix: config.topic_prefix,
    partitions: config.partitions,
    ssl: config.ssl,
    ...(config.sasl ? { sasl: config.sasl } : {}),
    ...overrides,
  };
}
