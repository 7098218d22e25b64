import type { PubSub } from '@google-cloud/pubsub';

/** Pub/Sub resource ids: a letter first, then letters, digits and - _ . ~ + %; 3 to 255 characters; not starting with "goog". */
const RESOURCE_ID = /^[A-Za-z][A-Za-z0-9\-_.~+%]{2,254}$/;

export function checkResourceId(kind: 'topic' | 'subscription', id: string, busName: string): void {
  if (!RESOURCE_ID.test(id) || id.toLowerCase().startsWith('goog')) {
    throw new RangeError(`pubsub bus: ${kind} id '${id}' (from '${busName}') is not a valid Pub/Sub id ` +
      '(fix: start bus.topic_prefix with a letter and use only letters, digits and - _ . ~ + %, 3 to 255 characters)');
  }
}

export interface SubscriptionSpec {
  readonly topic: string;
  readonly subscription: string;
  readonly ackDeadlineSeconds: number;
  /** dead-letter topic id and attempts, or undefined for none */
  readonly deadLetter?: { readonly topic: string; readonly maxDeliveryAttempts: number } | undefined;
}

const ALREADY_EXISTS = 6;

function isAlreadyExists(err: unknown): boolean {
  return (err as { code?: number } | null)?.code === ALREADY_EXISTS;
}

/**
 * Creates topics and subscriptions on first use, once per process (races with other processes are
 * settled by ALREADY_EXISTS). An existing subscription is used as it is: Pub/Sub cannot switch
 * message ordering on later, so its settings are the operator's (checked at creation only).
 */
export class TopicAdmin {
  private readonly topics = new Map<string, Promise<void>>();
  private readonly subscriptions = new Map<string, Promise<void>>();

  constructor(private readonly pubsub: PubSub) {}

  ensureTopic(id: string): Promise<void> {
    let p = this.topics.get(id);
    if (!p) {
      p = this.pubsub.createTopic(id).then(() => undefined, (err: unknown) => {
        if (isAlreadyExists(err)) return;
        this.topics.delete(id);
        throw err;
      });
      this.topics.set(id, p);
    }
    return p;
  }

  ensureSubscription(spec: SubscriptionSpec): Promise<void> {
    let p = this.subscriptions.get(spec.subscription);
    if (!p) {
      p = this.create(spec).catch((err: unknown) => {
        this.subscriptions.delete(spec.subscription);
        throw err;
      });
      this.subscriptions.set(spec.subscription, p);
    }
    return p;
  }

  private async create(spec: SubscriptionSpec): Promise<void> {
    await this.ensureTopic(spec.topic);
    if (spec.deadLetter) await this.ensureTopic(spec.deadLetter.topic);
    try {
      await this.pubsub.topic(spec.topic).createSubscription(spec.subscription, {
        enableMessageOrdering: true,
        ackDeadlineSeconds: spec.ackDeadlineSeconds,
        ...(spec.deadLetter ? {
          deadLetterPolicy: {
            deadLetterTopic: this.pubsub.topic(spec.deadLetter.topic).name,
            maxDeliveryAttempts: spec.deadLetter.maxDeliveryAttempts,
          },
        } : {}),
      });
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }

  async deleteTopic(id: string): Promise<void> {
    this.topics.delete(id);
    await this.pubsub.topic(id).delete().catch((err: unknown) => {
      if ((err as { code?: number }).code !== 5) throw err; // NOT_FOUND: already gone
    });
  }

  async deleteSubscription(id: string): Promise<void> {
    this.subscriptions.delete(id);
    await this.pubsub.subscription(id).delete().catch((err: unknown) => {
      if ((err as { code?: number }).code !== 5) throw err;
    });
  }
}
