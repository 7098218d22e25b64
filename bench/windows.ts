/**
 * npm run bench:windows — the windowing engine against a plain Map-based tumbling loop, in one run.
 *
 * Cases (event streams are generated deterministically, times in epoch ms):
 * - tumbling: 100,000 keys x 10 events = 1,000,000 events, 1 min windows, mean/variance, 4
 *   partitions, a few seconds of out-of-orderness; each key fills two windows.
 * - baseline: the same events through `Map<string, {start, n, mean, m2}>`, emitting a result
 *   object when a key's window changes (no watermark, no lateness, no ordering guarantees).
 * - sliding: 24 h windows every 1 h (24 windows per event), 20,000 keys x 10 events.
 * - session: 5 min gap, 50,000 keys x 10 events in bursts.
 * - memory: heap + ArrayBuffers after GC with 100,000 open tumbling windows, divided by the open
 *   windows. Keys are created as fresh strings, as JSON.parse would, so they count too.
 * events_per_s / baseline_events_per_s are medians over 11 alternating runs; ratio is the median of
 * the per-run ratios. Progress goes to stderr; the last stdout line is the JSON summary.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { meanVariance } from '../shared/windowing/aggregators/meanVariance.js';
import { parseWindowingConfig } from '../shared/windowing/config.js';
import { WindowEngine } from '../shared/windowing/engine.js';
import type { WindowEvent } from '../shared/windowing/event.js';
import type { Pane } from '../shared/windowing/pane.js';
import type { WindowSink } from '../shared/windowing/sink.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  // Heap figures need a forced GC: re-run this script under --expose-gc.
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', self, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

interface Reading {
  readonly v: number;
}

const T0 = Date.UTC(2024, 0, 1);
const KEYS = 100_000;
const ROUNDS = 10;
const PARTITIONS = 4;

function log(msg: string): void {
  process.stderr.write(`[bench:windows] ${msg}\n`);
}

/** xorshift32: deterministic jitter without Math.random */
function rng(seed: number): () => number {
  let x = seed | 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

function keyName(k: number): string {
  return `device-${k}`;
}

/** Round r: every key sends once; rounds are 12 s apart, up to 3 s out of order; rounds 0-4 fill the first minute. */
function tumblingEvent(i: number, rand: () => number, offsets: number[]): WindowEvent<Reading> {
  const k = i % KEYS;
  const r = Math.floor(i / KEYS);
  const p = k % PARTITIONS;
  return {
    partition: p,
    offset: offsets[p]!++,
    key: keyName(k),
    eventTime: T0 + 3_000 + r * 12_000 + Math.floor((k / KEYS) * 8_000) - Math.floor(rand() * 3_000),
    value: { v: 20 + rand() * 5 },
  };
}

function makeTumblingEvents(): WindowEvent<Reading>[] {
  const rand = rng(42);
  const offsets = new Array(PARTITIONS).fill(0);
  const events = new Array<WindowEvent<Reading>>(KEYS * ROUNDS);
  for (let i = 0; i < events.length; i++) events[i] = tumblingEvent(i, rand, offsets);
  return events;
}

class CountingSink implements WindowSink<Reading, unknown> {
  panes = 0;
  side = 0;
  checksum = 0;
  pane(p: Pane<unknown>): void {
    this.panes++;
    this.checksum += p.eventCount;
  }
  sideOutput(): void {
    this.side++;
  }
}

const tumblingConfig = parseWindowingConfig({
  window: { kind: 'tumbling', size: '1m' },
  watermark: { max_out_of_orderness: '5s', idle_timeout: '1m' },
  allowed_lateness: '0s',
  max_future_skew: '1h',
});

/** Feeds events with the processing clock following event time, as a live feed would. */
function drive(engine: WindowEngine<Reading, never>, events: readonly WindowEvent<Reading>[], tickEvery: number): void {
  for (let i = 0; i < events.length; i++) {
    if (i % tickEvery === 0) engine.advanceProcessingTime(events[i]!.eventTime + 1_000);
    engine.process(events[i]!);
  }
  engine.flushAll();
}

function runEngine(events: readonly WindowEvent<Reading>[], config = tumblingConfig): { seconds: number; sink: CountingSink } {
  const sink = new CountingSink();
  const engine = new WindowEngine<Reading, never>({
    config,
    aggregations: { reading: meanVariance<Reading>((r) => r.v) } as never,
    sink: sink as never,
    processingTime: T0,
  });
  const start = process.hrtime.bigint();
  drive(engine, events, 1_000);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const c = engine.counters();
  if (c.eventsAccepted + c.lateRouted !== events.length) throw new Error(`engine lost events: ${JSON.stringify(c)}`);
  return { seconds, sink };
}

interface BaselineState {
  start: number;
  n: number;
  mean: number;
  m2: number;
}

function runBaseline(events: readonly WindowEvent<Reading>[]): { seconds: number; emitted: number } {
  const size = 60_000;
  const states = new Map<string, BaselineState>();
  let emitted = 0;
  let checksum = 0;
  const emit = (key: string, s: BaselineState) => {
    const out = { key, windowStart: s.start, windowEnd: s.start + size, count: s.n, mean: s.mean, variance: s.m2 / s.n };
    emitted++;
    checksum += out.count;
  };
  const startTime = process.hrtime.bigint();
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    const t = e.eventTime;
    const start = t - (t % size);
    let s = states.get(e.key);
    if (s === undefined) {
      s = { start, n: 0, mean: 0, m2: 0 };
      states.set(e.key, s);
    } else if (s.start !== start) {
      emit(e.key, s);
      s.start = start;
      s.n = 0;
      s.mean = 0;
      s.m2 = 0;
    }
    const x = e.value.v;
    s.n++;
    const d = x - s.mean;
    s.mean += d / s.n;
    s.m2 += d * (x - s.mean);
  }
  for (const [k, s] of states) emit(k, s);
  const seconds = Number(process.hrtime.bigint() - startTime) / 1e9;
  if (checksum !== events.length) throw new Error('baseline checksum');
  return { seconds, emitted };
}

