import mqtt from 'mqtt';
import { describe, expect, it } from 'vitest';
import { driftlineConfigSchema } from '../../shared/config/configSchema.js';
import { brokerForConfig } from './brokerForConfig.js';
import { startEmbeddedBroker } from './embeddedBroker.js';

describe('embedded aedes broker', () => {
  it('routes QoS 1 messages between MQTT 3.1.1 clients and closes cleanly with clients connected', async () => {
    const broker = await startEmbeddedBroker({ port: 0 });
    expect(broker.url).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/);
    const sub = await mqtt.connectAsync(broker.url, { protocolVersion: 4, clientId: 'a-client-id-longer-than-23-characters', reconnectPeriod: 0 });
    const got: string[] = [];
    sub.on('message', (_t, p) => got.push(p.toString()));
    await sub.subscribeAsync('x/+', { qos: 1 });
    const pub = await mqtt.connectAsync(broker.url, { protocolVersion: 4, reconnectPeriod: 0 });
    await pub.publishAsync('x/1', 'hello', { qos: 1 });
    const end = Date.now() + 5000;
    while (got.length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
    expect(got).toEqual(['hello']);
    expect(broker.connectedClients()).toBe(2);
    await broker.close();
    await Promise.all([sub.endAsync(true), pub.endAsync(true)]);
  });

  it('a port in use is an error with a fix naming the config keys', async () => {
    const first = await startEmbeddedBroker({ port: 0 });
    try {
      await expect(startEmbeddedBroker({ port: first.port })).rejects.toThrow(/fix: set sources\.mqtt\.embedded\.port/);
    } finally {
      await first.close();
    }
  });

  it('brokerForConfig starts it only when sources.mqtt.url is unset', async () => {
    const external = await brokerForConfig(driftlineConfigSchema.parse({ sources: { mqtt: { url: 'mqtt://example:1883' } } }).sources.mqtt);
    expect(external).toMatchObject({ url: 'mqtt://example:1883', protocolVersion: 5, embedded: undefined });
    const local = await brokerForConfig(driftlineConfigSchema.parse({ sources: { mqtt: { embedded: { port: 0 } } } }).sources.mqtt);
    try {
      expect(local.protocolVersion).toBe(4);
      expect(local.embedded).toBeDefined();
      expect(local.url).toBe(local.embedded!.url);
    } finally {
      await local.close();
    }
  });
});
