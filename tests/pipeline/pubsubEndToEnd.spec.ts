import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { PubSub, type Topic } from '@google-cloud/pubsub';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { driftlineConfigSchema } from '../../shared/config/configSchema.js';
import type { DuckDbSink } from '../../shared/sinks/duckdb/duckdbSink.js';
import { startPipeline, type Pipeline } from '../../services/pipeline/pipeline.js';
import { deviceMessages, type DeviceMessage } from '../../services/simulator/deviceMessages.js';
import { FINITE_START } from '../../services/simulator/simulatorRun.js';
import { describeWithService } from '../services/serviceEnv.js';
import { DATASET, expectedWindows, testConfig, until, type ExpectedWindows, drainedWarehouse } from './pipelineFixture.js';

const STEP = 20;
/** the worker's DuplicateFilter default: a repeat is caught when it is among its key's last 64 events */
const DUPLICATE_DEPTH = 64;

/**
 * Per key, the distances (in that key's messages) between a message and its repeat (same event time)
 * that reordering by up to `step` places could push across the duplicate filter's depth: the expected
 * windows count repeats by publish order, so the test's premise is that none lies this close to it.
 */
function repeatDistancesNear(messages: readonly DeviceMessage[], depth: number, step: number): number[] {
  const seen = new Map<string, Map<number, number>>();
  const count = new Map<string, number>();
  const near: number[] = [];
  for (const m of messages) {
    const p = JSON.parse(m.payload) as { timestamp: string | number };
    const t = typeof p.timestamp === 'number' ? p.timestamp : Date.parse(p.timestamp);
    const i = count.get(m.topic) ?? 0;
    count.set(m.topic, i + 1);
    let times = seen.get(m.topic);
    if (!times) seen.set(m.topic, (times = new Map()));
    const first = times.get(t);
    if (first === undefined) times.set(t, i);
    else if (Math.abs(i - first - depth) <= step) near.push(i - first);
  }
  return near;
}

/**
 * Devices that publish to Pub/Sub (as Cloud IoT Core devices did): the simulated fleet's messages go to
 * two Pub/Sub topics with a `deviceId` attribute, and `driftline run`'s pipeline (sources.pubsub, embedded
 * bus, DuckDB) must land exactly the windows the dataset implies, as the MQTT end-to-end test does.
 */
