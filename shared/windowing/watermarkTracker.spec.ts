import { describe, expect, it } from 'vitest';
import { WatermarkTracker } from './watermarkTracker.js';

function observe(w: WatermarkTracker, i: number, eventTime: number, now: number): boolean {
  w.now = now;
  w.eventTime = eventTime;
  return w.observe(i);
}

describe('WatermarkTracker', () => {
  it('is the minimum over active partitions of max event time minus out-of-orderness, and never moves back', () => {
    const w = new WatermarkTracker(10, null, false);
    const p0 = w.ensure(0, 0);
    const p1 = w.ensure(1, 0);
    expect(observe(w, p0, 100, 0)).toBe(false); // partition 1 still at -Infinity
    expect(w.watermark).toBe(-Infinity);
    expect(observe(w, p1, 50, 0)).toBe(true);
    expect(w.watermark).toBe(40);
    expect(observe(w, p1, 30, 0)).toBe(false); // older event: no change
    expect(observe(w, p0, 200, 0)).toBe(false); // not the slowest partition
    expect(observe(w, p1, 300, 0)).toBe(true);
    expect(w.watermark).toBe(190);
  });

  it('ignores idle partitions, lets them rejoin, and may advance with processing time when all are idle', () => {
    const w = new WatermarkTracker(0, 100, true);
    const p0 = w.ensure(0, 0);
    const p1 = w.ensure(1, 0);
    observe(w, p0, 500, 0);
    observe(w, p1, 200, 0);
    expect(w.watermark).toBe(200);
    observe(w, p0, 600, 50);
    expect(w.recompute(100)).toBe(true); // partition 1 idle since 100
    expect(w.watermark).toBe(600);
    observe(w, p1, 250, 120); // rejoins behind: the watermark stays
    expect(w.watermark).toBe(600);
    expect(w.recompute(200)).toBe(false); // p0 idle since 150, p1 active: min over {p1} = 250 < 600
    expect(w.watermark).toBe(600);
    // both idle since max(lastActivity) + timeout = 220: the watermark = max(600, 250) + (now - 220)
    expect(w.recompute(250)).toBe(true);
    expect(w.isIdle(0, 250) && w.isIdle(1, 250)).toBe(true);
    expect(w.watermark).toBe(630);
    expect(w.recompute(260)).toBe(true);
    expect(w.watermark).toBe(640);
  });

  it('advanceTo raises it explicitly', () => {
    const w = new WatermarkTracker(0, null, false);
    expect(w.advanceTo(10)).toBe(true);
    expect(w.advanceTo(5)).toBe(false);
    expect(w.watermark).toBe(10);
  });
});
