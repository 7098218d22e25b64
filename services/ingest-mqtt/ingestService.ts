import mqtt, { type MqttClient } from 'mqtt';
import { pino, type Logger } from 'pino';
import { Registry } from 'prom-client';
import type { BusProducer, OutgoingRecord } from '../../shared/bus/bus.js';
import type { MqttSourceConfig } from '../../shared/config/mqttSourceSchema.js';
import type { StreamConfig } from '../../shared/config/streamSchema.js';
import { DEAD_LETTER_TOPIC, deadLetterRecord, payloadText, type DeadLetterReason } from '../../shared/deadLetters/deadLetter.js';
import { AckBatcher } from './ackBatcher.js';
import { deferAcks, type InboundMessage } from './deferredAcks.js';
import { IngestCounters } from './ingestCounters.js';
import { createIngestMetrics } from './ingestMetrics.js';
import { mqttClientOptions } from './mqttClientOptions.js';
import { decodeMessage } from './payloadDecoder.js';
import { TopicRouter } from './topicRouter.js';

export interface IngestOptions {
  readonly mqtt: MqttSourceConfig;
  readonly streams: Readonly<Record<string, StreamConfig>>;
  /** where valid events (topic = stream name) and dead letters (topic `dead_letters`) are appended */
  readonly producer: BusProducer;
  /** broker to connect to instead of `mqtt.url`, e.g. the embedded broker's url */
  readonly brokerUrl?: string;
  /** overrides `mqtt.protocol_version` (the embedded aedes broker needs 4) */
  readonly protocolVersion?: 4 | 5;
  readonly registry?: Registry;
  readonly logger?: Logger;
  readonly now?: () => number;
  /** where the counts are kept; pass one on a SharedArrayBuffer to read them from another thread */
  readonly counters?: IngestCounters;
}

export interface IngestStats {
  readonly received: number;
  /** valid events durably appended to their stream */
  readonly valid: number;
  /** dead letters durably appended, by reason */
  readonly deadLetters: Readonly<Record<DeadLetterReason, number>>;
  readonly acked: number;
  /** durable but not acknowledged because the connection closed first (the broker redelivers) */
  readonly ackSkipped: number;
  /** received, not yet durable and acknowledged */
  readonly pending: number;
}

export interface IngestService {
  stats(): IngestStats;
  /** connected to the broker and subscribed */
  isReady(): boolean;
  /**
   * Stops taking messages, makes the received ones durable and acknowledges them, then disconnects
   * (the persistent session keeps queuing for the next start). After `timeoutMs` it disconnects
   * anyway; whatever was not acknowledged is redelivered then.
   */
  stop(options?: { timeoutMs?: number }): Promise<void>;
}

interface Item {
  readonly message: InboundMessage;
  readonly topic: string;
  readonly record: OutgoingRecord;
  readonly stream: string | null;
  readonly reason: DeadLetterReason | null;
}

/**
 * Ends the client for good. With `manualConnect`, mqtt.js resets its "disconnecting" flag once
 * `end()` completes, so a socket 'close' arriving afterwards would schedule a reconnect; turning
 * reconnects off first prevents that.
 */
async function endClient(client: MqttClient, force: boolean): Promise<void> {
  client.options.reconnectPeriod = 0;
  await client.endAsync(force);
}

function connectError(url: string, err: Error): Error {
  const code = (err as NodeJS.ErrnoException).code;
  const fix = code === 'ECONNREFUSED' ? 'start the broker, check sources.mqtt.url, or remove url to use the embedded broker'
    : /Not authorized|Bad username or password|Bad User Name or Password/i.test(err.message) ? 'check sources.mqtt.username and password'
      : /certificate|self.signed|SSL|TLS/i.test(err.message) ? 'check sources.mqtt.tls (ca, cert, key)'
        : 'check sources.mqtt';
  return new Error(`MQTT ${url}: ${err.message} (fix: ${fix})`);
}

/**
 * Subscribes to every stream's topic at QoS 1 on a persistent session, validates each message and
 * appends it to its stream on the bus (or to `dead_letters` with a reason), acknowledging messages
 * to the broker only after they are durable. Resolves once connected and subscribed.
 */
