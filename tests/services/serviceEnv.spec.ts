import { describe, expect, it } from 'vitest';
import {
  isCi,
  lookupBigQuery,
  lookupKafka,
  lookupMqtt,
  lookupPubSub,
  MissingServiceError,
  requireService,
  suiteMode,
} from './serviceEnv.js';

describe('serviceEnv', () => {
  it('reads each service from the variables infra/local/up.sh exports', () => {
    const env = {
      MQTT_URL: 'mqtt://127.0.0.1:1883',
      MOSQUITTO_CTL: '/x/infra/local/mosquitto.sh',
      KAFKA_BROKERS: '127.0.0.1:9092, 127.0.0.1:9094',
      PUBSUB_EMULATOR_HOST: '127.0.0.1:8085',
      PUBSUB_PROJECT_ID: 'test',
      BIGQUERY_EMULATOR_HOST: 'http://127.0.0.1:9050',
      BIGQUERY_PROJECT_ID: 'test',
    };
    expect(lookupMqtt(env)).toEqual({ ok: true, service: { url: 'mqtt://127.0.0.1:1883', ctl: '/x/infra/local/mosquitto.sh' } });
    expect(lookupKafka(env)).toEqual({ ok: true, service: { brokers: ['127.0.0.1:9092', '127.0.0.1:9094'] } });
    expect(lookupPubSub(env)).toEqual({ ok: true, service: { emulatorHost: '127.0.0.1:8085', projectId: 'test' } });
    expect(lookupBigQuery(env)).toEqual({ ok: true, service: { apiEndpoint: 'http://127.0.0.1:9050', projectId: 'test' } });
  });

  it('names every missing variable and the fix', () => {
    const found = lookupPubSub({ PUBSUB_EMULATOR_HOST: ' ' });
    expect(found.ok).toBe(false);
    if (!found.ok) {
      expect(found.reason).toContain('PUBSUB_EMULATOR_HOST and PUBSUB_PROJECT_ID');
      expect(found.reason).toContain('infra/local/up.sh');
    }
    expect(() => requireService('kafka', {})).toThrow(MissingServiceError);
    expect(() => requireService('kafka', {})).toThrow(/KAFKA_BROKERS/);
  });

  it('rejects malformed values instead of passing them to a client', () => {
    expect(lookupMqtt({ MQTT_URL: '127.0.0.1:1883' }).ok).toBe(false);
    expect(lookupKafka({ KAFKA_BROKERS: 'localhost' }).ok).toBe(false);
    expect(lookupBigQuery({ BIGQUERY_EMULATOR_HOST: '127.0.0.1:9050', BIGQUERY_PROJECT_ID: 'test' }).ok).toBe(false);
  });

  it('under CI a missing service runs (and fails) rather than skipping', () => {
    expect(isCi({ CI: 'true' })).toBe(true);
    expect(isCi({ CI: '1' })).toBe(true);
    expect(isCi({ CI: 'false' })).toBe(false);
    expect(isCi({})).toBe(false);
    expect(suiteMode('bigquery', { CI: 'true' })).toEqual({ run: true });
    const local = suiteMode('bigquery', {});
    expect(local.run).toBe(false);
    if (!local.run) expect(local.reason).toContain('BIGQUERY_EMULATOR_HOST');
    expect(suiteMode('mqtt', { MQTT_URL: 'mqtt://127.0.0.1:1883' })).toEqual({ run: true });
  });
});

describe('assertReachable', () => {
  it('lists the endpoints each client dials', async () => {
    const { serviceEndpoints } = await import('./serviceEnv.js');
    expect(serviceEndpoints('mqtt', { url: 'mqtt://127.0.0.1:1883', ctl: undefined })).toEqual(['127.0.0.1:1883']);
    expect(serviceEndpoints('bigquery', { apiEndpoint: 'http://127.0.0.1:9050', projectId: 'test' })).toEqual(['127.0.0.1:9050']);
    expect(serviceEndpoints('kafka', { brokers: ['127.0.0.1:9092', '127.0.0.1:9094'] })).toEqual(['127.0.0.1:9092', '127.0.0.1:9094']);
  });

  it('fails with the endpoint and the status command when nothing listens', async () => {
    const { createServer } = await import('node:net');
    const { assertReachable } = await import('./serviceEnv.js');
    // A port that was just free: listen on an ephemeral port, note it, close it.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    await assertReachable('kafka', { brokers: [`127.0.0.1:${port}`] });
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await expect(assertReachable('kafka', { brokers: [`127.0.0.1:${port}`] })).rejects.toThrow(
      new RegExp(`kafka: 127\\.0\\.0\\.1:${port} does not answer .*infra/local/kafka\\.sh status`),
    );
  });
});
