import { Duration, type Message, type PubSub, type Subscription } from '@google-cloud/pubsub';
import { pino, type Logger } from 'pino';
import { Registry } from 'prom-client';
import type { BusProducer, OutgoingRecord } from '../../shared/bus/bus.js';
import { createPubSubClient, type PubSubConnection } from '../../shared/bus/pubsub/pubsubClient.js';
import type { PubSubSourceConfig } from '../../shared/config/pubsubSourceSchema.js';
import type { StreamConfig } from '../../shared/config/streamSchema.js';
import { DEAD_LETTER_TOPIC, deadLetterRecord, payloadText, type DeadLetterReason } from '../../shared/deadLetters/deadLetter.js';
import { DurableBatcher } from './durableBatcher.js';
import { createPubSubIngestMetrics } from './pubsubIngestMetrics.js';
import { PubSubMessageDecoder } from './pubsubMessageDecoder.js';

export interface PubSubIngestOptions {
  readonly source: PubSubSourceConfig;
  readonly streams: Readonly<Record<string, StreamConfig>>;
  /** project and endpoint (see pubsubSourceConnection) */
  readonly connection: PubSubConnection;
  /** where valid events (topic = stream name) and dead letters (topic `dead_letters`) are appended */
  readonly producer: BusProducer;
  readonly registry?: Registry;
  readonly logger?: Logger;
}

export interface PubSubIngestStats {
  /** deliveries received (a redelivered message counts again) */
  readonly received: number;
  /** valid events durably appended to their stream */
  readonly valid: number;
  /** dead letters durably appended, by reason */
  readonly deadLetters: Readonly<Record<DeadLetterReason, number>>;
  readonly acked: number;
  /** handed back to Pub/Sub for redelivery: the bus append failed, or the ingest was stopping */
  readonly nacked: number;
  /** received, not yet settled */
  readonly pending: number;
}

export interface PubSubIngestService {
  stats(): PubSubIngestStats;
  /** every subscription is open and none has failed */
  isReady(): boolean;
  /**
   * Stops taking messages (new arrivals are nacked), makes the received ones durable and acknowledges
   * them, then closes the subscriptions. After `timeoutMs` it closes anyway; the client nacks whatever
   * is still held, so Pub/Sub redelivers it.
   */
  stop(options?: { timeoutMs?: number }): Promise<void>;
}

interface Item {
  readonly message: Message;
  readonly topic: string;
  readonly record: OutgoingRecord;
  readonly stream: string;
  readonly reason: DeadLetterReason | null;
}

const NOT_FOUND = 5;
const PERMISSION_DENIED = 7;

function openError(sub: string, index: number, projectId: string, err: unknown): Error {
  const code = (err as { code?: number } | null)?.code;
  const fix = code === NOT_FOUND
    ? `create it (gcloud pubsub subscriptions create ${sub} --topic <the devices' topic>) or fix sources.pubsub.subscriptions[${index}].subscription / project_id`
    : code === 16 ? 'check the credentials (application default credentials, or GOOGLE_APPLICATION_CREDENTIALS)'
      : 'check sources.pubsub.project_id and emulator_host (or PUBSUB_EMULATOR_HOST)';
  return new Error(`sources.pubsub.subscriptions[${index}].subscription: cannot open "${sub}" in project ${projectId}: ${(err as Error)?.message ?? err} (fix: ${fix})`, { cause: err });
}

/**
 * Streaming-pulls every subscription of `sources.pubsub`, validates each message body with the MQTT
 * ingest's decoder, checks the identity attribute, and appends the event to its stream on the bus keyed
 * by the stream's key field (or a dead letter to `dead_letters`). A message is acknowledged only after
 * its event or dead letter is durable on the bus; when the append fails it is nacked after a backoff,
 * so Pub/Sub redelivers it (at least once: a lost ack means a duplicate, which the worker's duplicate
 * filter drops). The client library extends leases while a message is held and enforces flow control.
 * Resolves once every subscription is known to exist and is open.
 */
