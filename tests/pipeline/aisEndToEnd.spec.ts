import { createServer, type Server, type Socket } from 'node:net';
import mqtt from 'mqtt';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startPipeline, type Pipeline } from '../../services/pipeline/pipeline.js';
import { driftlineConfigSchema } from '../../shared/config/configSchema.js';
import type { DuckDbSink } from '../../shared/sinks/duckdb/duckdbSink.js';
import { sentence, tagBlock, type1Payload, type1Sentence, type5Sentences, type StaticVoyage } from '../fixtures/aisEncode/aisEncoder.js';
import { describeWithService } from '../services/serviceEnv.js';
import { testConfig, drainedWarehouse } from './pipelineFixture.js';

const DAY = 86_400_000;
const STEP = 30 * 60_000;
/** 2024-03-01T00:00Z: in the past (max_future_skew) and a day boundary, so tracks span two windows */
const START = Date.UTC(2024, 2, 1);
/** 31 h of fixes every 30 min: the whole first day and 7 h of the second */
const FIXES = 63;
/** this run's MQTT topic prefix */
const RUN = `ais-e2e-${process.pid}-${Date.now()}`;
const TCP_VESSELS = [227006760, 227006770, 257123450];
const CATCHER_VESSEL = 316001234;

interface Fix { readonly mmsi: number; readonly t: number; readonly lat: number; readonly lon: number; readonly speed: number; readonly course: number }

/** A slow zig-zag per vessel: positions, speed and course change every fix. */
function track(mmsi: number, v: number): Fix[] {
  return Array.from({ length: FIXES }, (_, i) => ({
    mmsi, t: START + i * STEP,
    lat: 48 + v * 0.5 + i * 0.004, lon: -5 + v * 0.3 + (i % 6) * 0.01,
    speed: 2 + ((i * 7 + v) % 9), course: (i * 37 + v * 50) % 360,
  }));
}

const statics: StaticVoyage[] = [
  { mmsi: TCP_VESSELS[0]!, imo: 9123456, callsign: 'DL1', shipname: 'DRIFTLINE ONE', shiptype: 30, to_bow: 20, to_stern: 10, to_port: 4, to_starboard: 5, draught: 3.5, destination: 'BREST' },
  { mmsi: CATCHER_VESSEL, imo: 9234567, callsign: 'VC22', shipname: 'NORTHERN LIGHT', shiptype: 30, to_bow: 30, to_stern: 12, to_port: 5, to_starboard: 6, draught: 5.1, destination: 'ST JOHNS' },
];

function positionLine(f: Fix): string {
  return type1Sentence({ mmsi: f.mmsi, lat: f.lat, lon: f.lon, speed: f.speed, course: f.course, heading: Math.round(f.course) % 360, second: new Date(f.t).getUTCSeconds() });
}

/** Bad sentences a real feed carries, each one dead letter with the decoder's reason. */
function badLines(): { line: string; reason: string; detail: RegExp }[] {
  const good = type1Sentence({ mmsi: 227006760, lat: 48, lon: -5, speed: 1, course: 10, heading: 10, second: 0 });
  const badChecksum = good.replace(/\*[0-9A-F]{2}$/, (c) => (c === '*00' ? '*01' : '*00'));
  const { payload } = type1Payload({ mmsi: 227006760, lat: 48, lon: -5, speed: 1, course: 10, heading: 10, second: 0 });
  const truncated = sentence(1, 1, '', 'A', payload.slice(0, 12), 0);
  const badFill = sentence(1, 1, '', 'A', payload, 7);
  const offGlobe = type1Sentence({ mmsi: 227006760, lat: 95, lon: -5, speed: 1, course: 10, heading: 10, second: 0 });
  return [
    { line: badChecksum, reason: 'bad_nmea', detail: /checksum/i },
    { line: truncated, reason: 'bad_nmea', detail: /72 bits, needs at least 168/ },
    { line: badFill, reason: 'bad_nmea', detail: /fill/i },
    { line: offGlobe, reason: 'impossible_value', detail: /lat 95/ },
  ];
}

