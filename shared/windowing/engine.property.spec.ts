import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { count, first, last, max, meanVariance, min, points, sum } from './aggregators/index.js';
import type { WindowingConfig } from './config.js';
import { WindowEngine } from './engine.js';
import { ReferenceEngine } from './referenceEngine.js';
import { mergeSnapshots, partitionSnapshot } from './snapshotPartitions.js';
import { CollectingSink, type OutputRecord } from './sink.js';
import { TestStream, type TestStep } from './testStream.js';

/**
 * The engine against the brute-force ReferenceEngine on random streams: random keys and
 * partitions, out-of-order, late and future events, idle partitions, processing-time ticks,
 * explicit watermark advances, random watermark/lateness/trigger settings, all three window
 * kinds, both accumulation modes. Outputs (panes and side output, in order), counters and the
 * recovery offsets must match exactly. The one allowance: mean/variance of a session that was
 * built by merging sessions may differ in the last bits, because the engine merges Welford states
 * (Chan's formula) where the reference refolds the raw values.
 */
interface V {
  readonly x: number | null;
}

const aggregationsFor = (capacity: number, policy: 'downsample' | 'keep_first' | 'keep_last') => ({
  n: count<V>(),
  nx: count<V>((v) => v.x),
  total: sum<V>((v) => v.x),
  mv: meanVariance<V>((v) => v.x),
  lo: min<V>((v) => v.x),
  hi: max<V>((v) => {
    // A value extractor that throws on bad input must route the event as invalid, not crash.
    if (v.x === 999) throw new Error('x 999 is out of range');
    return v.x;
  }),
  firstX: first<V>((v) => v.x),
  lastX: last<V>((v) => v.x),
  track: points<V, number | null>((v) => v.x, { capacity, policy }),
});

type Aggs = ReturnType<typeof aggregationsFor>;

const windowArb = (kind: 'tumbling' | 'sliding' | 'session') =>
  kind === 'tumbling'
    ? fc.integer({ min: 4, max: 40 }).chain((size) => fc.record({ kind: fc.constant('tumbling' as const), sizeMs: fc.constant(size), offsetMs: fc.integer({ min: 0, max: size - 1 }) }))
    : kind === 'sliding'
      ? fc.integer({ min: 6, max: 50 }).chain((size) =>
          fc.integer({ min: 3, max: size }).chain((period) =>
            fc.record({ kind: fc.constant('sliding' as const), sizeMs: fc.constant(size), periodMs: fc.constant(period), offsetMs: fc.integer({ min: 0, max: period - 1 }) }),
          ),
        )
      : fc.record({ kind: fc.constant('session' as const), gapMs: fc.integer({ min: 2, max: 25 }) });

const configArb = (kind: 'tumbling' | 'sliding' | 'session'): fc.Arbitrary<WindowingConfig> =>
  fc.record({
    window: windowArb(kind),
    watermark: fc.record({
      maxOutOfOrdernessMs: fc.integer({ min: 0, max: 20 }),
      idleTimeoutMs: fc.option(fc.integer({ min: 5, max: 60 }), { nil: null }),
      advanceWhenIdle: fc.boolean(),
    }),
    allowedLatenessMs: fc.integer({ min: 0, max: 40 }),
    maxFutureSkewMs: fc.integer({ min: 0, max: 60 }),
    trigger: fc.record({ earlyEveryMs: fc.option(fc.integer({ min: 2, max: 25 }), { nil: null }) }),
    accumulation: fc.constantFrom('accumulating' as const, 'discarding' as const),
  });

type RawStep =
  | { kind: 'event'; key: string; partition: number; dt: number; x: number | null }
  | { kind: 'bad'; what: 'nan-time' | 'huge-time' | 'throwing-value' }
  | { kind: 'rewind'; partition: number; back: number }
  | { kind: 'tick'; delta: number }
  | { kind: 'watermark'; dt: number }
  | { kind: 'partition'; partition: number };