function heapBytes(): number {
  gc!();
  gc!();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** Bytes per open window with 100k open tumbling windows (first five rounds: nothing fired yet). */
function measureMemory(): { bytesPerWindow: number; open: number; baselineBytesPerKey: number } {
  const before = heapBytes();
  const sink = new CountingSink();
  let engine: WindowEngine<Reading, never> | null = new WindowEngine<Reading, never>({
    config: tumblingConfig,
    aggregations: { reading: meanVariance<Reading>((r) => r.v) } as never,
    sink: sink as never,
    processingTime: T0,
  });
  const rand = rng(7);
  const offsets = new Array(PARTITIONS).fill(0);
  for (let i = 0; i < KEYS * 5; i++) {
    const e = tumblingEvent(i, rand, offsets);
    if (i % 1000 === 0) engine.advanceProcessingTime(e.eventTime + 1_000);
    engine.process(e);
  }
  const open = engine.counters().openWindows;
  if (sink.panes !== 0) throw new Error('memory case: windows fired early');
  const after = heapBytes();
  engine = null;

  // The same figure for the baseline's Map of objects, for context.
  const base0 = heapBytes();
  let states: Map<string, BaselineState> | null = new Map();
  for (let k = 0; k < KEYS; k++) states.set(keyName(k), { start: T0, n: 5, mean: 21.5, m2: 3.25 });
  const base1 = heapBytes();
  const keys = states.size;
  states = null;
  return { bytesPerWindow: (after - before) / open, open, baselineBytesPerKey: (base1 - base0) / keys };
}

function slidingEvents(): WindowEvent<Reading>[] {
  const rand = rng(11);
  const keys = 20_000;
  const offsets = new Array(PARTITIONS).fill(0);
  const out: WindowEvent<Reading>[] = [];
  for (let r = 0; r < 10; r++) {
    for (let k = 0; k < keys; k++) {
      const p = k % PARTITIONS;
      // every key reports every ~5 h over two days, up to 10 min out of order
      out.push({ partition: p, offset: offsets[p]++, key: keyName(k), eventTime: T0 + r * 5 * 3_600_000 + Math.floor((k / keys) * 3_600_000) - Math.floor(rand() * 600_000), value: { v: rand() * 10 } });
    }
  }
  return out;
}

function sessionEvents(): WindowEvent<Reading>[] {
  const rand = rng(13);
  const keys = 50_000;
  const offsets = new Array(PARTITIONS).fill(0);
  const out: WindowEvent<Reading>[] = [];
  // two bursts of five events a minute apart, 40 min between bursts
  for (let burst = 0; burst < 2; burst++) {
    for (let step = 0; step < 5; step++) {
      for (let k = 0; k < keys; k++) {
        const p = k % PARTITIONS;
        out.push({ partition: p, offset: offsets[p]++, key: keyName(k), eventTime: T0 + burst * 2_400_000 + step * 60_000 + Math.floor((k / keys) * 50_000) - Math.floor(rand() * 20_000), value: { v: rand() } });
      }
    }
  }
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function main(): void {
  log('generating 1,000,000 tumbling events over 100,000 keys');
  const events = makeTumblingEvents();
  const engineRates: number[] = [];
  const baselineRates: number[] = [];
  const ratios: number[] = [];
  let panes = 0;
  // Engine and baseline alternate so that machine noise (other processes share the 2 cores) hits
  // both alike; the ratio is the median of the per-pair ratios; one warm-up pair is discarded.
  for (let rep = 0; rep < 12; rep++) {
    const b = runBaseline(events);
    const e = runEngine(events);
    panes = e.sink.panes;
    if (e.sink.checksum !== events.length) throw new Error(`engine panes hold ${e.sink.checksum} events, expected ${events.length}`);
    if (rep > 0) {
      baselineRates.push(events.length / b.seconds);
      engineRates.push(events.length / e.seconds);
      ratios.push(b.seconds / e.seconds);
    }
    log(`rep ${rep}: engine ${(events.length / e.seconds / 1e6).toFixed(2)}M ev/s (${e.sink.panes} panes, ${e.sink.side} side), baseline ${(events.length / b.seconds / 1e6).toFixed(2)}M ev/s (${b.emitted} results), ratio ${(b.seconds / e.seconds).toFixed(2)}`);
  }
  const eventsPerS = median(engineRates);
  const baselinePerS = median(baselineRates);

  log('memory: 100,000 open tumbling windows');
  const mem = measureMemory();
  log(`memory: ${mem.bytesPerWindow.toFixed(1)} B per open window (${mem.open} open); baseline Map of objects ${mem.baselineBytesPerKey.toFixed(1)} B per key`);

  const slidingConfig = parseWindowingConfig({
    window: { kind: 'sliding', size: '24h', period: '1h' },
    watermark: { max_out_of_orderness: '15m', idle_timeout: '1h' },
    max_future_skew: '1h',
  });
  const sliding = slidingEvents();
  const slidingRates: number[] = [];
  for (let rep = 0; rep < 3; rep++) {
    const r = runEngine(sliding, slidingConfig);
    slidingRates.push(sliding.length / r.seconds);
    log(`sliding 24h/1h rep ${rep}: ${(sliding.length / r.seconds / 1e3).toFixed(0)}k ev/s, ${r.sink.panes} panes`);
  }

  const sessionConfig = parseWindowingConfig({
    window: { kind: 'session', gap: '5m' },
    watermark: { max_out_of_orderness: '30s', idle_timeout: '5m' },
    max_future_skew: '1h',
  });
  const sessions = sessionEvents();
  const sessionRates: number[] = [];
  for (let rep = 0; rep < 3; rep++) {
    const r = runEngine(sessions, sessionConfig);
    sessionRates.push(sessions.length / r.seconds);
    log(`session 5m rep ${rep}: ${(sessions.length / r.seconds / 1e3).toFixed(0)}k ev/s, ${r.sink.panes} panes`);
  }

  log(`tumbling panes per run: ${panes}`);
  const summary = {
    bench: 'windows',
    events_per_s: Math.round(eventsPerS),
    baseline_events_per_s: Math.round(baselinePerS),
    ratio: Number(median(ratios).toFixed(3)),
    bytes_per_open_window: Math.round(mem.bytesPerWindow),
    sliding_events_per_s: Math.round(median(slidingRates)),
    session_events_per_s: Math.round(median(sessionRates)),
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

main();
