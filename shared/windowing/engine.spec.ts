import { describe, expect, it } from 'vitest';
import { count, last, meanVariance, points } from './aggregators/index.js';
import { parseWindowingConfig, type WindowingConfigInput } from './config.js';
import { WindowEngine } from './engine.js';
import type { Pane } from './pane.js';
import type { SideOutputRecord } from './sideOutput.js';
import { CollectingSink, type OutputRecord } from './sink.js';
import { TestStream } from './testStream.js';

/** Named tests for the failure modes stream processors are known for (research notes, section 5). */

interface Reading {
  readonly v: number;
}

const S = 1_000;
const M = 60 * S;
const T0 = Date.UTC(2024, 0, 1);

const aggs = {
  n: count<Reading>(),
  v: meanVariance<Reading>((r) => r.v),
  lastV: last<Reading>((r) => r.v),
};

function cfg(input: Partial<WindowingConfigInput> & Pick<WindowingConfigInput, 'window'>) {
  return parseWindowingConfig({ max_future_skew: '1d', ...input });
}

const panes = (out: OutputRecord<Reading, unknown>[]) => out.filter((o) => o.kind === 'pane').map((o) => o.pane as Pane<typeof aggs extends infer _ ? { n: number; v: { mean: number | null }; lastV: number | null } : never>);
const sides = (out: OutputRecord<Reading, unknown>[]) => out.filter((o) => o.kind === 'side').map((o) => o.record as SideOutputRecord<Reading>);
const brief = (p: Pane<{ n: number }>) => `${p.key} [${(p.windowStart - T0) / M}m,${(p.windowEnd - T0) / M}m) #${p.paneIndex} ${p.timing}${p.isFinal ? ' final' : ''} n=${p.eventCount}`;

describe('idle partitions', () => {
  const stream = () =>
    TestStream.create<Reading>({ startProcessingTime: T0 })
      // partition 1 speaks once, then goes quiet; partition 0 keeps going
      .addElements({ key: 'quiet', partition: 1, eventTime: T0 + 10 * S, value: { v: 1 } })
      .addElements({ key: 'busy', partition: 0, eventTime: T0 + 20 * S, value: { v: 1 } })
      .advanceProcessingTime(30 * S)
      .addElements({ key: 'busy', partition: 0, eventTime: T0 + 70 * S, value: { v: 2 } })
      .advanceProcessingTime(30 * S)
      .addElements({ key: 'busy', partition: 0, eventTime: T0 + 130 * S, value: { v: 3 } })
      .advanceProcessingTime(30 * S);

  it('an idle partition does not stall output', () => {
    const { output, engine } = stream().run({ config: cfg({ window: { kind: 'tumbling', size: '1m' }, watermark: { idle_timeout: '45s' } }), aggregations: aggs });
    // Partition 1 went idle at T0+45s of processing time; from then on partition 0 alone drives the watermark.
    expect(panes(output).map(brief)).toEqual(['quiet [0m,1m) #0 ON_TIME final n=1', 'busy [0m,1m) #0 ON_TIME final n=1', 'busy [1m,2m) #0 ON_TIME final n=1']);
    expect(engine.isIdle(1)).toBe(true);
    expect(engine.isIdle(0)).toBe(false);
    expect(engine.watermark).toBe(T0 + 130 * S);
  });

  it('without idle_timeout the same stream stalls (the failure this guards against)', () => {
    const { output, engine } = stream().run({ config: cfg({ window: { kind: 'tumbling', size: '1m' }, watermark: { idle_timeout: null } }), aggregations: aggs });
    expect(panes(output)).toEqual([]);
    expect(engine.watermark).toBe(T0 + 10 * S);
  });

  it('a partition that speaks again rejoins without pulling the watermark back', () => {
    const { output, engine } = stream()
      .addElements({ key: 'quiet', partition: 1, eventTime: T0 + 125 * S, value: { v: 9 } })
      .addElements({ key: 'busy', partition: 0, eventTime: T0 + 200 * S, value: { v: 4 } })
      .run({ config: cfg({ window: { kind: 'tumbling', size: '1m' }, watermark: { idle_timeout: '45s' } }), aggregations: aggs });
    // partition 1 is active again, so the watermark is min(200 s, 125 s) = 130 s (it never moves back)
    expect(engine.isIdle(1)).toBe(false);
    expect(engine.watermark).toBe(T0 + 130 * S);
    expect(sides(output)).toEqual([]);
  });

  it('a declared partition that never speaks holds the watermark only until idle_timeout', () => {
    const config = cfg({ window: { kind: 'tumbling', size: '1m' }, watermark: { idle_timeout: '45s' } });
    const run = (wait: number) =>
      TestStream.create<Reading>({ startProcessingTime: T0 })
        .addPartition(0)
        .addPartition(1)
        .addElements({ key: 'k', partition: 0, eventTime: T0 + 10 * S, value: { v: 1 } }, { key: 'k', partition: 0, eventTime: T0 + 90 * S, value: { v: 1 } })
        .advanceProcessingTime(wait)
        .run({ config, aggregations: aggs });
    expect(panes(run(44 * S).output)).toEqual([]);
    expect(panes(run(45 * S).output).map(brief)).toEqual(['k [0m,1m) #0 ON_TIME final n=1']);
  });
});

