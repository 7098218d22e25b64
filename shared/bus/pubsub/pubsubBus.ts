import { type PubSub, v1 } from '@google-cloud/pubsub';
import type { Bus, BusConsumer, BusProducer } from '../bus.js';
import { createPubSubClient } from './pubsubClient.js';
import { PubSubConsumer } from './pubsubConsumer.js';
import { PubSubProducer } from './pubsubProducer.js';
import { checkResourceId, TopicAdmin, type SubscriptionSpec } from './topicAdmin.js';

export interface PubSubBusOptions {
  readonly projectId: string;
  /** prepended to bus topic (stream) names to form Pub/Sub topic ids; default 'driftline-' */
  readonly topicPrefix?: string;
  /** host:port of the emulator or fake; without it the client talks to Google with application default credentials */
  readonly emulatorHost?: string;
  /** ack deadline of created subscriptions and of every lease extension, seconds (Google: 10..600); default 60 */
  readonly ackDeadlineSeconds?: number;
  /** flow control: most messages a consumer holds leased and uncommitted; default 10 000 */
  readonly maxOutstandingMessages?: number;
  /**
   * Dead-letter policy of created subscriptions: after this many deliveries (5..100 on Google) a message
   * moves to `<topic id>.dead-letter`, readable as bus topic `<stream>.dead-letter`; default 5; 0 for none.
   */
  readonly maxDeliveryAttempts?: number;
  /**
   * Per bus topic, the groups whose subscriptions the producer creates along with the topic. Pub/Sub keeps
   * a message only for subscriptions that exist when it is published, so records an ingest sends before
   * the worker's first start are lost unless its group is named here (or the subscription was made
   * beforehand). Name only groups that will read the topic: a subscription nobody reads fills up.
   */
  readonly producerGroups?: (busTopic: string) => readonly string[];
}

/** Suffix of the dead-letter topic of a bus topic. */
export const DEAD_LETTER_SUFFIX = '.dead-letter';

/**
 * The bus on Google Cloud Pub/Sub. Pub/Sub has no partitions or offsets, so every topic is partition 0
 * and offsets are per-consumer sequence numbers (see PubSubConsumer); a group is one subscription per
 * topic, `<topic id>.<group>`, created on demand with message ordering and a dead-letter policy.
 * Ordering keys are the record keys: a key's records arrive in order, and several consumers of a group
 * share the subscription's messages (Pub/Sub, not the bus, decides who gets which key).
 */
export class PubSubBus implements Bus {
  readonly pubsub: PubSub;
  private readonly subscriber: v1.SubscriberClient;
  private readonly admin: TopicAdmin;
  private readonly prefix: string;
  private readonly producers = new Set<PubSubProducer>();
  private readonly consumers = new Set<PubSubConsumer>();
  private closed = false;

  constructor(private readonly o: PubSubBusOptions) {
    if (typeof o.projectId !== 'string' || o.projectId === '') {
      throw new TypeError('pubsub bus: projectId is empty (fix: set bus.project_id)');
    }
    const ack = o.ackDeadlineSeconds ?? 60;
    // Google accepts 10..600; the fake accepts less, which keeps redelivery tests short.
    if (!Number.isInteger(ack) || ack < 1 || ack > 600) {
      throw new RangeError(`pubsub bus: ackDeadlineSeconds must be an integer from 10 to 600 (the fake: from 1), got ${ack}`);
    }
    this.prefix = o.topicPrefix ?? 'driftline-';
    this.pubsub = createPubSubClient({ projectId: o.projectId, emulatorHost: o.emulatorHost });
    // The PubSub object has worked out endpoint and credentials (emulator or Google); the raw client reuses them.
    this.subscriber = new v1.SubscriberClient({ ...this.pubsub.options } as ConstructorParameters<typeof v1.SubscriberClient>[0]);
    this.admin = new TopicAdmin(this.pubsub);
  }

  /** Groups whose subscriptions producers create with a topic (see PubSubBusOptions.producerGroups). */
  producerGroups(busTopic: string): readonly string[] {
    return this.o.producerGroups?.(busTopic) ?? [];
  }

  /** The Pub/Sub topic id of a bus topic. */
  topicId(busTopic: string): string {
    return this.prefix + busTopic;
  }

