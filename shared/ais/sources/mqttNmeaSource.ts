import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import { AisIngest, type AisHandlers } from '../aisIngest.js';

export interface MqttNmeaSourceOptions {
  /** broker URL, e.g. mqtt://127.0.0.1:1883 (ignored when `client` is given) */
  readonly url?: string;
  /** an already connected client to share; the source then leaves it open on stop() */
  readonly client?: MqttClient;
  /** topic filter carrying raw NMEA lines, e.g. `ais/nmea/#` */
  readonly topic: string;
  readonly qos?: 0 | 1 | 2;
  readonly name?: string;
  readonly mqttOptions?: IClientOptions;
  readonly maxFragmentAgeMs?: number;
}

/** Raw NMEA lines published on an MQTT topic (one or more lines per message). */
export class MqttNmeaSource {
  readonly ingest: AisIngest;
  readonly name: string;
  private client: MqttClient | null = null;
  private expiryTimer: NodeJS.Timeout | null = null;
  private readonly onMessage = (topic: string, payload: Buffer) => {
    if (!topicMatches(this.options.topic, topic)) return;
    const arrivedAt = Date.now();
    // fragments of one message travel on one topic: the topic is the fragment origin
    for (const line of payload.toString('latin1').split('\n')) this.ingest.pushLine(line, { arrivedAt, origin: topic });
  };

  constructor(
    handlers: AisHandlers,
    private readonly options: MqttNmeaSourceOptions,
  ) {
    this.name = options.name ?? `mqtt:${options.topic}`;
    this.ingest = new AisIngest(handlers, { source: this.name, maxFragmentAgeMs: options.maxFragmentAgeMs });
  }

  async start(): Promise<void> {
    this.client = await connectOrShare(this.options);
    this.client.on('message', this.onMessage);
    await this.client.subscribeAsync(this.options.topic, { qos: this.options.qos ?? 0 });
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
    if (this.options.client) await client.unsubscribeAsync(this.options.topic);
    else await client.endAsync();
  }
}

export async function connectOrShare(options: { url?: string; client?: MqttClient; mqttOptions?: IClientOptions }): Promise<MqttClient> {
  if (options.client) return options.client;
  if (!options.url) throw new Error('AIS MQTT source: give either `url` (e.g. mqtt://127.0.0.1:1883) or a connected `client`');
  return connectAsync(options.url, { reconnectPeriod: 1000, ...options.mqttOptions });
}

/** MQTT filter matching (`+` one level, `#` the rest), so a shared client's other traffic is ignored. */
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}