describe('final windows', () => {
  it('a final window emits without new data for its key', () => {
    const { output } = TestStream.create<Reading>({ startProcessingTime: T0 })
      .addElements({ key: 'a', eventTime: T0 + 5 * S, value: { v: 1 } }, { key: 'a', eventTime: T0 + 50 * S, value: { v: 3 } })
      // only other keys send from now on
      .addElements({ key: 'b', eventTime: T0 + 61 * S, value: { v: 7 } })
      .run({ config: cfg({ window: { kind: 'tumbling', size: '1m' } }), aggregations: aggs });
    const p = panes(output);
    expect(p.map(brief)).toEqual(['a [0m,1m) #0 ON_TIME final n=2']);
    expect(p[0]!.results.v.mean).toBe(2);
  });

  it('with every input idle and advance_when_idle, windows fire on processing time alone', () => {
    const config = (advance: boolean) => cfg({ window: { kind: 'tumbling', size: '1m' }, watermark: { idle_timeout: '10s', advance_when_idle: advance } });
    const stream = TestStream.create<Reading>({ startProcessingTime: T0 + 50 * S })
      .addElements({ key: 'a', eventTime: T0 + 45 * S, value: { v: 1 } })
      .advanceProcessingTime(10 * S) // idle from here: watermark 45 s
      .advanceProcessingTime(14 * S) // 14 s of idleness: 59 s
      .advanceProcessingTime(1 * S); // 60 s: the window closes
    const withAdvance = stream.run({ config: config(true), aggregations: aggs });
    expect(panes(withAdvance.output).map(brief)).toEqual(['a [0m,1m) #0 ON_TIME final n=1']);
    expect(withAdvance.engine.watermark).toBe(T0 + 60 * S);
    const without = stream.run({ config: config(false), aggregations: aggs });
    expect(panes(without.output)).toEqual([]);
    expect(without.engine.watermark).toBe(T0 + 45 * S);
  });

  it('flushAll (end of input, --drain-when-idle) fires every open window as final', () => {
    const { output, engine } = TestStream.create<Reading>({ startProcessingTime: T0 })
      .addElements({ key: 'a', eventTime: T0 + 5 * S, value: { v: 1 } }, { key: 'b', eventTime: T0 + 65 * S, value: { v: 2 } })
      .advanceWatermarkToInfinity()
      .addElements({ key: 'c', eventTime: T0, value: { v: 3 } })
      .run({ config: cfg({ window: { kind: 'tumbling', size: '1m' }, allowed_lateness: '5m' }), aggregations: aggs });
    // a's window fired ON_TIME when b's event moved the watermark to 65 s; with 5 m lateness it was
    // not final yet. End of input closes everything, in timer order (b's end 2m before a's 1m + 5m).
    expect(panes(output).map(brief)).toEqual(['a [0m,1m) #0 ON_TIME n=1', 'b [1m,2m) #0 ON_TIME final n=1', 'a [0m,1m) #1 LATE final n=1']);
    expect(sides(output).map((r) => r.reason)).toEqual(['late']);
    expect(engine.counters().openWindows).toBe(0);
  });
});