  /** The subscription id of a group on a bus topic. */
  subscriptionId(busTopic: string, group: string): string {
    return `${this.topicId(busTopic)}.${group}`;
  }

  /** How `<topic id>.<group>` is created: ordered, with the dead-letter policy (none on a dead-letter topic itself). */
  private subscriptionSpec(busTopic: string, group: string): SubscriptionSpec {
    const topic = this.topicId(busTopic);
    const subscription = this.subscriptionId(busTopic, group);
    checkResourceId('topic', topic, busTopic);
    checkResourceId('subscription', subscription, `${busTopic} / group ${group}`);
    const attempts = this.o.maxDeliveryAttempts ?? 5;
    const deadLetter = attempts > 0 && !busTopic.endsWith(DEAD_LETTER_SUFFIX)
      ? { topic: topic + DEAD_LETTER_SUFFIX, maxDeliveryAttempts: attempts }
      : undefined;
    return { topic, subscription, ackDeadlineSeconds: this.o.ackDeadlineSeconds ?? 60, deadLetter };
  }

  async producer(): Promise<BusProducer> {
    this.assertOpen('producer');
    const prepare = async (t: string): Promise<void> => {
      await this.admin.ensureTopic(this.topicId(t));
      for (const g of this.producerGroups(t)) await this.admin.ensureSubscription(this.subscriptionSpec(t, g));
    };
    const p = new PubSubProducer(this.pubsub, prepare, (t) => this.topicId(t), (x) => this.producers.delete(x));
    this.producers.add(p);
    return p;
  }

  /** A consumer of `group` on `topics`; topics and subscriptions are created if missing. */
  async consumer(options: { group: string; topics: readonly string[] }): Promise<PubSubConsumer & BusConsumer> {
    this.assertOpen('consumer');
    if (typeof options.group !== 'string' || options.group.length === 0) {
      throw new TypeError('pubsub bus consumer: group must be a non-empty string');
    }
    const topics = [...new Set(options.topics)];
    if (topics.length === 0) throw new TypeError(`pubsub bus consumer of group '${options.group}': topics is empty`);
    const subscriptions = new Map<string, string>();
    for (const t of topics) {
      const spec = this.subscriptionSpec(t, options.group);
      await this.admin.ensureSubscription(spec);
      subscriptions.set(t, this.pubsub.subscription(spec.subscription).name);
    }
    const c = new PubSubConsumer(this.subscriber, {
      group: options.group,
      subscriptions,
      ackDeadlineSeconds: this.o.ackDeadlineSeconds ?? 60,
      maxOutstandingMessages: this.o.maxOutstandingMessages ?? 10_000,
      seqBase: Date.now() * 1000,
    }, (x) => this.consumers.delete(x));
    this.consumers.add(c);
    return c;
  }

  /** Deletes the Pub/Sub topics, dead-letter topics and the groups' subscriptions of bus topics (tests, tear-down). */
  async deleteTopics(busTopics: readonly string[], groups: readonly string[] = []): Promise<void> {
    for (const t of busTopics) {
      for (const g of groups) await this.admin.deleteSubscription(this.subscriptionId(t, g));
      await this.admin.deleteTopic(this.topicId(t));
      await this.admin.deleteTopic(this.topicId(t) + DEAD_LETTER_SUFFIX);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const results = await Promise.allSettled([...[...this.producers].map((p) => p.close()), ...[...this.consumers].map((c) => c.close())]);
    await this.subscriber.close().catch(() => {});
    await this.pubsub.close().catch(() => {});
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  private assertOpen(what: string): void {
    if (this.closed) throw new Error(`pubsub bus (project ${this.o.projectId}): ${what}() after close()`);
  }
}

/** PubSubBus options from the `bus:` section of driftline.yaml (kind: pubsub); `overrides` tune the client. */
export function pubsubBusOptionsFromConfig(
  config: { project_id: string; topic_prefix: string; emulator_host?: string | undefined },
  overrides: Partial<PubSubBusOptions> = {},
): PubSubBusOptions {
  return {
    projectId: config.project_id,
    topicPrefix: config.topic_prefix,
    ...(config.emulator_host ? { emulatorHost: config.emulator_host } : {}),
    ...overrides,
  };
}
