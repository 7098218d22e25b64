/**
 * bench:bus-embedded: appends through the embedded bus against raw better-sqlite3 inserts of the
 * same rows (one transaction per batch, same WAL and synchronous settings), measured alternately
 * in one run so machine noise hits both. Also: read-back throughput and in-process send→poll
 * latency. The last stdout line is the JSON summary.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedBus } from '../shared/bus/embedded/embeddedBus.js';
import type { Synchronous } from '../shared/bus/embedded/logDatabase.js';

const dir = mkdtempSync(join(tmpdir(), 'driftline-bench-bus-'));
const value = JSON.stringify({ mmsi: '227006760', timestamp: 1714557600, lat: 47.123456, lon: -4.654321, speed: 3.1, course: 181.5, heading: 180, pad: 'x'.repeat(60) });
const rounds = Number(process.env.ROUNDS ?? 3);
const seconds = Number(process.env.SECONDS_PER_CASE ?? 1);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function busAppend(synchronous: Synchronous, batch: number, round: number): Promise<number> {
  const bus = new EmbeddedBus({ path: join(dir, `bus-${synchronous}-${batch}-${round}.sqlite`), synchronous, retentionIntervalMs: 0 });
  const producer = await bus.producer();
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    await producer.send('positions', Array.from({ length: batch }, (_, i) => ({ key: `v${(n + i) % 500}`, value })));
    n += batch;
  }
  const rate = n / ((performance.now() - t0) / 1000);
  await bus.close();
  return rate;
}

function rawAppend(synchronous: Synchronous, batch: number, round: number): number {
  const db = new Database(join(dir, `raw-${synchronous}-${batch}-${round}.sqlite`));
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.exec('CREATE TABLE log (seq INTEGER PRIMARY KEY, key TEXT NOT NULL, value TEXT NOT NULL, ts INTEGER NOT NULL)');
  const insert = db.prepare('INSERT INTO log (key, value, ts) VALUES (?, ?, ?)');
  const tx = db.transaction((rows: number, from: number) => {
    for (let i = 0; i < rows; i++) insert.run(`v${(from + i) % 500}`, value, Date.now());
  });
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    tx.immediate(batch, n);
    n += batch;
  }
  const rate = n / ((performance.now() - t0) / 1000);
  db.close();
  return rate;
}

async function readBack(): Promise<number> {
  const bus = new EmbeddedBus({ path: join(dir, 'read.sqlite'), synchronous: 'NORMAL', retentionIntervalMs: 0 });
  const producer = await bus.producer();
  for (let i = 0; i < 100; i++) await producer.send('positions', Array.from({ length: 1000 }, (_, j) => ({ key: `v${(i * 1000 + j) % 500}`, value })));
  const consumer = await bus.consumer({ group: 'bench', topics: ['positions'] });
  let n = 0;
  const t0 = performance.now();
  for (let got = await consumer.poll({ maxRecords: 2000, timeoutMs: 0 }); got.length; got = await consumer.poll({ maxRecords: 2000, timeoutMs: 0 })) n += got.length;
  const rate = n / ((performance.now() - t0) / 1000);
  await bus.close();
  return rate;
}

async function latency(): Promise<{ p50: number; p99: number }> {
  const bus = new EmbeddedBus({ path: join(dir, 'latency.sqlite'), retentionIntervalMs: 0 });
  const producer = await bus.producer();
  const consumer = await bus.consumer({ group: 'bench', topics: ['positions'] });
  const samples: number[] = [];
  for (let i = 0; i < 300; i++) {
    const polled = consumer.poll({ maxRecords: 10, timeoutMs: 5000 });
    const t0 = performance.now();
    await producer.send('positions', [{ key: `v${i}`, value }]);
    await polled;
    samples.push(performance.now() - t0);
  }
  await bus.close();
  samples.sort((a, b) => a - b);
  return { p50: samples[Math.floor(samples.length * 0.5)], p99: samples[Math.floor(samples.length * 0.99)] };
}

const cases: [Synchronous, number][] = [['FULL', 1], ['NORMAL', 1], ['FULL', 100], ['NORMAL', 100], ['FULL', 1000]];
const results: Record<string, { bus: number[]; raw: number[] }> = {};
for (let round = 0; round < rounds; round++) {
  for (const [sync, batch] of cases) {
    const key = `${sync.toLowerCase()}_batch${batch}`;
    results[key] ??= { bus: [], raw: [] };
    results[key].bus.push(await busAppend(sync, batch, round));
    results[key].raw.push(rawAppend(sync, batch, round));
  }
}
const summary: Record<string, number | string> = { bench: 'bus-embedded' };
for (const [key, r] of Object.entries(results)) {
  summary[`${key}_bus_rows_per_s`] = Math.round(median(r.bus));
  summary[`${key}_raw_rows_per_s`] = Math.round(median(r.raw));
  summary[`${key}_ratio`] = Number((median(r.bus) / median(r.raw)).toFixed(2));
  process.stderr.write(`${key}: bus ${Math.round(median(r.bus))} rows/s, raw sqlite ${Math.round(median(r.raw))} rows/s\n`);
}
summary.read_rows_per_s = Math.round(await readBack());
const lat = await latency();
summary.send_to_poll_p50_ms = Number(lat.p50.toFixed(3));
summary.send_to_poll_p99_ms = Number(lat.p99.toFixed(3));
rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify(summary));