describe('future-dated events', () => {
  it('a future-dated device does not suppress other devices’ windows', () => {
    const config = cfg({ window: { kind: 'tumbling', size: '1m' }, max_future_skew: '5m' });
    const { output, engine } = TestStream.create<Reading>({ startProcessingTime: T0 + 30 * S })
      .addElements({ key: 'fleet-1', eventTime: T0 + 10 * S, value: { v: 1 } })
      // a device whose clock is a year fast
      .addElements({ key: 'fast-clock', eventTime: T0 + 365 * 24 * 60 * M, value: { v: 99 } })
      .addElements({ key: 'fleet-2', eventTime: T0 + 20 * S, value: { v: 2 } }, { key: 'fleet-1', eventTime: T0 + 25 * S, value: { v: 3 } })
      .advanceProcessingTime(60 * S)
      .addElements({ key: 'fleet-1', eventTime: T0 + 75 * S, value: { v: 4 } })
      .run({ config, aggregations: aggs });
    const side = sides(output);
    expect(side).toHaveLength(1);
    expect(side[0]!.reason).toBe('future');
    expect(side[0]!.event.key).toBe('fast-clock');
    expect(side[0]!.detail).toMatch(/ahead of processing time .* \(max_future_skew 5m\)/);
    // the fleet's windows are whole: nothing late, both devices counted
    expect(panes(output).map(brief)).toEqual(['fleet-1 [0m,1m) #0 ON_TIME final n=2', 'fleet-2 [0m,1m) #0 ON_TIME final n=1']);
    expect(engine.watermark).toBe(T0 + 75 * S);
    expect(engine.counters()).toMatchObject({ futureRouted: 1, lateRouted: 0, eventsAccepted: 4 });
  });

  it('an absurd event time is routed as invalid without crashing (Date cannot even print it)', () => {
    const { output } = TestStream.create<Reading>({ startProcessingTime: T0 })
      .addElements({ key: 'x', eventTime: 1e18, value: { v: 1 } }, { key: 'x', eventTime: Number.NaN, value: { v: 1 } })
      .run({ config: cfg({ window: { kind: 'tumbling', size: '1m' } }), aggregations: aggs });
    expect(sides(output).map((r) => [r.reason, r.detail])).toEqual([
      ['invalid', 'event time 1000000000000000000 is not a finite epoch-ms date'],
      ['invalid', 'event time NaN is not a finite epoch-ms date'],
    ]);
  });
});

describe('allowed lateness', () => {
  const config = cfg({ window: { kind: 'tumbling', size: '1m' }, allowed_lateness: '2m' });
  const run = () =>
    TestStream.create<Reading>({ startProcessingTime: T0 })
      .addElements({ key: 'a', eventTime: T0 + 10 * S, value: { v: 10 } }, { key: 'a', eventTime: T0 + 20 * S, value: { v: 20 } })
      .addElements({ key: 'b', eventTime: T0 + 70 * S, value: { v: 0 } }) // watermark 70 s: [0,1m) fires ON_TIME
      .addElements({ key: 'a', eventTime: T0 + 30 * S, value: { v: 60 } }) // late, within lateness: LATE pane
      .addElements({ key: 'b', eventTime: T0 + 185 * S, value: { v: 0 } }) // watermark 185 s: [0,1m) expires (60 + 120 <= 185)
      .addElements({ key: 'a', eventTime: T0 + 40 * S, value: { v: 1000 } }) // beyond lateness: side output
      .run({ config, aggregations: aggs });

  it('late events within lateness refine the window and beyond it land in the late output with a reason', () => {
    const { output, engine } = run();
    const a = panes(output).filter((p) => p.key === 'a');
    expect(a.map(brief)).toEqual(['a [0m,1m) #0 ON_TIME n=2', 'a [0m,1m) #1 LATE n=3', 'a [0m,1m) #2 LATE final n=3']);
    expect(a.map((p) => p.results.v.mean)).toEqual([15, 30, 30]);
    expect(a[1]!.results.lastV).toBe(60);
    const late = sides(output);
    expect(late).toHaveLength(1);
    expect(late[0]).toMatchObject({ reason: 'late', watermark: T0 + 185 * S, event: { key: 'a', eventTime: T0 + 40 * S } });
    expect(late[0]!.detail).toMatch(/behind watermark .*allowed_lateness 2m/);
    // b: [1m,2m) fired ON_TIME at 185 s (not final until 3m); [3m,4m) is still open
    expect(panes(output).filter((p) => p.key === 'b').map(brief)).toEqual(['b [1m,2m) #0 ON_TIME n=1']);
    expect(engine.counters()).toMatchObject({ lateRouted: 1, panesLate: 2, panesOnTime: 2, finalPanes: 1, openWindows: 2 });
  });

  it('emits exactly one final pane per window, and panes only ever grow in accumulating mode', () => {
    const p = panes(run().output);
    for (const key of ['a', 'b']) {
      const byWindow = new Map<number, typeof p>();
      for (const pane of p.filter((x) => x.key === key)) byWindow.set(pane.windowStart, [...(byWindow.get(pane.windowStart) ?? []), pane]);
      for (const seq of byWindow.values()) {
        if (seq.some((x) => x.isFinal)) expect(seq.filter((x) => x.isFinal)).toHaveLength(1);
        expect(seq.map((x) => x.paneIndex)).toEqual(seq.map((_, i) => i));
        for (let i = 1; i < seq.length; i++) expect(seq[i]!.eventCount).toBeGreaterThanOrEqual(seq[i - 1]!.eventCount);
      }
    }
  });
});

