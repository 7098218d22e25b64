import { describe, expect, it } from 'vitest';
import { circularStdUnit, fractionIn, max, mean, quantileSorted, sortedCopy, std } from './windowStatistics.js';

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
});
