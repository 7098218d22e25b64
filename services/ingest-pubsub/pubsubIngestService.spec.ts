import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PubSub, type Topic } from '@google-cloud/pubsub';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { BusProducer, BusRecord } from '../../shared/bus/bus.js';
import { EmbeddedBus } from '../../shared/bus/embedded/embeddedBus.js';
import { driftlineConfigSchema } from '../../shared/config/configSchema.js';
import { DEAD_LETTER_TOPIC, parseDeadLetter } from '../../shared/deadLetters/deadLetter.js';
import { describeWithService } from '../../tests/services/serviceEnv.js';
import { plantPayload, testSetup, vesselPayload } from '../ingest-mqtt/testStreams.js';
import { startPubSubIngest, type PubSubIngestService } from './pubsubIngestService.js';

async function until(what: string, ok: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describeWithService('pubsub', 'Pub/Sub ingest against the Pub/Sub fake', (service) => {
  let admin: PubSub;
  let dir: string;
  const cleanup: (() => Promise<unknown>)[] = [];
  const running: PubSubIngestService[] = [];
  const { streams } = testSetup();

  beforeAll(() => {
    const { emulatorHost, projectId } = service();
    admin = new PubSub({ projectId, apiEndpoint: emulatorHost, emulatorMode: true });
    dir = mkdtempSync(join(tmpdir(), 'driftline-ingest-pubsub-'));
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.stop({ timeoutMs: 2000 })));
    for (const c of cleanup.splice(0).reverse()) await c().catch(() => {});
  });

  afterAll(async () => {
    await admin?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A fresh topic (devices publish here) and subscription (driftline pulls it). */
  async function deviceTopic(): Promise<{ topic: Topic; subscription: string }> {
    const id = `devices-${randomUUID()}`;
    const [topic] = await admin.createTopic(id);
    const [sub] = await topic.createSubscription(`${id}-driftline`, { ackDeadlineSeconds: 10 });
    cleanup.push(() => topic.delete(), () => sub.delete());
    return { topic, subscription: sub.name.split('/').pop()! };
  }

  function source(subs: { subscription: string; stream: string }[], extra: Record<string, unknown> = {}) {
    const config = driftlineConfigSchema.parse({
      sources: { pubsub: { subscriptions: subs, retry_backoff: { initial: '20ms', max: '100ms' }, ...extra } },
      streams: Object.fromEntries(Object.keys(streams).map((name) => [name, {
        schema: streams[name]!.schema, topic: streams[name]!.topic, window: { kind: 'tumbling', size: '5m' }, features: 'f', model: { name: 'm', version: 1 },
      }])),
    });
    return config.sources.pubsub!;
  }

  function embeddedBus(): EmbeddedBus {
    const bus = new EmbeddedBus({ path: join(dir, `${randomUUID()}.sqlite`), partitions: 2 });
    cleanup.push(() => bus.close());
    return bus;
  }

  async function readAll(bus: EmbeddedBus, topic: string, expected: number): Promise<BusRecord[]> {
    const consumer = await bus.consumer({ group: `check-${randomUUID()}`, topics: [topic] });
    const out: BusRecord[] = [];
    const end = Date.now() + 10_000;
    while (out.length < expected && Date.now() < end) out.push(...await consumer.poll({ maxRecords: 1000, timeoutMs: 100 }));
    // one more poll: nothing beyond what was expected
    out.push(...await consumer.poll({ maxRecords: 1000, timeoutMs: 200 }));
    await consumer.close();
    return out;
  }

  const publish = (topic: Topic, body: unknown, attributes: Record<string, string> = {}) =>
    topic.publishMessage({ data: Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)), attributes });

  it('appends valid messages of two subscriptions to their streams keyed by the stream\'s key field, and acknowledges them', async () => {
    const vesselsIn = await deviceTopic();
    const plantsIn = await deviceTopic();
    const bus = embeddedBus();
    const producer = await bus.producer();
    const { emulatorHost, projectId } = service();
    const registry = new Registry();
    const ingest = await startPubSubIngest({
      source: source([{ subscription: vesselsIn.subscription, stream: 'vessels' }, { subscription: plantsIn.subscription, stream: 'plants' }]),
      streams, producer, connection: { projectId, emulatorHost }, registry,
    });
    running.push(ingest);
    expect(ingest.isReady()).toBe(true);
    for (let i = 0; i < 12; i++) {
      const mmsi = String(244_000_000 + (i % 3));
      // half as Cloud IoT Core sent them (deviceId attribute), half without
      await publish(vesselsIn.topic, vesselPayload(mmsi, i), i % 2 ? { deviceId: mmsi, deviceRegistryId: 'fleet' } : {});
    }
    for (let i = 0; i < 4; i++) await publish(plantsIn.topic, plantPayload(`hall-${i % 2}`, i), { deviceId: `hall-${i % 2}` });
    await until('16 acks', () => ingest.stats().acked === 16);

    const vessels = await readAll(bus, 'vessels', 12);
    expect(vessels).toHaveLength(12);
    expect(vessels.map((r) => r.key).sort()).toEqual(Array.from({ length: 12 }, (_, i) => String(244_000_000 + (i % 3))).sort());
    for (const r of vessels) expect(JSON.parse(r.value).mmsi).toBe(r.key);
    const plants = await readAll(bus, 'plants', 4);
    expect(plants.map((r) => r.key).sort()).toEqual(['hall-0', 'hall-0', 'hall-1', 'hall-1']);
    expect(JSON.parse(plants[0]!.value).timestamp).toBeTypeOf('number'); // event time normalised to epoch ms by the schema
    expect(ingest.stats()).toMatchObject({ received: 16, valid: 16, acked: 16, nacked: 0, pending: 0 });
    const metrics = await registry.getSingleMetricAsString('driftline_ingest_pubsub_messages_valid_total');
    expect(metrics).toMatch(/stream="vessels"} 12/);

    // acknowledged means gone: a second ingest on the same subscription gets nothing
    await ingest.stop();
    const again = await startPubSubIngest({
      source: source([{ subscription: vesselsIn.subscription, stream: 'vessels' }]), streams, producer, connection: { projectId, emulatorHost },
    });
    running.push(again);
    await new Promise((r) => setTimeout(r, 1500));
    expect(again.stats().received).toBe(0);
  });

  it('turns bad JSON, schema violations, impossible values and identity mismatches into dead letters with reasons, and acknowledges them', async () => {
    const input = await deviceTopic();
    const bus = embeddedBus();
    const { emulatorHost, projectId } = service();
    const ingest = await startPubSubIngest({
      source: source([{ subscription: input.subscription, stream: 'vessels' }]), streams, producer: await bus.producer(), connection: { projectId, emulatorHost },
    });
    running.push(ingest);
    const fix = vesselPayload('235000001', 1);
    await publish(input.topic, '{"mmsi": "1", "lat":');
    await publish(input.topic, Buffer.from([0xff, 0x00, 0xfe]));
    await publish(input.topic, { ...fix, lat: 'north' });
    await publish(input.topic, { ...fix, lat: 95 });
    await publish(input.topic, fix, { deviceId: '999999999' });
    await publish(input.topic, fix, { deviceId: '235000001' });
    await until('6 acks', () => ingest.stats().acked === 6);

    const dead = (await readAll(bus, DEAD_LETTER_TOPIC, 5)).map((r) => parseDeadLetter(r.value));
    expect(dead.map((d) => d.reason).sort()).toEqual(['bad_json', 'bad_json', 'identity_mismatch', 'impossible_value', 'schema_violation']);
    for (const d of dead) {
      expect(d.source).toBe('pubsub');
      expect(d.stream).toBe('vessels');
      expect(d.topic).toBe(`projects/${projectId}/subscriptions/${input.subscription}`);
    }
    const mismatch = dead.find((d) => d.reason === 'identity_mismatch')!;
    expect(mismatch.detail).toBe('attribute deviceId is "999999999" but the payload\'s mmsi is "235000001"');
    expect(JSON.parse(mismatch.payload)).toEqual(fix);
    const binary = dead.find((d) => d.payload_encoding === 'base64')!;
    expect(Buffer.from(binary.payload, 'base64')).toEqual(Buffer.from([0xff, 0x00, 0xfe]));
    expect(await readAll(bus, 'vessels', 1)).toHaveLength(1);
    expect(ingest.stats()).toMatchObject({
      received: 6, valid: 1, acked: 6, nacked: 0,
      deadLetters: { bad_json: 2, schema_violation: 1, impossible_value: 1, identity_mismatch: 1 },
    });
  });

  it('does not acknowledge a message whose bus append failed: it is nacked, redelivered and then lands', async () => {
    const input = await deviceTopic();
    const bus = embeddedBus();
    const real = await bus.producer();
    let failuresLeft = 2;
    const flaky: BusProducer = {
      send: (topic, records) => (failuresLeft-- > 0 ? Promise.reject(new Error('bus unavailable (simulated)')) : real.send(topic, records)),
      close: () => real.close(),
    };
    const { emulatorHost, projectId } = service();
    const ingest = await startPubSubIngest({
      source: source([{ subscription: input.subscription, stream: 'plants' }]), streams, producer: flaky, connection: { projectId, emulatorHost },
    });
    running.push(ingest);
    await publish(input.topic, plantPayload('hall-9', 3), { deviceId: 'hall-9' });
    await until('the redelivered message to be acknowledged', () => ingest.stats().acked === 1);
    // the one message came three times: two failed appends handed it back, the third landed
    expect(ingest.stats()).toMatchObject({ received: 3, nacked: 2, acked: 1, valid: 1 });
    const landed = await readAll(bus, 'plants', 1);
    expect(landed.map((r) => r.key)).toEqual(['hall-9']);
  });

  it('refuses to start on a missing subscription, naming the key and the fix', async () => {
    const bus = embeddedBus();
    const { emulatorHost, projectId } = service();
    await expect(startPubSubIngest({
      source: source([{ subscription: `no-such-${randomUUID()}`, stream: 'plants' }]), streams, producer: await bus.producer(), connection: { projectId, emulatorHost },
    })).rejects.toThrow(/sources\.pubsub\.subscriptions\[0\]\.subscription: cannot open "no-such-.*fix: create it/);
  });
});