describe('session windows', () => {
  const config = cfg({ window: { kind: 'session', gap: '1m' }, allowed_lateness: '10m' });
  it('merge correctly when a late event bridges two sessions', () => {
    const { output, engine } = TestStream.create<Reading>({ startProcessingTime: T0 })
      .addElements({ key: 'v', eventTime: T0, value: { v: 1 } }, { key: 'v', eventTime: T0 + 30 * S, value: { v: 2 } }) // session [0, 1.5m)
      .addElements({ key: 'v', eventTime: T0 + 3 * M, value: { v: 3 } }) // session [3m, 4m)
      .addElements({ key: 'other', eventTime: T0 + 5 * M, value: { v: 0 } }) // watermark 5m: both fire ON_TIME
      .addElements({ key: 'v', eventTime: T0 + 2 * M, value: { v: 4 } }) // late: [2m, 3m) only touches [3m, 4m), a new session
      .addElements({ key: 'v', eventTime: T0 + 80 * S, value: { v: 5 } }) // late: [80s, 140s) bridges [0, 90s) and [2m, 3m)
      .advanceWatermarkToInfinity()
      .run({ config, aggregations: aggs });
    const v = panes(output).filter((p) => p.key === 'v');
    expect(v.map((p) => `${(p.windowStart - T0) / S}s-${(p.windowEnd - T0) / S}s #${p.paneIndex} ${p.timing}${p.isFinal ? ' final' : ''} n=${p.eventCount}`)).toEqual([
      '0s-90s #0 ON_TIME n=2',
      '180s-240s #0 ON_TIME n=1',
      // the late event at 2m starts a session [2m,3m) that touches [3m,4m) but does not overlap it
      '120s-180s #0 LATE n=1',
      // the late event at 80s overlaps [0,90s) and [2m,3m): one session [0,180s)
      '0s-180s #1 LATE n=4',
      '0s-180s #2 LATE final n=4',
      '180s-240s #1 LATE final n=1',
    ]);
    const merged = v[3]!;
    expect(merged.results.v.mean).toBe((1 + 2 + 4 + 5) / 4);
    expect(merged.firstEventTime).toBe(T0);
    expect(merged.lastEventTime).toBe(T0 + 2 * M);
    expect(engine.counters().lateRouted).toBe(0);
  });

  it('a bridging event merges every session it overlaps into one window', () => {
    const { output } = TestStream.create<Reading>({ startProcessingTime: T0 })
      .addElements({ key: 'v', eventTime: T0, value: { v: 1 } }) // [0, 60s)
      .addElements({ key: 'v', eventTime: T0 + 100 * S, value: { v: 2 } }) // [100s, 160s)
      .addElements({ key: 'v', eventTime: T0 + 200 * S, value: { v: 3 } }) // [200s, 260s)
      .addElements({ key: 'other', eventTime: T0 + 10 * M, value: { v: 0 } }) // all fire ON_TIME
      .addElements({ key: 'v', eventTime: T0 + 50 * S, value: { v: 4 } }) // [50s,110s): bridges the first two
      .addElements({ key: 'v', eventTime: T0 + 150 * S, value: { v: 5 } }) // [150s,210s): bridges in the third
      .run({ config, aggregations: aggs });
    const v = panes(output).filter((p) => p.key === 'v');
    expect(v.map((p) => `${(p.windowStart - T0) / S}-${(p.windowEnd - T0) / S} #${p.paneIndex} ${p.timing} n=${p.eventCount}`)).toEqual([
      '0-60 #0 ON_TIME n=1',
      '100-160 #0 ON_TIME n=1',
      '200-260 #0 ON_TIME n=1',
      '0-160 #1 LATE n=3',
      '0-260 #2 LATE n=5',
    ]);
  });
});

