import mqtt from 'mqtt';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DuckDbSink } from '../../shared/sinks/duckdb/duckdbSink.js';
import { startPipeline, type Pipeline } from '../../services/pipeline/pipeline.js';
import { describeWithService } from '../services/serviceEnv.js';
import { expectedWindows, testConfig, until, type ExpectedWindows, drainedWarehouse } from './pipelineFixture.js';

describeWithService('mqtt', 'pipeline end to end: simulator → mosquitto → ingest → bus → worker → DuckDB', (mqttService) => {
  let expected: ExpectedWindows;
  let sink: DuckDbSink;
  let pipeline: Pipeline;
  const bad: { reason: string; count: number }[] = [];

  beforeAll(async () => {
    const { url } = mqttService();
    // Topics of this run only: other clients of a shared broker (a second test run) cannot mix in.
    const root = `e2e-${process.pid}-${Date.now()}`;
    const { config } = testConfig(url, `driftline-e2e-${process.pid}-${Date.now()}`, { topicRoot: root });
    expected = expectedWindows();
    pipeline = await startPipeline({ config, logger: pino({ level: 'warn' }), simulator: config.simulator });
    const published = await pipeline.simulator!.done;
    expect(published).toBe(expected.messages);
    await until('the dataset to reach the workers', () => {
      const s = pipeline.status();
      return s.received >= published && s.worker_records === s.ingested;
    });

    // Let every partition go idle (idle_timeout 15s): the watermark then stands at the dataset's
    // end, which is what makes the 2023 fix below late rather than the start of a new window.
    await new Promise((r) => setTimeout(r, 16_000));
    // Bad input, sent the way a misbehaving device would.
    const client = await mqtt.connectAsync(url, { clientId: `driftline-e2e-bad-${process.pid}` });
    const vessel = [...expected.windows.keys()].find((k) => k.startsWith('vessels|'))!.split('|')[1]!;
    const send = (topic: string, payload: unknown, reason: string) => {
      bad.push({ reason, count: 1 });
      return client.publishAsync(topic, typeof payload === 'string' ? payload : JSON.stringify(payload), { qos: 1 });
    };
    const fix = { mmsi: vessel, timestamp: '2024-01-01T12:00:00Z', lat: 50, lon: -4, speed: 3, course: 90, heading: null };
    await send(`${root}/vessels/${vessel}/position`, '{"mmsi": "1", "lat":', 'bad_json');
    await send(`${root}/vessels/${vessel}/position`, { ...fix, lat: 'north' }, 'schema_violation');
    await send(`${root}/vessels/${vessel}/position`, { ...fix, lat: 95 }, 'impossible_value');
    await send(`${root}/vessels/999999999/position`, fix, 'identity_mismatch');
    await send(`${root}/unknown/thing`, { hello: 1 }, 'unknown_topic');
    // A fix repeated verbatim (AIS through two receivers): the second copy is a duplicate.
    const repeat = { ...fix, timestamp: '2024-01-02T01:00:00Z' };
    await send(`${root}/vessels/${vessel}/position`, repeat, 'valid');
    await send(`${root}/vessels/${vessel}/position`, repeat, 'duplicate');
    await send(`${root}/vessels/${vessel}/position`, { ...fix, timestamp: new Date(Date.now() + 2 * 86_400_000).toISOString() }, 'future');
    await send(`${root}/vessels/${vessel}/position`, { ...fix, timestamp: '2023-12-01T00:00:00Z' }, 'late');
    await client.endAsync();
    await until('the bad input to reach the workers', () => {
      const s = pipeline.status();
      return s.received >= published + bad.length && s.worker_records === s.ingested;
    });
    sink = await drainedWarehouse(pipeline, config);
  }, 600_000);

  afterAll(async () => {
    await sink?.close();
  });

  it('lands exactly one final pane per expected window, with the expected event counts, for both models', async () => {
    const { rows } = await sink.query(
      "select stream, key, epoch_ms(window_start) as ws, event_count, model from predictions where is_final and model_role = 'champion' order by all");
    const got = new Map(rows.map((r) => [`${r[0]}|${r[1]}|${r[2]}`, Number(r[3])]));
    // The valid repeat fix (2024-01-02T01:00) adds one event to its vessel's second window.
    const want = new Map(expected.windows);
    const vessel = [...want.keys()].find((k) => k.startsWith('vessels|'))!.split('|')[1]!;
    const repeatWindow = `vessels|${vessel}|${Date.UTC(2024, 0, 2)}`;
    want.set(repeatWindow, (want.get(repeatWindow) ?? 0) + 1);
    expect(rows.length).toBe(want.size);
    expect(got).toEqual(want);
    const models = new Set(rows.map((r) => String(r[4])));
    expect(models).toEqual(new Set(['fishing-gear', 'cooling-pue']));
  });

  it('writes valid probabilities and PUE values', async () => {
    const { rows } = await sink.query("select label, probabilities, value, stream from predictions");
    expect(rows.length).toBeGreaterThan(0);
    for (const [label, probabilities, value, stream] of rows) {
      if (stream === 'vessels') {
        const p = JSON.parse(String(probabilities)) as Record<string, number>;
        const sum = Object.values(p).reduce((a, b) => a + b, 0);
        expect(sum).toBeCloseTo(1, 4);
        for (const x of Object.values(p)) expect(x).toBeGreaterThanOrEqual(0);
        const best = Object.entries(p).sort((a, b) => b[1] - a[1])[0]![0];
        expect(label).toBe(best);
        expect(value).toBeNull();
      } else {
        expect(label).toBeNull();
        expect(Number(value)).toBeGreaterThan(1);
        expect(Number(value)).toBeLessThan(2);
      }
    }
  });

  it('routes every bad payload to dead_letters or late_events with its reason', async () => {
    const dead = await sink.query('select reason, count(*) from dead_letters group by reason order by reason');
    const deadBy = Object.fromEntries(dead.rows.map((r) => [String(r[0]), Number(r[1])]));
    expect(deadBy).toEqual({
      bad_json: 1, schema_violation: 1, impossible_value: 1, identity_mismatch: 1, unknown_topic: 1,
      duplicate: expected.duplicates + 1,
    });
    const late = await sink.query('select reason, count(*) from late_events group by reason order by reason');
    expect(Object.fromEntries(late.rows.map((r) => [String(r[0]), Number(r[1])]))).toEqual({ future: 1, late: 1 });
    const summary = pipeline.status();
    expect(summary.dead_letters).toBe(5 + expected.duplicates + 1);
    expect(summary.late_events).toBe(2);
  });
});
