import mqtt from 'mqtt';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedBus } from '../../shared/bus/embedded/embeddedBus.js';
import { DEAD_LETTER_TOPIC } from '../../shared/deadLetters/deadLetter.js';
import { startEmbeddedBroker, type EmbeddedBroker } from '../broker/embeddedBroker.js';
import { startIngestThread } from './ingestThread.js';
import { testSetup, vesselPayload } from './testStreams.js';

async function until(cond: () => boolean, timeoutMs = 15_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('startIngestThread (the MQTT ingest in a worker thread)', () => {
  let broker: EmbeddedBroker;
  let dir: string;
  beforeAll(async () => {
    broker = await startEmbeddedBroker({ port: 0 });
    dir = mkdtempSync(join(tmpdir(), 'driftline-ingest-thread-'));
  });
  afterAll(async () => {
    await broker.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('appends to the shared bus file, wakes a consumer in this thread, and reports stats and metrics by message', async () => {
    const t = testSetup();
    const path = join(dir, 'bus.sqlite');
    const registry = new Registry();
    const service = await startIngestThread({
      mqtt: t.mqtt, streams: t.streams, bus: { kind: 'embedded', path, partitions: 2 },
      brokerUrl: broker.url, protocolVersion: 4, registry, logger: pino({ level: 'silent' }),
    });
    // This thread's bus polls the file only every minute: the records must arrive by the append notice.
    const bus = new EmbeddedBus({ path, partitions: 2, pollIntervalMs: 60_000 });
    const consumer = await bus.consumer({ group: 'spec', topics: ['vessels'] });
    const publisher = await mqtt.connectAsync(broker.url, { protocolVersion: 4 });
    try {
      await until(() => service.isReady(), 15_000, 'ready');
      const mmsi = '244000001';
      const polled = consumer.poll({ maxRecords: 100, timeoutMs: 30_000 });
      const t0 = Date.now();
      for (let i = 0; i < 10; i++) await publisher.publishAsync(t.vesselTopic(mmsi), JSON.stringify(vesselPayload(mmsi, i)), { qos: 1 });
      await publisher.publishAsync(t.vesselTopic(mmsi), '{"mmsi": ', { qos: 1 });
      await publisher.publishAsync(t.vesselTopic(mmsi), JSON.stringify({ ...vesselPayload(mmsi, 11), lat: 95 }), { qos: 1 });
      const first = await polled;
      expect(first.length).toBeGreaterThan(0);
      expect(Date.now() - t0).toBeLessThan(10_000);

      await until(() => service.stats().valid === 10 && service.stats().acked === 12, 15_000, 'stats');
      const records = [...first];
      while (records.length < 10) records.push(...(await consumer.poll({ maxRecords: 100, timeoutMs: 5_000 })));
      expect(records.map((r) => JSON.parse(r.value).timestamp)).toEqual(Array.from({ length: 10 }, (_, i) => (1_700_000_000 + i * 60) * 1000));
      expect(new Set(records.map((r) => r.key))).toEqual(new Set([mmsi]));
      expect(bus.endOffsets(DEAD_LETTER_TOPIC).reduce((a, b) => a + b, 0)).toBe(2);

      const text = await registry.metrics();
      expect(text).toMatch(/^driftline_ingest_messages_valid_total\{stream="vessels"\} 10$/m);
      expect(text).toMatch(/^driftline_ingest_dead_letters_total\{reason="bad_json"\} 1$/m);
      expect(text).toMatch(/^driftline_ingest_dead_letters_total\{reason="impossible_value"\} 1$/m);
      expect(text).toMatch(/^driftline_ingest_batch_messages_count \d+$/m);

      await service.stop();
      expect(service.isReady()).toBe(false);
      expect(service.stats()).toMatchObject({ received: 12, valid: 10, acked: 12, pending: 0 });
      expect(service.stats().deadLetters).toMatchObject({ bad_json: 1, impossible_value: 1 });
    } finally {
      await service.stop();
      await publisher.endAsync();
      await consumer.close();
      await bus.close();
    }
  }, 60_000);

  it('fails to start with the ingest\'s own error when the broker cannot be reached', async () => {
    const t = testSetup();
    await expect(startIngestThread({
      mqtt: t.mqtt, streams: t.streams, bus: { kind: 'embedded', path: join(dir, 'refused.sqlite'), partitions: 1 },
      brokerUrl: 'mqtt://127.0.0.1:1', protocolVersion: 4, logger: pino({ level: 'silent' }),
    })).rejects.toThrow(/ECONNREFUSED.*fix: start the broker/);
  }, 30_000);
});