describeWithService('pubsub', 'pipeline end to end: devices → Pub/Sub fake → Pub/Sub ingest → bus → worker → DuckDB', (service) => {
  let expected: ExpectedWindows;
  let sink: DuckDbSink;
  let pipeline: Pipeline;
  let admin: PubSub;
  let dir: string;
  const cleanup: (() => Promise<unknown>)[] = [];
  let published = 0;

  beforeAll(async () => {
    const { emulatorHost, projectId } = service();
    admin = new PubSub({ projectId, apiEndpoint: emulatorHost, emulatorMode: true });
    const run = randomUUID().slice(0, 8);
    const topics: Record<'vessels' | 'plants', { topic: Topic; subscription: string }> = {} as never;
    for (const stream of ['vessels', 'plants'] as const) {
      // Unordered, as Cloud IoT Core published. (An ordered subscription works too, but the fake hands out
      // one message per ordering key per 10 ms delivery tick, which makes this dataset take minutes.)
      const [topic] = await admin.createTopic(`e2e-${stream}-${run}`);
      const [sub] = await topic.createSubscription(`e2e-${stream}-${run}-driftline`);
      cleanup.push(() => sub.delete(), () => topic.delete());
      topics[stream] = { topic, subscription: sub.name.split('/').pop()! };
    }

    const base = testConfig('mqtt://127.0.0.1:1', 'unused');
    dir = base.dir;
    const input = base.input as Record<string, unknown>;
    const config = driftlineConfigSchema.parse({
      ...input,
      simulator: undefined,
      // MQTT stays on (the embedded broker on any free port) but carries nothing here
      sources: {
        mqtt: { embedded: { port: 0 }, client_id: `e2e-pubsub-${run}` },
        pubsub: {
          project_id: projectId, emulator_host: emulatorHost,
          subscriptions: [
            { subscription: topics.vessels.subscription, stream: 'vessels' },
            { subscription: topics.plants.subscription, stream: 'plants' },
          ],
        },
      },
    });
    expected = expectedWindows();
    pipeline = await startPipeline({ config, logger: pino({ level: 'warn' }) });
    expect(pipeline.pubsub?.isReady()).toBe(true);

    // Published in steps of STEP messages, each acknowledged before the next. The fake hands out what is
    // pending in any order, so arrival order differs from publish order only within a step: a few minutes
    // of event time (inside max_out_of_orderness), and a key's repeats move at most STEP places apart.
    const all = [...deviceMessages({ ...DATASET, start: FINITE_START, vesselTopic: (k) => `vessels/${k}`, plantTopic: (k) => `plants/${k}` })];
    expect(repeatDistancesNear(all, DUPLICATE_DEPTH, STEP)).toEqual([]);
    for (let i = 0; i < all.length; i += STEP) {
      await Promise.all(all.slice(i, i + STEP).map((m) => {
        const [stream, key] = m.topic.split('/') as ['vessels' | 'plants', string];
        return topics[stream].topic.publishMessage({ data: Buffer.from(m.payload), attributes: { deviceId: key } });
      }));
      published = Math.min(all.length, i + STEP);
      await until(`${published} messages acknowledged`, () => (pipeline.status().pubsub?.acked ?? 0) >= published, 120_000);
    }
    expect(published).toBe(expected.messages);

    // A device publishing under another's id, and a broken payload.
    const vessel = [...expected.windows.keys()].find((k) => k.startsWith('vessels|'))!.split('|')[1]!;
    const fix = { mmsi: vessel, timestamp: '2024-01-01T12:00:00Z', lat: 50, lon: -4, speed: 3, course: 90, heading: null };
    await topics.vessels.topic.publishMessage({ json: fix, attributes: { deviceId: '999999999' } });
    await topics.plants.topic.publishMessage({ data: Buffer.from('{"plant_id": "x",'), attributes: { deviceId: 'x' } });
    await until('the bad input to be acknowledged', () => (pipeline.status().pubsub?.acked ?? 0) >= published + 2, 60_000);
    await until('the dataset to reach the workers', () => {
      const s = pipeline.status();
      return s.worker_records === s.ingested && s.ingested === expected.messages;
    });
    sink = await drainedWarehouse(pipeline, config);
  }, 600_000);

  afterAll(async () => {
    await sink?.close();
    if (pipeline) await pipeline.stop();
    for (const c of cleanup.reverse()) await c().catch(() => {});
    await admin?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lands exactly one final pane per expected window, with the expected event counts, for both models', async () => {
    const { rows } = await sink.query(
      "select stream, key, epoch_ms(window_start) as ws, event_count, model from predictions where is_final and model_role = 'champion' order by all");
    const got = new Map(rows.map((r) => [`${r[0]}|${r[1]}|${r[2]}`, Number(r[3])]));
    expect(rows.length).toBe(expected.windows.size);
    expect(got).toEqual(expected.windows);
    expect(new Set(rows.map((r) => String(r[4])))).toEqual(new Set(['fishing-gear', 'cooling-pue']));
  });

  it('keeps the forged device and the broken payload as pubsub dead letters, named by subscription', async () => {
    const { rows } = await sink.query("select reason, stream, topic, detail from dead_letters where source = 'pubsub' order by reason");
    expect(rows.map((r) => [r[0], r[1]])).toEqual([['bad_json', 'plants'], ['identity_mismatch', 'vessels']]);
    expect(String(rows[1]![2])).toMatch(/^projects\/.+\/subscriptions\/e2e-vessels-.+-driftline$/);
    expect(String(rows[1]![3])).toMatch(/attribute deviceId is "999999999"/);
    const s = pipeline.status();
    expect(s.pubsub).toMatchObject({ received: expected.messages + 2, valid: expected.messages, acked: expected.messages + 2, nacked: 0 });
    expect(s.received).toBe(expected.messages + 2);
  });
});
