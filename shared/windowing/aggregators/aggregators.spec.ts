import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SlabAggregator } from './aggregator.js';
import { count } from './count.js';
import { first } from './first.js';
import { last } from './last.js';
import { max } from './max.js';
import { meanVariance } from './meanVariance.js';
import { min } from './min.js';
import { points, type TimedPoint } from './pointCollector.js';
import { sum } from './sum.js';

type Obs = { t: number; x: number };

const input = (x: number, t: number, seq: number) => Float64Array.of(x, t, seq);

function fold<R>(agg: SlabAggregator<number, R>, obs: readonly Obs[]): R {
  const s = new Float64Array(agg.slots);
  agg.init(s, 0);
  obs.forEach((o, seq) => agg.add(s, 0, input(o.x, o.t, seq)));
  return agg.result(s, 0);
}

/** Folds two halves separately and merges them, as a session merge does. */
function foldMerged<R>(agg: SlabAggregator<number, R>, a: readonly Obs[], b: readonly Obs[]): R {
  const s = new Float64Array(agg.slots * 2);
  agg.init(s, 0);
  agg.init(s, agg.slots);
  a.forEach((o, seq) => agg.add(s, 0, input(o.x, o.t, seq)));
  b.forEach((o, seq) => agg.add(s, agg.slots, input(o.x, o.t, a.length + seq)));
  agg.merge(s, 0, agg.slots);
  return agg.result(s, 0);
}

const obsArb = fc.array(fc.record({ t: fc.integer({ min: 0, max: 50 }), x: fc.double({ min: -1e6, max: 1e6, noNaN: true }) }), { maxLength: 40 });
const id = (v: number) => v;

describe('numeric aggregations', () => {
  it('meanVariance agrees with the two-pass formulas, folded or merged', () => {
    fc.assert(
      fc.property(obsArb, obsArb, (a, b) => {
        const all = [...a, ...b];
        const n = all.length;
        const mean = all.reduce((s, o) => s + o.x, 0) / n;
        const variance = all.reduce((s, o) => s + (o.x - mean) ** 2, 0) / n;
        for (const r of [fold(meanVariance(id), all), foldMerged(meanVariance(id), a, b)]) {
          expect(r.count).toBe(n);
          if (n === 0) {
            expect(r).toEqual({ count: 0, mean: null, variance: null, sampleVariance: null });
            continue;
          }
          const tol = 1e-7 * Math.max(1, Math.abs(mean), variance);
          expect(Math.abs(r.mean! - mean)).toBeLessThanOrEqual(tol);
          expect(Math.abs(r.variance! - variance)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(mean)));
          expect(r.sampleVariance === null).toBe(n < 2);
        }
      }),
    );
  });

  it('Welford stays accurate where the naive sum of squares cancels', () => {
    const obs = [1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16].map((x, t) => ({ t, x }));
    expect(fold(meanVariance(id), obs)).toEqual({ count: 4, mean: 1e9 + 10, variance: 22.5, sampleVariance: 30 });
  });

  it('count, sum, min, max, first and last match their definitions, folded or merged', () => {
    fc.assert(
      fc.property(obsArb, obsArb, (a, b) => {
        const all = [...a, ...b];
        const bySeq = all.map((o, seq) => ({ ...o, seq }));
        const earliest = [...bySeq].sort((p, q) => p.t - q.t || p.seq - q.seq)[0];
        const latest = [...bySeq].sort((p, q) => q.t - p.t || q.seq - p.seq)[0];
        for (const run of [<R>(agg: SlabAggregator<number, R>) => fold(agg, all), <R>(agg: SlabAggregator<number, R>) => foldMerged(agg, a, b)]) {
          expect(run(count(id))).toBe(all.length);
          expect(run(min(id))).toBe(all.length ? Math.min(...all.map((o) => o.x)) : null);
          expect(run(max(id))).toBe(all.length ? Math.max(...all.map((o) => o.x)) : null);
          expect(run(first(id))).toBe(earliest ? earliest.x : null);
          expect(run(last(id))).toBe(latest ? latest.x : null);
          const s = run(sum(id));
          const exact = all.reduce((acc, o) => acc + o.x, 0);
          expect(Math.abs(s - exact)).toBeLessThanOrEqual(1e-6 * Math.max(1, ...all.map((o) => Math.abs(o.x))) * all.length);
        }
      }),
    );
  });

  it('first and last go by event time, not arrival, and break ties by arrival', () => {
    const obs = [
      { t: 5, x: 1 },
      { t: 2, x: 2 },
      { t: 9, x: 3 },
      { t: 2, x: 4 },
      { t: 9, x: 5 },
    ];
    expect(fold(first(id), obs)).toBe(2);
    expect(fold(last(id), obs)).toBe(5);
  });
});