export async function startIngest(options: IngestOptions): Promise<IngestService> {
  const { mqtt: config, producer } = options;
  const url = options.brokerUrl ?? config.url;
  if (!url) throw new Error('sources.mqtt.url is unset and no broker url was given (fix: start the embedded broker and pass its url)');
  const logger = options.logger ?? pino({ level: 'silent' });
  const metrics = createIngestMetrics(options.registry ?? new Registry());
  const now = options.now ?? Date.now;
  const router = new TopicRouter(options.streams);
  const filters = config.topics ?? router.filters;

  const counters = options.counters ?? new IngestCounters();

  const client: MqttClient = mqtt.connect(url, mqttClientOptions(config, options.protocolVersion));

  const batcher = new AckBatcher<Item>({
    maxItems: config.batch.max_messages,
    lingerMs: config.batch.linger,
    highWater: Math.max(config.batch.max_messages * 2, config.receive_maximum),
    async flush(items) {
      // Metrics are counted per batch, not per message: label lookups are a noticeable share of the
      // per-message cost at tens of thousands of messages per second.
      const byTopic = new Map<string, OutgoingRecord[]>();
      const receivedByStream = new Map<string, number>();
      for (const item of items) {
        let records = byTopic.get(item.topic);
        if (!records) byTopic.set(item.topic, (records = []));
        records.push(item.record);
        const label = item.stream ?? 'unknown';
        receivedByStream.set(label, (receivedByStream.get(label) ?? 0) + 1);
      }
      for (const [stream, n] of receivedByStream) metrics.received.inc({ stream }, n);
      const end = metrics.appendSeconds.startTimer();
      await Promise.all([...byTopic].map(([topic, records]) => producer.send(topic, records)));
      end();
      metrics.batchSize.observe(items.length);
    },
    acknowledge(items) {
      const validByStream = new Map<string, number>();
      const deadByReason = new Map<DeadLetterReason, number>();
      let ackedNow = 0;
      let skippedNow = 0;
      let validNow = 0;
      for (const item of items) {
        if (item.reason) {
          deadByReason.set(item.reason, (deadByReason.get(item.reason) ?? 0) + 1);
        } else {
          validNow++;
          const label = item.stream ?? 'unknown';
          validByStream.set(label, (validByStream.get(label) ?? 0) + 1);
        }
        if (item.message.qos !== 1) continue;
        if (acks.ack(item.message)) ackedNow++;
        else skippedNow++;
      }
      counters.acknowledged(validNow, deadByReason, ackedNow, skippedNow);
      for (const [stream, n] of validByStream) metrics.valid.inc({ stream }, n);
      for (const [reason, n] of deadByReason) metrics.deadLetters.inc({ reason }, n);
      if (ackedNow) metrics.acked.inc(ackedNow);
      if (skippedNow) metrics.ackSkipped.inc(skippedNow);
      metrics.pending.set(batcher.size);
    },
    onFlushError(err, attempt) {
      metrics.appendFailures.inc();
      logger.error({ err, attempt }, 'bus append failed; retrying (messages stay unacknowledged)');
    },
  });

  const acks = deferAcks(client, (message) => {
    counters.received();
    if (message.dup) metrics.redelivered.inc();
    let item: Item;
    try {
      const decoded = decodeMessage(router, message.topic, message.payload);
      if (decoded.ok) {
        item = {
          message,
          topic: decoded.route.stream,
          // no timestamp: the bus stamps the append, milliseconds after receipt (see OutgoingRecord)
          record: { key: decoded.route.key, value: JSON.stringify(decoded.event) },
          stream: decoded.route.stream,
          reason: null,
        };
      } else {
        item = deadLetterItem(message, decoded.reason, decoded.detail, decoded.stream);
      }
    } catch (err) {
      // decodeMessage is total; this only guards against a bug turning into a crash loop.
      logger.error({ err, topic: message.topic }, 'unexpected error decoding a message');
      item = deadLetterItem(message, 'schema_violation', `internal error: ${(err as Error).message}`, null);
    }
    return batcher.add(item);
  }, now);

  function deadLetterItem(message: InboundMessage, reason: DeadLetterReason, detail: string, stream: string | null): Item {
    const record = deadLetterRecord({
      topic: message.topic,
      ...payloadText(message.payload),
      reason,
      detail,
      received_at: message.receivedAt,
      stream,
      source: 'mqtt',
    });
    return { message, topic: DEAD_LETTER_TOPIC, record, stream, reason };
  }

  let ready = false;
  let stopping = false; // also set when the start fails, to keep 'close' from claiming a reconnect
  let stopped: Promise<void> | undefined;
  let connects = 0;
  client.on('connect', (connack) => {
    metrics.connected.set(1);
    logger.info({ url, sessionPresent: connack.sessionPresent }, 'connected to MQTT broker');
    if (++connects > 1 && !connack.sessionPresent) {
      // mqtt.js resubscribes by itself, but whatever was published meanwhile is gone.
      logger.warn({ url }, 'the broker lost this client\'s session: messages published while the ingest was disconnected are lost (fix: enable broker persistence and a long enough session expiry)');
    }
  });
  client.on('close', () => {
    metrics.connected.set(0);
    if (!stopping) logger.warn({ url }, 'MQTT connection closed; reconnecting');
  });
  client.on('error', (err) => {
    logger.error({ err: err.message, url }, 'MQTT error');
  });

  try {
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error) => {
        client.off('connect', onConnect);
        reject(connectError(url, err));
      };
      const onConnect = () => {
        client.off('error', onError);
        resolve();
      };
      client.once('error', onError);
      client.once('connect', onConnect);
      client.connect();
    });
    const granted = await client.subscribeAsync(filters, { qos: 1 });
    const refused = granted.filter((g) => g.qos !== 1 && g.qos !== 0);
    if (refused.length > 0) {
      throw new Error(`MQTT ${url}: the broker refused the subscription to ${refused.map((g) => g.topic).join(', ')} (fix: check the broker's ACL for user ${config.username ?? '(anonymous)'})`);
    }
    const degraded = granted.filter((g) => g.qos === 0);
    if (degraded.length > 0) logger.warn({ topics: degraded.map((g) => g.topic) }, 'broker granted QoS 0 only: these messages can be lost');
  } catch (err) {
    stopping = true;
    await endClient(client, true);
    throw err;
  }
  ready = true;
  logger.info({ filters, clientId: config.client_id }, 'ingest subscribed');

  return {
    stats: () => ({ ...counters.stats(), pending: batcher.size }),
    isReady: () => ready && client.connected,
    stop({ timeoutMs = 30_000 } = {}) {
      stopped ??= (async () => {
        stopping = true;
        ready = false;
        acks.pause();
        let timer: NodeJS.Timeout | undefined;
        const drained = await Promise.race([
          batcher.close().then(() => true),
          new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
        ]);
        clearTimeout(timer);
        if (!drained) logger.warn({ pending: batcher.size }, 'stop timed out before the bus took every message; the broker will redeliver them');
        await endClient(client, false);
        metrics.connected.set(0);
      })();
      return stopped;
    },
  };
}