const stepArb = (keys: readonly string[]): fc.Arbitrary<RawStep> => fc.oneof(
  {
    weight: 10,
    arbitrary: fc.record({
      kind: fc.constant('event' as const),
      key: fc.constantFrom(...keys),
      partition: fc.integer({ min: 0, max: 2 }),
      // mostly a little behind the processing clock, sometimes far behind or ahead of it
      dt: fc.oneof({ weight: 6, arbitrary: fc.integer({ min: -30, max: 5 }) }, { weight: 1, arbitrary: fc.integer({ min: -120, max: 120 }) }),
      x: fc.option(fc.integer({ min: -50, max: 50 }), { nil: null, freq: 8 }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('tick' as const), delta: fc.integer({ min: 0, max: 30 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('watermark' as const), dt: fc.integer({ min: -60, max: 10 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('partition' as const), partition: fc.integer({ min: 0, max: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('bad' as const), what: fc.constantFrom('nan-time' as const, 'huge-time' as const, 'throwing-value' as const) }) },
  // the source re-delivers from an earlier offset (the engine must skip what it already processed)
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('rewind' as const), partition: fc.integer({ min: 0, max: 2 }), back: fc.integer({ min: 1, max: 3 }) }) },
);

const ALL_KEYS = ['a', 'a', 'a', 'b', 'c', 'd'];

const scenarioArb = (kind: 'tumbling' | 'sliding' | 'session', keys: readonly string[] = ALL_KEYS) =>
  fc.record({
    config: configArb(kind),
    capacity: fc.integer({ min: 2, max: 5 }),
    policy: fc.constantFrom('downsample' as const, 'keep_first' as const, 'keep_last' as const),
    steps: fc.array(stepArb(keys), { minLength: 1, maxLength: 80, size: 'max' }),
    flush: fc.boolean(),
    grid: fc.constant<boolean>(false),
  });

type Scenario = ReturnType<typeof scenarioArb> extends fc.Arbitrary<infer S> ? S : never;

const START = 1_000;

function buildStream(s: Scenario): TestStream<V> {
  const stream = TestStream.create<V>({ startProcessingTime: START });
  const nextOffset = [0, 0, 0];
  const add = (key: string, partition: number, eventTime: number, x: number | null, offset = nextOffset[partition]!) => {
    stream.addElements({ key, partition, eventTime, value: { x }, offset });
    nextOffset[partition] = Math.max(nextOffset[partition]!, offset + 1);
  };
  for (const step of s.steps) {
    if (step.kind === 'event') {
      const t = stream.processingTime + step.dt;
      // On a grid, sessions of gap 4 sit 5 apart and events at +2 bridge two of them.
      add(step.key, step.partition, s.grid ? Math.floor(t / 5) * 5 + (Math.abs(step.x ?? 1) % 2 === 0 ? 2 : 0) : t, step.x);
    }
    else if (step.kind === 'bad') {
      if (step.what === 'nan-time') add('a', 0, Number.NaN, 1);
      else if (step.what === 'huge-time') add('a', 1, 1e300, 1);
      else add('b', 2, stream.processingTime - 1, 999);
    } else if (step.kind === 'rewind') add('c', step.partition, stream.processingTime, 7, Math.max(0, nextOffset[step.partition]! - step.back));
    else if (step.kind === 'tick') stream.advanceProcessingTime(step.delta);
    else if (step.kind === 'watermark') stream.advanceWatermarkTo(stream.processingTime + step.dt);
    else stream.addPartition(step.partition);
  }
  if (s.flush) stream.advanceWatermarkToInfinity();
  return stream;
}

function runEngine(s: Scenario, steps?: readonly TestStep<V>[]) {
  const stream = buildStream(s);
  const sink = new CollectingSink<V, unknown>();
  const engine = new WindowEngine<V, Aggs>({ config: s.config, aggregations: aggregationsFor(s.capacity, s.policy), sink: sink as never, processingTime: START });
  stream.applyTo(engine, steps ?? stream.steps);
  return { engine, output: sink.take(), stream };
}

function runReference(s: Scenario) {
  const stream = buildStream(s);
  const sink = new CollectingSink<V, unknown>();
  const ref = new ReferenceEngine<V, Aggs>({ config: s.config, aggregations: aggregationsFor(s.capacity, s.policy), sink: sink as never, processingTime: START });
  stream.applyTo(ref);
  return { ref, output: sink.take() };
}

function close(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

function expectSameOutput(actual: OutputRecord<V, unknown>[], expected: OutputRecord<V, unknown>[], paneMerged: readonly boolean[]): void {
  expect(actual.length).toBe(expected.length);
  let paneNo = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (e.kind === 'pane' && a.kind === 'pane' && paneMerged[paneNo++]) {
      const am = (a.pane.results as { mv: { mean: number | null; variance: number | null; sampleVariance: number | null } }).mv;
      const em = (e.pane.results as { mv: { mean: number | null; variance: number | null; sampleVariance: number | null } }).mv;
      expect(close(am.mean, em.mean) && close(am.variance, em.variance) && close(am.sampleVariance, em.sampleVariance), `mean/variance of merged pane ${i}`).toBe(true);
      const strip = (r: OutputRecord<V, unknown>) => JSON.stringify(r, (k, v) => (k === 'mv' ? { count: v.count } : v));
      expect(strip(a), `output record ${i}`).toBe(strip(e));
    } else {
      expect(JSON.stringify(a), `output record ${i}`).toBe(JSON.stringify(e));
    }
  }
}

const RUNS = 70;

describe.each(['tumbling', 'sliding', 'session'] as const)('%s windows: engine = brute-force reference', (kind) => {
  it('emits the same panes and side output, counters and needed offsets', () => {
    fc.assert(
      fc.property(scenarioArb(kind), (s) => {
        const { engine, output } = runEngine(s);
        const { ref, output: expected } = runReference(s);
        expectSameOutput(output, expected, ref.paneMerged);
        expect(engine.counters()).toEqual(ref.counters());
        expect(engine.watermark).toBe(ref.watermark);
        for (const p of [0, 1, 2, 3]) expect(engine.lowestNeededOffset(p), `lowestNeededOffset(${p})`).toBe(ref.lowestNeededOffset(p));
        const c = engine.counters();
        expect(c.eventsIn).toBe(c.eventsAccepted + c.duplicatesSkipped + c.lateRouted + c.futureRouted + c.invalidRouted);
      }),
      { numRuns: RUNS },
    );
  });

  it('is deterministic, and snapshot -> JSON -> restore at any point changes nothing (replayed offsets are skipped)', () => {
    fc.assert(
      fc.property(scenarioArb(kind), fc.nat(), (s, cutSeed) => {
        const whole = runEngine(s);
        const again = runEngine(s);
        expect(JSON.stringify(again.output)).toBe(JSON.stringify(whole.output));

        const steps = whole.stream.steps;
        const cut = cutSeed % (steps.length + 1);
        const before = runEngine(s, steps.slice(0, cut));
        const snap = JSON.parse(JSON.stringify(before.engine.snapshot()));
        const sink = new CollectingSink<V, unknown>();
        const restored = new WindowEngine<V, Aggs>({ config: s.config, aggregations: aggregationsFor(s.capacity, s.policy), sink: sink as never, processingTime: 0 });
        restored.restore(snap);
        // A consumer restarting from an older commit re-reads records the snapshot already covers.
        const replay = steps.slice(0, cut).filter((st) => st.kind === 'event');
        whole.stream.applyTo(restored, replay);
        whole.stream.applyTo(restored, steps.slice(cut));
        expect(JSON.stringify([...before.output, ...sink.take()])).toBe(JSON.stringify(whole.output));
        const c = restored.counters();
        const w = whole.engine.counters();
        expect({ ...c, eventsIn: 0, duplicatesSkipped: 0 }).toEqual({ ...w, eventsIn: 0, duplicatesSkipped: 0 });
        expect(c.duplicatesSkipped - w.duplicatesSkipped).toBe(replay.length);
      }),
      { numRuns: Math.round(RUNS / 3) },
    );
  });

  it('a snapshot cut into per-partition parts and merged again restores the same engine', () => {
    fc.assert(
      fc.property(scenarioArb(kind), fc.nat(), (s, cutSeed) => {
        const whole = runEngine(s);
        const steps = whole.stream.steps;
        const cut = cutSeed % (steps.length + 1);
        const before = runEngine(s, steps.slice(0, cut));
        const snap = before.engine.snapshot();
        const parts = snap.partitions.map(([p]) => JSON.parse(JSON.stringify(partitionSnapshot(snap, p))) as typeof snap);
        expect(parts.reduce((n, p) => n + p.windows.length, 0)).toBe(snap.windows.length);
        if (parts.length === 0) return;
        const sink = new CollectingSink<V, unknown>();
        const restored = new WindowEngine<V, Aggs>({ config: s.config, aggregations: aggregationsFor(s.capacity, s.policy), sink: sink as never, processingTime: 0 });
        restored.restore(mergeSnapshots([...parts].reverse()));
        whole.stream.applyTo(restored, steps.slice(cut));
        expect(JSON.stringify([...before.output, ...sink.take()])).toBe(JSON.stringify(whole.output));
        expect(restored.counters()).toEqual(whole.engine.counters());
      }),
      { numRuns: Math.round(RUNS / 3) },
    );
  });
});

// Merges need sessions that are still open when a bridging event arrives: small gaps, generous
// out-of-orderness and lateness.
const mergeHeavy = scenarioArb('session', ['a']).map((s) => ({
  ...s,
  grid: true,
  config: {
    ...s.config,
    window: { kind: 'session' as const, gapMs: 4 },
    watermark: { ...s.config.watermark, maxOutOfOrdernessMs: 10 + s.config.watermark.maxOutOfOrdernessMs },
    allowedLatenessMs: 10 + s.config.allowedLatenessMs,
  },
}));

describe('session windows, one key, many bridging events: engine = brute-force reference', () => {
  it('merges sessions (pane index, EARLY timers, late bridges) exactly as the reference', () => {
    fc.assert(
      fc.property(mergeHeavy, (s) => {
        const { engine, output } = runEngine(s);
        const { ref, output: expected } = runReference(s);
        expectSameOutput(output, expected, ref.paneMerged);
        expect(engine.counters()).toEqual(ref.counters());
      }),
      { numRuns: Math.round(RUNS * 1.5) },
    );
  });
});