/** The downsample policy by its definition: smallest level with <= capacity occupied cells, earliest point per cell. */
function downsampleByDefinition(pts: readonly { t: number; seq: number }[], capacity: number): { t: number; seq: number }[] {
  const sorted = [...pts].sort((a, b) => a.t - b.t || a.seq - b.seq);
  for (let level = 0; ; level++) {
    const kept = new Map<number, { t: number; seq: number }>();
    for (const p of sorted) {
      const c = Math.floor(p.t / 2 ** level);
      if (!kept.has(c)) kept.set(c, p);
    }
    if (kept.size <= capacity) return [...kept.values()];
  }
}

describe('point collector', () => {
  const ptsArb = fc.array(fc.integer({ min: -5000, max: 5000 }), { maxLength: 80 });
  const run = (policy: 'downsample' | 'keep_first' | 'keep_last', capacity: number, times: readonly number[], order: readonly number[]) => {
    const agg = points<number, number>((v) => v, { capacity, policy });
    const state = agg.create();
    for (const i of order) agg.add(state, i, times[i]!, i);
    return agg.result(state);
  };

  it.each(['downsample', 'keep_first', 'keep_last'] as const)('%s keeps the same points whatever the arrival order, and merges like the union', (policy) => {
    fc.assert(
      fc.property(ptsArb, fc.integer({ min: 2, max: 12 }), fc.nat(), fc.nat(), (times, capacity, seedA, split) => {
        const natural = times.map((_, i) => i);
        const shuffled = [...natural].sort((a, b) => ((a * 7919 + seedA) % 101) - ((b * 7919 + seedA) % 101) || a - b);
        const expected = run(policy, capacity, times, natural);
        expect(run(policy, capacity, times, shuffled)).toEqual(expected);
        expect(expected.length).toBeLessThanOrEqual(capacity);
        // merge: two halves collected separately, then folded together
        const agg = points<number, number>((v) => v, { capacity, policy });
        const left = agg.create();
        const right = agg.create();
        const cut = times.length ? split % times.length : 0;
        shuffled.forEach((i, k) => agg.add(k < cut ? left : right, i, times[i]!, i));
        agg.merge(left, right);
        expect(agg.result(left)).toEqual(expected);
        // and a snapshot round trip keeps it
        expect(agg.result(agg.fromJSON(JSON.parse(JSON.stringify(agg.toJSON(left)))))).toEqual(expected);
      }),
    );
  });

  it('downsample matches its definition; keep_first / keep_last keep the earliest / latest points', () => {
    fc.assert(
      fc.property(ptsArb, fc.integer({ min: 2, max: 12 }), (times, capacity) => {
        const order = times.map((_, i) => i);
        const withSeq = times.map((t, seq) => ({ t, seq }));
        const asPoints = (xs: readonly { t: number; seq: number }[]): TimedPoint<number>[] => xs.map((p) => ({ t: p.t, value: p.seq }));
        const sorted = [...withSeq].sort((a, b) => a.t - b.t || a.seq - b.seq);
        expect(run('downsample', capacity, times, order)).toEqual(asPoints(downsampleByDefinition(withSeq, capacity)));
        expect(run('keep_first', capacity, times, order)).toEqual(asPoints(sorted.slice(0, capacity)));
        expect(run('keep_last', capacity, times, order)).toEqual(asPoints(sorted.slice(Math.max(0, sorted.length - capacity))));
      }),
    );
  });

  it('rejects a capacity below 2 and unknown policies', () => {
    expect(() => points((v: number) => v, { capacity: 1 })).toThrow(/capacity must be an integer >= 2/);
    expect(() => points((v: number) => v, { capacity: 4, policy: 'random' as never })).toThrow(/unknown policy "random"/);
  });
});
