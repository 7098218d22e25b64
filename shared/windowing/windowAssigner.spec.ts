import { describe, expect, it } from 'vitest';
import { firstSlidingStart, lastSlidingStart, tumblingStart } from './windowAssigner.js';

describe('window assignment', () => {
  it('puts an event in the tumbling window [start, start + size)', () => {
    expect(tumblingStart(0, 10, 0)).toBe(0);
    expect(tumblingStart(9, 10, 0)).toBe(0);
    expect(tumblingStart(10, 10, 0)).toBe(10);
    expect(tumblingStart(-1, 10, 0)).toBe(-10);
    expect(tumblingStart(-10, 10, 0)).toBe(-10);
    expect(tumblingStart(12, 10, 5)).toBe(5);
    expect(tumblingStart(4, 10, 5)).toBe(-5);
    expect(tumblingStart(1_700_000_123_456, 3_600_000, 0)).toBe(1_699_999_200_000);
  });

  it('lists every sliding window that holds an event', () => {
    // size 30, period 10: t = 25 is in [0,30), [10,40), [20,50)
    expect(firstSlidingStart(25, 30, 10, 0)).toBe(0);
    expect(lastSlidingStart(25, 10, 0)).toBe(20);
    // on a boundary: t = 30 is in [10,40), [20,50), [30,60) but not [0,30)
    expect(firstSlidingStart(30, 30, 10, 0)).toBe(10);
    expect(lastSlidingStart(30, 10, 0)).toBe(30);
    // size not a multiple of period: size 25, period 10, t = 24 -> [0,25), [10,35), [20,45)
    expect(firstSlidingStart(24, 25, 10, 0)).toBe(0);
    // 24 h / 1 h: 24 windows
    const t = 1_700_000_123_456;
    const n = (lastSlidingStart(t, 3_600_000, 0) - firstSlidingStart(t, 86_400_000, 3_600_000, 0)) / 3_600_000 + 1;
    expect(n).toBe(24);
  });
});
