import { pino, type Logger } from 'pino';
import type { AisHandlers } from '../../shared/ais/aisIngest.js';
import { AisCatcherMqttSource } from '../../shared/ais/sources/aisCatcherMqttSource.js';
import { MqttNmeaSource } from '../../shared/ais/sources/mqttNmeaSource.js';
import { TcpNmeaSource, type TcpSourceStatus } from '../../shared/ais/sources/tcpNmeaSource.js';
import { UdpNmeaSource } from '../../shared/ais/sources/udpNmeaSource.js';
import type { BusProducer } from '../../shared/bus/bus.js';
import type { AisSourceConfig } from '../../shared/config/aisSourceSchema.js';
import { DEAD_LETTER_TOPIC, type DeadLetterReason } from '../../shared/deadLetters/deadLetter.js';
import type { Sink } from '../../shared/sinks/sink.js';
import { AisOutbox } from './aisOutbox.js';
import { positionRecord, rejectReason, rejectRecord, vesselRow } from './aisRecords.js';

export interface AisIngestServiceOptions {
  readonly ais: AisSourceConfig;
  /** positions go to topic `ais.stream`, rejects to `dead_letters` */
  readonly producer: BusProducer;
  /** where `vessels` rows (static data, types 5, 19, 24) land */
  readonly sink: Sink;
  /** the pipeline's MQTT broker, needed when `mqtt_nmea` or `ais_catcher` is set */
  readonly brokerUrl?: string;
  /** the embedded aedes broker needs 4 */
  readonly protocolVersion?: 4 | 5;
  readonly logger?: Logger;
  /** outbox tuning (records per bus append, linger ms) */
  readonly maxRecords?: number;
  readonly lingerMs?: number;
}

export interface AisIngestStats {
  /** positions appended or waiting, in the stream */
  readonly positions: number;
  readonly deadLetters: Readonly<Partial<Record<DeadLetterReason, number>>>;
  /** static-data updates taken (each lands as the vessel's `vessels` row) */
  readonly vesselUpdates: number;
  /** bus records durably appended */
  readonly appended: number;
  readonly vesselRows: number;
  /** bus records and vessel rows not yet durable */
  readonly pending: number;
  /** per TCP feed: its connection state */
  readonly tcp: Readonly<Record<string, TcpSourceStatus['state']>>;
}

export interface AisIngestService {
  stats(): AisIngestStats;
  /** the bound UDP port, when `udp` is set (useful with port 0) */
  readonly udpPort: number | undefined;
  /** appends everything taken so far; resolves once durable */
  flush(): Promise<void>;
  /** stops the sources, rejects fragments that can no longer complete, and flushes */
  stop(): Promise<void>;
}

interface Source {
  readonly name: string;
  readonly ingest: { flush(): void };
  stop(): Promise<void>;
}

/**
 * AIS feeds into the pipeline: starts every source `sources.ais` configures, appends positions to
 * the vessel_position stream keyed by MMSI, rejects to `dead_letters`, and lands static data in the
 * `vessels` table through the sink directly (one latest row per MMSI, no consumer needed: the table
 * keeps the newest report by itself).
 */
export async function startAisIngest(o: AisIngestServiceOptions): Promise<AisIngestService> {
  const { ais } = o;
  const logger = o.logger ?? pino({ level: 'silent' });
  const outbox = new AisOutbox({ producer: o.producer, sink: o.sink, logger, maxRecords: o.maxRecords, lingerMs: o.lingerMs });
  const deadLetters: Partial<Record<DeadLetterReason, number>> = {};
  const tcp: Record<string, TcpSourceStatus['state']> = {};
  let positions = 0;
  let vesselUpdates = 0;
  const dead = (reason: DeadLetterReason) => (deadLetters[reason] = (deadLetters[reason] ?? 0) + 1);

  const handlers: AisHandlers = {
    onPosition(event) {
      const r = positionRecord(event, ais.stream, Date.now());
      if (r.ok) {
        positions++;
        outbox.add(ais.stream, r.record);
      } else {
        dead(r.reason);
        outbox.add(DEAD_LETTER_TOPIC, r.dead);
      }
    },
    onVessel(event) {
      vesselUpdates++;
      outbox.addVessel(vesselRow(event.vessel));
    },
    onReject(reject) {
      dead(rejectReason(reject));
      outbox.add(DEAD_LETTER_TOPIC, rejectRecord(reject, ais.stream));
    },
  };

  const maxFragmentAgeMs = ais.max_fragment_age;
  const sources: Source[] = [];
  let udpPort: number | undefined;
  const stopSources = async () => {
    for (const s of sources.splice(0).reverse()) {
      await s.stop().catch((err: Error) => logger.warn({ source: s.name, err: err.message }, 'AIS: error stopping source'));
      // fragments still waiting can never complete now: they become dead letters, not silence
      s.ingest.flush();
    }
  };
  try {
    for (const feed of ais.tcp) {
      const source = new TcpNmeaSource(handlers, {
        host: feed.host, port: feed.port, maxFragmentAgeMs,
        onStatus: (status) => {
          tcp[source.name] = status.state;
          if (status.state === 'disconnected') logger.warn({ feed: source.name, error: status.error, retryInMs: status.retryInMs }, 'AIS: TCP feed disconnected; reconnecting');
          else if (status.state === 'connected') logger.info({ feed: source.name }, 'AIS: TCP feed connected');
        },
      });
      source.start();
      sources.push(source);
    }
    if (ais.udp) {
      const source = new UdpNmeaSource(handlers, { host: ais.udp.host, port: ais.udp.port, maxFragmentAgeMs });
      udpPort = (await source.start()).port;
      sources.push(source);
      logger.info({ port: udpPort }, 'AIS: listening for NMEA over UDP');
    }
    const mqttFeeds = [ais.mqtt_nmea, ais.ais_catcher].filter(Boolean);
    if (mqttFeeds.length > 0 && !o.brokerUrl) {
      throw new Error('sources.ais.mqtt_nmea / ais_catcher need the pipeline\'s MQTT broker (fix: set sources.mqtt.url, or run them inside `driftline run`)');
    }
    const mqttOptions = o.protocolVersion ? { protocolVersion: o.protocolVersion } : {};
    if (ais.mqtt_nmea) {
      const source = new MqttNmeaSource(handlers, { url: o.brokerUrl, topic: ais.mqtt_nmea.topic, qos: 1, mqttOptions, maxFragmentAgeMs });
      await source.start();
      sources.push(source);
    }
    if (ais.ais_catcher) {
      const source = new AisCatcherMqttSource(handlers, { url: o.brokerUrl, topic: ais.ais_catcher.topic, qos: 1, mqttOptions, maxFragmentAgeMs });
      await source.start();
      sources.push(source);
    }
  } catch (err) {
    await stopSources();
    await outbox.close(1000);
    throw err;
  }
  logger.info({ sources: sources.map((s) => s.name), stream: ais.stream }, 'AIS ingest started');

  let stopping: Promise<void> | undefined;
  return {
    udpPort,
    stats: () => ({
      positions, deadLetters: { ...deadLetters }, vesselUpdates,
      appended: outbox.appended, vesselRows: outbox.vesselRows, pending: outbox.pending, tcp: { ...tcp },
    }),
    flush: () => outbox.flush(),
    stop() {
      stopping ??= (async () => {
        await stopSources();
        await outbox.close();
      })();
      return stopping;
    },
  };
}
