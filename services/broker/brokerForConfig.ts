import type { MqttSourceConfig } from '../../shared/config/mqttSourceSchema.js';
import { startEmbeddedBroker, type EmbeddedBroker } from './embeddedBroker.js';

/** Where MQTT clients of this pipeline (ingest, simulator) connect, and how. */
export interface BrokerEndpoint {
  readonly url: string;
  readonly protocolVersion: 4 | 5;
  /** the broker this process started, when `sources.mqtt.url` is unset */
  readonly embedded: EmbeddedBroker | undefined;
  /** stops the embedded broker, if any */
  close(): Promise<void>;
}

/** `sources.mqtt.url` when set; otherwise starts the embedded aedes broker on `sources.mqtt.embedded`. */
export async function brokerForConfig(mqtt: MqttSourceConfig): Promise<BrokerEndpoint> {
  if (mqtt.url) return { url: mqtt.url, protocolVersion: mqtt.protocol_version, embedded: undefined, close: async () => {} };
  const embedded = await startEmbeddedBroker({ host: mqtt.embedded.host, port: mqtt.embedded.port });
  return { url: embedded.url, protocolVersion: embedded.protocolVersion, embedded, close: () => embedded.close() };
}
