import type { Admin } from 'kafkajs';

/** Kafka topic names: what the broker accepts (letters, digits, ".", "_", "-"; at most 249 characters). */
const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;

export function checkKafkaTopicName(name: string, busTopic: string): void {
  if (!TOPIC_NAME.test(name) || name === '.' || name === '..') {
    throw new RangeError(`kafka bus: topic "${name}" (bus topic "${busTopic}") is not a valid Kafka topic name; ` +
      'fix: use only letters, digits, ".", "_" and "-" in stream names and bus.topic_prefix (at most 249 characters)');
  }
}

/**
 * Creates topics on first use with the configured partition count (brokers' auto-creation would use
 * their own default, usually 1 partition, which caps a consumer group at one worker). Topics that
 * already exist are used as they are: an operator may have sized them on purpose.
 */
export class TopicAdmin {
  private readonly ensured = new Map<string, Promise<void>>();

  constructor(
    private readonly admin: Admin,
    private readonly partitions: number,
    private readonly replicationFactor: number,
  ) {}

  async ensure(topics: readonly string[]): Promise<void> {
    const missing = [...new Set(topics)].filter((t) => !this.ensured.has(t));
    if (missing.length > 0) {
      const created = this.create(missing);
      for (const t of missing) {
        const p = created.catch((err: unknown) => {
          this.ensured.delete(t); // let the next call try again
          throw err;
        });
        p.catch(() => {});
        this.ensured.set(t, p);
      }
    }
    await Promise.all([...new Set(topics)].map((t) => this.ensured.get(t)));
  }

  /**
   * Creates those of `topics` the cluster does not list yet. Asking first keeps the usual case (another
   * service created the topic) out of kafkajs's error log, where a refused CreateTopics lands; a topic
   * created by someone else between the two calls is still fine (kafkajs ignores TOPIC_ALREADY_EXISTS).
   */
  private async create(topics: readonly string[]): Promise<void> {
    const existing = new Set(await this.admin.listTopics());
    const absent = topics.filter((t) => !existing.has(t));
    if (absent.length === 0) return;
    await this.admin.createTopics({
      waitForLeaders: true,
      topics: absent.map((topic) => ({ topic, numPartitions: this.partitions, replicationFactor: this.replicationFactor })),
    });
  }

  /** Partition count per topic, from the cluster's metadata. */
  async partitionCounts(topics: readonly string[]): Promise<Map<string, number>> {
    if (topics.length === 0) return new Map();
    const meta = await this.admin.fetchTopicMetadata({ topics: [...topics] });
    return new Map(meta.topics.map((t) => [t.name, t.partitions.length]));
  }

  async deleteTopics(topics: readonly string[]): Promise<void> {
    await this.admin.deleteTopics({ topics: [...topics] });
    for (const t of topics) this.ensured.delete(t);
  }
}
