import { describe, expect, it } from 'vitest';
import { ScratchBuffers, circularStdUnit, fractionIn, max, mean, quantileSorted, sortInto, sortedCopy, std } from './windowStatistics.js';

describe('windowStatistics', () => {
  it('is total on empty input', () => {
    expect([mean([]), std([]), max([]), quantileSorted([], 0.5), fractionIn([], 0, 1), circularStdUnit([])]).toEqual([0, 0, 0, 0, 0, 0]);
  });
  it('computes the usual moments and interpolated quantiles', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(std([2, 4, 4, 4, 5, 5, 7, 9])).toBe(2);
    const s = sortedCopy([4, 1, 3, 2]);
    expect(Array.from(s)).toEqual([1, 2, 3, 4]);
    expect(quantileSorted(s, 0)).toBe(1);
    expect(quantileSorted(s, 1)).toBe(4);
    expect(quantileSorted(s, 0.5)).toBe(2.5);
    expect(fractionIn([0.5, 1, 2, 7], 1, 5)).toBe(0.5);
  });
  it('measures the spread of angles on the circle', () => {
    expect(circularStdUnit([359, 1, 0, 2, 358])).toBeLessThan(0.02); // tight round north, not 0↔360 apart
    expect(circularStdUnit([0, 90, 180, 270])).toBe(1);
    expect(circularStdUnit([10, 10])).toBeCloseTo(0, 6);
  });
  it('reads only the first n values of a scratch buffer', () => {
    const buf = Float64Array.of(2, 4, 4, 4, 5, 5, 7, 9, 1000, -1000);
    expect([mean(buf, 8), std(buf, 8), max(buf, 8), fractionIn(buf, 4, 6, 8), circularStdUnit(buf, 0)]).toEqual([5, 2, 9, 0.625, 0]);
    expect([mean(buf, 0), std(buf, 1)]).toEqual([0, 0]);
    const sorted = sortInto(Float64Array.of(3, -0, 1, 0, 99), 4, new Float64Array(8));
    expect(Array.from(sorted)).toEqual(Array.from(sortedCopy([3, -0, 1, 0])));
    expect(Object.is(sorted[0], -0)).toBe(true); // the same order as sortedCopy, -0 before 0
  });
  it('grows scratch buffers to the largest request and keeps them', () => {
    const scratch = new ScratchBuffers(['a', 'b'] as const);
    const small = scratch.reserve(10);
    expect(small.a.length).toBeGreaterThanOrEqual(10);
    expect(scratch.reserve(5).a).toBe(small.a);
    const big = scratch.reserve(1000);
    expect(big.a.length).toBeGreaterThanOrEqual(1000);
    expect(big.b.length).toBe(big.a.length);
    expect(scratch.reserve(999).a).toBe(big.a);
  });
});