describe('triggers and accumulation', () => {
  const base = { window: { kind: 'tumbling' as const, size: '1m' }, trigger: { early_every: '10s' } };
  const stream = () =>
    TestStream.create<Reading>({ startProcessingTime: T0 })
      .addElements({ key: 'a', eventTime: T0 + 1 * S, value: { v: 1 } })
      .advanceProcessingTime(5 * S)
      .addElements({ key: 'a', eventTime: T0 + 2 * S, value: { v: 2 } })
      .advanceProcessingTime(5 * S) // 10 s after the first element: EARLY
      .advanceProcessingTime(10 * S) // nothing new: no EARLY
      .addElements({ key: 'a', eventTime: T0 + 3 * S, value: { v: 3 } })
      .advanceProcessingTime(10 * S) // EARLY
      .addElements({ key: 'b', eventTime: T0 + 61 * S, value: { v: 0 } }); // ON_TIME for a

  it('EARLY panes come early_every after the first unfired event; ON_TIME holds the whole window', () => {
    const { output } = stream().run({ config: cfg(base), aggregations: aggs });
    expect(panes(output).filter((p) => p.key === 'a').map(brief)).toEqual(['a [0m,1m) #0 EARLY n=2', 'a [0m,1m) #1 EARLY n=3', 'a [0m,1m) #2 ON_TIME final n=3']);
  });

  it('in discarding mode each pane holds only what arrived since the previous one', () => {
    const { output } = stream().run({ config: cfg({ ...base, accumulation: 'discarding' }), aggregations: aggs });
    const a = panes(output).filter((p) => p.key === 'a');
    expect(a.map(brief)).toEqual(['a [0m,1m) #0 EARLY n=2', 'a [0m,1m) #1 EARLY n=1', 'a [0m,1m) #2 ON_TIME final n=0']);
    expect(a[2]!.firstEventTime).toBeNull();
    expect(a[2]!.results.v.mean).toBeNull();
  });
});

