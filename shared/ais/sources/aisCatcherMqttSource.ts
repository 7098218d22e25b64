import type { IClientOptions, MqttClient } from 'mqtt';
import { AisIngest, type AisHandlers } from '../aisIngest.js';
import { parseAisCatcherJson } from './aisCatcherMessage.js';
import { connectOrShare, topicMatches } from './mqttNmeaSource.js';

export interface AisCatcherMqttSourceOptions {
  readonly url?: string;
  readonly client?: MqttClient;
  /**
   * AIS-catcher's topic template, e.g. `ais/<mmsi>/data` or AIS-catcher's own `ais/%mmsi%/data`;
   * placeholder levels (`<x>`, `%x%`, `{x}`) subscribe as `+`. A plain filter works too.
   */
  readonly topic: string;
  readonly qos?: 0 | 1 | 2;
  readonly name?: string;
  readonly mqttOptions?: IClientOptions;
  readonly maxFragmentAgeMs?: number;
}

/** `ais/<mmsi>/data` -> `ais/+/data`. */
export function topicTemplateToFilter(template: string): string {
  return template
    .split('/')
    .map((level) => (/^(<[^>]*>|%[^%]*%|\{[^}]*\})$/.test(level) ? '+' : level))
    .join('/');
}

/**
 * AIS-catcher's JSON over MQTT. Each message carries its NMEA sentences, which are decoded like any
 * other feed; `rxuxtime`/`rxtime` becomes the receiver time (unless a tag block says otherwise) and
 * `station_id` the station. Payloads that are not AIS-catcher JSON become rejects, never errors.
 */
export class AisCatcherMqttSource {
  readonly ingest: AisIngest;
  readonly name: string;
  readonly filter: string;
  private client: MqttClient | null = null;
  private expiryTimer: NodeJS.Timeout | null = null;
  private readonly onMessage = (topic: string, payload: Buffer) => {
    if (!topicMatches(this.filter, topic)) return;
    const arrivedAt = Date.now();
    const text = payload.toString('utf8');
    const parsed = parseAisCatcherJson(text);
    if ('error' in parsed) {
      this.ingest.decoder.stats.rejected++;
      this.handlers.onReject({ sentence: text.length > 2000 ? `${text.slice(0, 2000)}…` : text, reason: parsed.error, line: 0, source: this.name, receivedAt: arrivedAt });
      return;
    }
    const { nmea, receivedAt, station } = parsed.envelope;
    for (const sentence of nmea) this.ingest.pushLine(sentence, { arrivedAt, receivedAt, station, origin: topic });
  };

  constructor(
    private readonly handlers: AisHandlers,
    private readonly options: AisCatcherMqttSourceOptions,
  ) {
    this.filter = topicTemplateToFilter(options.topic);
    this.name = options.name ?? `ais-catcher:${this.filter}`;
    this.ingest = new AisIngest(handlers, { source: this.name, maxFragmentAgeMs: options.maxFragmentAgeMs });
  }

  async start(): Promise<void> {
    this.client = await connectOrShare(this.options);
    this.client.on('message', this.onMessage);
    await this.client.subscribeAsync(this.filter, { qos: this.options.qos ?? 0 });
    this.expiryTimer = setInterval(() => this.ingest.expire(), Math.max(50, (this.options.maxFragmentAgeMs ?? 10_000) / 2));
    this.expiryTimer.unref();
  }

  async stop(): Promise<void> {
    if (this.expiryTimer) clearInterval(this.expiryTimer);
    this.expiryTimer = null;
    const client = this.client;
    this.client = null;
    if (!client) return;
    client.off('message', this.onMessage);
    if (this.options.client) await client.unsubscribeAsync(this.filter);
    else await client.endAsync();
  }
}