export async function startPubSubIngest(options: PubSubIngestOptions): Promise<PubSubIngestService> {
  const { source, producer, connection } = options;
  const logger = options.logger ?? pino({ level: 'silent' });
  const metrics = createPubSubIngestMetrics(options.registry ?? new Registry());

  let received = 0;
  let valid = 0;
  let acked = 0;
  let nacked = 0;
  const deadLetters = { unknown_topic: 0, bad_json: 0, schema_violation: 0, impossible_value: 0, identity_mismatch: 0, bad_nmea: 0 } satisfies Record<DeadLetterReason, number>;

  const batcher = new DurableBatcher<Item>({
    maxItems: source.batch.max_messages,
    lingerMs: source.batch.linger,
    backoffMs: (failures) => Math.min(source.retry_backoff.max, source.retry_backoff.initial * 2 ** Math.min(failures - 1, 20)),
    async flush(items) {
      const byTopic = new Map<string, OutgoingRecord[]>();
      for (const item of items) {
        let records = byTopic.get(item.topic);
        if (!records) byTopic.set(item.topic, (records = []));
        records.push(item.record);
      }
      const end = metrics.appendSeconds.startTimer();
      await Promise.all([...byTopic].map(([topic, records]) => producer.send(topic, records)));
      end();
      metrics.batchSize.observe(items.length);
    },
    settle(items, durable) {
      if (!durable) {
        for (const item of items) item.message.nack();
        nacked += items.length;
        metrics.nacked.inc(items.length);
        metrics.pending.set(batcher.size - items.length);
        return;
      }
      const validByStream = new Map<string, number>();
      const deadByReason = new Map<DeadLetterReason, number>();
      for (const item of items) {
        item.message.ack();
        if (item.reason) {
          deadLetters[item.reason]++;
          deadByReason.set(item.reason, (deadByReason.get(item.reason) ?? 0) + 1);
        } else {
          valid++;
          validByStream.set(item.stream, (validByStream.get(item.stream) ?? 0) + 1);
        }
      }
      acked += items.length;
      metrics.acked.inc(items.length);
      for (const [stream, n] of validByStream) metrics.valid.inc({ stream }, n);
      for (const [reason, n] of deadByReason) metrics.deadLetters.inc({ reason }, n);
      metrics.pending.set(batcher.size - items.length);
    },
    onFlushError(err, failures) {
      metrics.appendFailures.inc();
      logger.error({ err: (err as Error)?.message ?? String(err), failures }, 'bus append failed; the batch will be nacked for redelivery after a backoff');
    },
  });

  const ackDeadline = Duration.from({ seconds: source.ack_deadline / 1000 });
  const pubsub: PubSub = createPubSubClient(connection);
  const subscriptions: Subscription[] = [];
  const failed = new Set<string>();
  let stopping = false;

  function item(message: Message, sub: string, decoder: PubSubMessageDecoder): Item {
    try {
      const decoded = decoder.decode(message.data, message.attributes ?? {});
      if (decoded.ok) {
        return {
          message, topic: decoder.stream, stream: decoder.stream, reason: null,
          record: { key: decoded.key, value: JSON.stringify(decoded.event) }, // the bus stamps the append (see OutgoingRecord)
        };
      }
      return deadLetterItem(message, sub, decoder.stream, decoded.reason, decoded.detail);
    } catch (err) {
      // decode is total; this only keeps a bug from becoming a crash loop
      logger.error({ err: (err as Error)?.message, subscription: sub }, 'unexpected error decoding a message');
      return deadLetterItem(message, sub, decoder.stream, 'schema_violation', `internal error: ${(err as Error)?.message}`);
    }
  }

  function deadLetterItem(message: Message, sub: string, stream: string, reason: DeadLetterReason, detail: string): Item {
    const record = deadLetterRecord({
      topic: sub, ...payloadText(message.data), reason, detail, received_at: message.received, stream, source: 'pubsub',
    });
    return { message, topic: DEAD_LETTER_TOPIC, record, stream, reason };
  }

  try {
    for (const [index, entry] of source.subscriptions.entries()) {
      const config = options.streams[entry.stream];
      if (!config) throw new Error(`sources.pubsub.subscriptions[${index}].stream: no stream named "${entry.stream}" (fix: name a declared stream)`);
      const decoder = new PubSubMessageDecoder(entry.stream, config, source.identity_attribute);
      const subscription = pubsub.subscription(entry.subscription, {
        flowControl: { maxMessages: source.max_outstanding_messages, allowExcessMessages: false },
        minAckDeadline: ackDeadline,
        maxAckDeadline: ackDeadline,
        // acks leave within 10 ms rather than the default 100 ms: ordered subscriptions wait for them
        batching: { maxMilliseconds: 10 },
      });
      const name = subscription.name;
      try {
        const [exists] = await subscription.exists();
        if (!exists) throw Object.assign(new Error('subscription not found'), { code: NOT_FOUND });
      } catch (err) {
        // roles/pubsub.subscriber may pull but not read subscription metadata: pull, and let errors surface there
        if ((err as { code?: number } | null)?.code !== PERMISSION_DENIED) throw openError(entry.subscription, index, connection.projectId, err);
        logger.warn({ subscription: entry.subscription }, 'cannot check that the subscription exists (needs pubsub.subscriptions.get); pulling anyway');
      }
      subscription.on('message', (message: Message) => {
        received++;
        metrics.received.inc({ subscription: name });
        if (message.deliveryAttempt > 1) metrics.redelivered.inc();
        if (stopping) {
          message.nack();
          nacked++;
          metrics.nacked.inc();
          return;
        }
        batcher.add(item(message, name, decoder));
        metrics.pending.set(batcher.size);
      });
      subscription.on('error', (err: Error & { code?: number }) => {
        metrics.subscriptionErrors.inc({ subscription: name });
        // the client retries transient stream errors itself; what reaches here stops the subscription
        failed.add(name);
        logger.error({ err: err.message, code: err.code, subscription: name }, 'Pub/Sub subscription failed; its messages will wait in Pub/Sub until the ingest restarts');
      });
      subscription.on('close', () => {
        if (!stopping) logger.warn({ subscription: name }, 'Pub/Sub subscription closed');
      });
      subscriptions.push(subscription);
    }
  } catch (err) {
    stopping = true;
    await Promise.allSettled(subscriptions.map((s) => s.close()));
    await pubsub.close().catch(() => {});
    throw err;
  }
  logger.info({ subscriptions: subscriptions.map((s) => s.name), project: connection.projectId }, 'Pub/Sub ingest pulling');

  let stopped: Promise<void> | undefined;
  return {
    stats: () => ({ received, valid, deadLetters: { ...deadLetters }, acked, nacked, pending: batcher.size }),
    isReady: () => !stopping && failed.size === 0 && subscriptions.every((s) => s.isOpen),
    stop({ timeoutMs = 30_000 } = {}) {
      stopped ??= (async () => {
        stopping = true;
        let timer: NodeJS.Timeout | undefined;
        const drained = await Promise.race([
          batcher.close().then(() => true),
          new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
        ]);
        clearTimeout(timer);
        if (!drained) logger.warn({ pending: batcher.size }, 'stop timed out before the bus took every message; Pub/Sub will redeliver them');
        // close() sends the pending acks, and nacks whatever the client still holds
        await Promise.allSettled(subscriptions.map((s) => s.close()));
        await pubsub.close().catch(() => {});
        metrics.pending.set(batcher.size);
      })();
      return stopped;
    },
  };
}
