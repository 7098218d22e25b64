import { startEmbeddedBroker } from '../broker/embeddedBroker.js';

/**
 * Brokers the ingest specs run against: always an in-process aedes broker (MQTT 3.1.1), and the real
 * mosquitto that infra/local starts when `MQTT_URL` is set (MQTT 5).
 */
export interface TestBroker {
  readonly name: 'aedes' | 'mosquitto';
  readonly protocolVersion: 4 | 5;
  start(): Promise<{ url: string; close(): Promise<void> }>;
}

export const testBrokers: TestBroker[] = [
  {
    name: 'aedes',
    protocolVersion: 4,
    async start() {
      const broker = await startEmbeddedBroker({ port: 0 });
      return { url: broker.url, close: () => broker.close() };
    },
  },
];

const mqttUrl = process.env.MQTT_URL;
if (mqttUrl) {
  testBrokers.push({ name: 'mosquitto', protocolVersion: 5, start: async () => ({ url: mqttUrl, close: async () => {} }) });
}