async function until(what: string, ok: () => boolean, state: () => unknown, timeoutMs = 120_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(state())}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describeWithService('mqtt', 'AIS end to end: NMEA over TCP + AIS-catcher JSON over mosquitto → pipeline → DuckDB', (mqttService) => {
  let sink: DuckDbSink;
  let pipeline: Pipeline;
  let server: Server;
  const sockets = new Set<Socket>();
  const tracks = [...TCP_VESSELS, CATCHER_VESSEL].map((mmsi, v) => track(mmsi, v));
  const bad = badLines();

  beforeAll(async () => {
    // the feed: every TCP vessel's fixes in event-time order, with tag-block receiver times, then
    // type 5 static data and the bad lines, as one stream of CRLF-terminated NMEA
    const tcpFixes = tracks.slice(0, TCP_VESSELS.length).flat().sort((a, b) => a.t - b.t);
    const lines = tcpFixes.map((f) => tagBlock('shore1', f.t) + positionLine(f));
    const [t5a, t5b] = type5Sentences(statics[0]!, '4');
    const staticAt = START + 3 * 3600_000;
    lines.push(tagBlock('shore1', staticAt) + t5a, t5b);
    for (const b of bad) lines.push(b.line);
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
      socket.write(lines.map((l) => `${l}\r\n`).join(''));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;

    const { url } = mqttService();
    const { input } = testConfig(url, `driftline-ais-e2e-${process.pid}-${Date.now()}`);
    const base = input as { sources: { mqtt: { topics: string[] }; ais?: unknown }; streams: Record<string, { topic: string; watermark: Record<string, unknown> }> };
    // Other suites (and other checkouts' runs) publish simulated fleets on the shared mosquitto
    // under driftline/#: this run's MQTT topics live under its own prefix so none of that reaches it.
    // (AIS-catcher's topics stay outside sources.mqtt.topics, or the MQTT ingest would dead-letter them as unknown_topic.)
    for (const stream of Object.values(base.streams)) stream.topic = `${RUN}/json/${stream.topic}`;
    base.sources.mqtt.topics = [`${RUN}/json/#`];
    // Two feeds arrive in no common order, so bound out-of-orderness by the whole dataset (31 h):
    // no fix is ever late and every window's count follows from what was sent.
    base.streams.vessels!.watermark = { ...base.streams.vessels!.watermark, max_out_of_orderness: '3d' };
    base.sources.ais = { tcp: [{ host: '127.0.0.1', port }], ais_catcher: { topic: `${RUN}/ais/<mmsi>/data` } };
    const config = driftlineConfigSchema.parse(base);
    pipeline = await startPipeline({ config, logger: pino({ level: 'warn' }) });

    // AIS-catcher's JSON over real mosquitto: decoded fields beside nmea, rxuxtime and station_id
    const client = await mqtt.connectAsync(url, { clientId: `driftline-ais-e2e-pub-${process.pid}` });
    for (const f of tracks[TCP_VESSELS.length]!) {
      await client.publishAsync(`${RUN}/ais/${f.mmsi}/data`, JSON.stringify({
        class: 'AIS', device: 'AIS-catcher', channel: 'B', signalpower: -31.2, ppm: 0.4, station_id: 'catcher1',
        rxuxtime: f.t / 1000, nmea: [positionLine(f)], type: 1, mmsi: f.mmsi, lat: f.lat, lon: f.lon, speed: f.speed, course: f.course,
      }), { qos: 1 });
    }
    const [c5a, c5b] = type5Sentences(statics[1]!, '1', 'B');
    await client.publishAsync(`${RUN}/ais/${CATCHER_VESSEL}/data`, JSON.stringify({ rxuxtime: (START + 5 * 3600_000) / 1000, station_id: 'catcher1', nmea: [c5a, c5b], type: 5, mmsi: CATCHER_VESSEL }), { qos: 1 });
    await client.publishAsync(`${RUN}/ais/${CATCHER_VESSEL}/data`, '{"nmea": [', { qos: 1 });
    await client.endAsync();

    const positions = tracks.length * FIXES;
    await until('every AIS position and reject to be taken', () => {
      const a = pipeline.status().ais;
      const dead = a ? Object.values(a.deadLetters).reduce((x, y) => x + (y ?? 0), 0) : 0;
      return a !== undefined && a.positions === positions && dead === bad.length + 1 && a.vesselUpdates === 2;
    }, () => pipeline.status());
    await pipeline.ais!.flush();
    await until('the positions to reach the worker', () => {
      const s = pipeline.status();
      return s.worker_records === positions && s.ais!.pending === 0;
    }, () => pipeline.status());
    sink = await drainedWarehouse(pipeline, config);
  }, 600_000);

  afterAll(async () => {
    await sink?.close();
    for (const s of sockets) s.destroy();
    await new Promise((r) => server?.close(r));
  });

  it('lands one final prediction per vessel-day window with the fixes sent in it, from both feeds', async () => {
    const want = new Map<string, number>();
    for (const f of tracks.flat()) {
      const id = `${String(f.mmsi).padStart(9, '0')}|${Math.floor(f.t / DAY) * DAY}`;
      want.set(id, (want.get(id) ?? 0) + 1);
    }
    expect(new Set([...want.keys()].map((k) => k.split('|')[1]))).toEqual(new Set([String(START), String(START + DAY)]));
    const { rows } = await sink.query(
      "select key, epoch_ms(window_start) as ws, event_count, model, label, probabilities from predictions where stream = 'vessels' and is_final and model_role = 'champion' order by all");
    expect(new Map(rows.map((r) => [`${r[0]}|${r[1]}`, Number(r[2])]))).toEqual(want);
    expect(rows.length).toBe(want.size);
    for (const r of rows) {
      expect(r[3]).toBe('fishing-gear');
      const p = JSON.parse(String(r[5])) as Record<string, number>;
      expect(Object.values(p).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      expect(r[4]).toBe(Object.entries(p).sort((a, b) => b[1] - a[1])[0]![0]);
    }
    const late = await sink.query('select count(*) from late_events');
    expect(Number(late.rows[0]![0])).toBe(0);
  });

  it('keeps every bad sentence as a dead letter with its raw text and reason', async () => {
    const { rows } = await sink.query('select payload, reason, detail, source from dead_letters order by payload');
    const got = rows.map((r) => ({ payload: String(r[0]), reason: String(r[1]), detail: String(r[2]), source: String(r[3]) }));
    expect(got, JSON.stringify(got.slice(-3))).toHaveLength(bad.length + 1);
    for (const b of bad) {
      const row = got.find((g) => g.payload === b.line);
      expect(row, b.line).toBeDefined();
      expect(row!.reason).toBe(b.reason);
      expect(row!.detail).toMatch(b.detail);
      expect(row!.source).toMatch(/^tcp:127\.0\.0\.1:\d+$/);
    }
    const catcher = got.find((g) => g.payload === '{"nmea": [');
    expect(catcher).toMatchObject({ reason: 'bad_nmea', source: `ais-catcher:${RUN}/ais/+/data` });
    expect(catcher!.detail).toMatch(/not JSON/);
  });

  it('lands type 5 static data in vessels, from both feeds, timed by the receiver', async () => {
    const { rows } = await sink.query('select mmsi, shipname, callsign, imo, shiptype, to_bow, to_stern, to_port, to_starboard, epoch_ms(updated_at) from vessels order by mmsi');
    expect(rows.map((r) => r.map((x) => (typeof x === 'bigint' ? Number(x) : x)))).toEqual([
      ['227006760', 'DRIFTLINE ONE', 'DL1', 9123456, 30, 20, 10, 4, 5, START + 3 * 3600_000],
      ['316001234', 'NORTHERN LIGHT', 'VC22', 9234567, 30, 30, 12, 5, 6, START + 5 * 3600_000],
    ]);
  });
});