describe('determinism, bad values and the recovery contract', () => {
  it('same input and same ticks give byte-identical output', () => {
    const config = cfg({ window: { kind: 'sliding', size: '3m', period: '1m' }, allowed_lateness: '1m', trigger: { early_every: '15s' } });
    const stream = TestStream.create<Reading>({ startProcessingTime: T0 });
    let x = 7;
    for (let i = 0; i < 400; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      stream.addElements({ key: `k${x % 7}`, partition: x % 3, eventTime: T0 + i * 2 * S - (x % 90) * S, value: { v: x % 100 } });
      if (i % 10 === 0) stream.advanceProcessingTime(7 * S);
    }
    stream.advanceWatermarkToInfinity();
    const a = JSON.stringify(stream.run({ config, aggregations: aggs }).output);
    const b = JSON.stringify(stream.run({ config, aggregations: aggs }).output);
    expect(a).toBe(b);
    expect(a.length).toBeGreaterThan(10_000);
  });

  it('an extractor that throws routes the event as invalid; null values are skipped, not counted', () => {
    const sink = new CollectingSink<{ v: number | null }, unknown>();
    const engine = new WindowEngine({
      config: cfg({ window: { kind: 'tumbling', size: '1m' } }),
      aggregations: {
        v: meanVariance<{ v: number | null }>((r) => {
          if (r.v === -1) throw new Error('sensor reported -1');
          return r.v;
        }),
      },
      sink,
      processingTime: T0,
    });
    engine.process({ partition: 0, offset: 0, key: 'a', eventTime: T0, value: { v: 4 } });
    engine.process({ partition: 0, offset: 1, key: 'a', eventTime: T0 + 1, value: { v: null } });
    engine.process({ partition: 0, offset: 2, key: 'a', eventTime: T0 + 2, value: { v: -1 } });
    engine.flushAll();
    const out = sink.take();
    expect(out.filter((o) => o.kind === 'side').map((o) => (o.kind === 'side' ? o.record.detail : ''))).toEqual(['value extractor failed: sensor reported -1']);
    const pane = out.find((o) => o.kind === 'pane')!;
    expect(pane.kind === 'pane' && pane.pane.eventCount).toBe(2);
    expect(pane.kind === 'pane' && pane.pane.results).toEqual({ v: { count: 1, mean: 4, variance: 0, sampleVariance: null } });
  });

  it('lowestNeededOffset tracks open windows per partition; resumeOffset is what a consumer may commit', () => {
    const sink = new CollectingSink<Reading, unknown>();
    const engine = new WindowEngine({ config: cfg({ window: { kind: 'tumbling', size: '1m' } }), aggregations: aggs, sink, processingTime: T0 });
    const ev = (partition: number, offset: number, key: string, t: number) => engine.process({ partition, offset, key, eventTime: T0 + t, value: { v: 1 } });
    ev(0, 10, 'a', 5 * S);
    ev(1, 3, 'b', 6 * S);
    ev(0, 11, 'c', 70 * S); // partition 1 still holds the watermark at 6 s
    expect(engine.lowestNeededOffset(0)).toBe(10);
    expect(engine.lowestNeededOffset(1)).toBe(3);
    ev(1, 4, 'b', 75 * S); // watermark 70 s: the [0,1m) windows close
    expect(sink.take().filter((o) => o.kind === 'pane')).toHaveLength(2);
    expect(engine.lowestNeededOffset(0)).toBe(11);
    expect(engine.lowestNeededOffset(1)).toBe(4);
    engine.flushAll();
    expect(engine.lowestNeededOffset(0)).toBeUndefined();
    expect(engine.resumeOffset(0)).toBe(12);
    expect(engine.resumeOffset(1)).toBe(5);
    expect(engine.resumeOffset(7)).toBeUndefined();
  });

  it('restore refuses a snapshot taken with a different config or aggregations', () => {
    const make = (size: string, a: typeof aggs | { n: ReturnType<typeof count<Reading>> }) =>
      new WindowEngine<Reading, typeof a>({ config: cfg({ window: { kind: 'tumbling', size } }), aggregations: a, sink: new CollectingSink(), processingTime: T0 });
    const source = make('1m', aggs);
    source.process({ partition: 0, offset: 0, key: 'a', eventTime: T0, value: { v: 1 } });
    const snap = JSON.parse(JSON.stringify(source.snapshot()));
    expect(() => make('2m', aggs).restore(snap)).toThrow(/different windowing config/);
    expect(() => make('1m', { n: count<Reading>() }).restore(snap)).toThrow(/aggregations/);
    const target = make('1m', aggs);
    target.restore(snap);
    expect(target.counters().openWindows).toBe(1);
    expect(() => target.restore(snap)).toThrow(/already has state/);
  });

  it('the processing clock never runs backwards', () => {
    const sink = new CollectingSink<Reading, unknown>();
    const engine = new WindowEngine({ config: cfg({ window: { kind: 'tumbling', size: '1m' } }), aggregations: aggs, sink, processingTime: T0 + M });
    engine.advanceProcessingTime(T0);
    expect(engine.processingTime).toBe(T0 + M);
  });

  it('keeps a bounded, evenly spread track per window with the point collector', () => {
    const track = { track: points<Reading, number>((r) => r.v, { capacity: 8 }) };
    const stream = TestStream.create<Reading>({ startProcessingTime: T0 });
    for (let i = 0; i < 3600; i++) stream.addElements({ key: 'vessel', eventTime: T0 + i * S, value: { v: i } });
    stream.advanceWatermarkToInfinity();
    const { output } = stream.run({ config: cfg({ window: { kind: 'tumbling', size: '1h' } }), aggregations: track });
    const p = output[0]!.kind === 'pane' ? output[0]!.pane : null;
    expect(p!.eventCount).toBe(3600);
    const pts = p!.results.track;
    expect(pts.length).toBeGreaterThan(4);
    expect(pts.length).toBeLessThanOrEqual(8);
    const gaps = pts.slice(1).map((q, i) => q.t - pts[i]!.t);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(2 * Math.min(...gaps) + 1);
  });
});

describe('restore', () => {
  it('emits nothing itself; windows the restored watermark should pass fire on the next tick', () => {
    const config = cfg({ window: { kind: 'tumbling', size: '1m' }, watermark: { idle_timeout: '10s', advance_when_idle: true } });
    const source = new WindowEngine<Reading, typeof aggs>({ config, aggregations: aggs, sink: new CollectingSink(), processingTime: T0 });
    source.process({ partition: 0, offset: 0, key: 'a', eventTime: T0 + 5 * S, value: { v: 1 } });
    const snap = JSON.parse(JSON.stringify(source.snapshot()));
    // restore two minutes later (processing time): the partition is long idle
    const sink = new CollectingSink<Reading, unknown>();
    const restored = new WindowEngine<Reading, typeof aggs>({ config, aggregations: aggs, sink, processingTime: T0 });
    restored.restore({ ...snap, processingTime: T0 + 2 * M });
    expect(sink.take()).toEqual([]);
    expect(restored.watermark).toBe(T0 + 5 * S);
    restored.advanceProcessingTime(T0 + 2 * M + 1);
    expect(panes(sink.take()).map(brief)).toEqual(['a [0m,1m) #0 ON_TIME final n=1']);
  });
});
