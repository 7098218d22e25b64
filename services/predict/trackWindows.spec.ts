import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TrackPoint } from '../../shared/features/trackPoint.js';
import { windowTracks } from './trackWindows.js';

const point = (t: number): TrackPoint => ({ t, lat: 0, lon: 0, speed: null, course: null });
const times = fc.array(fc.integer({ min: -5_000_000, max: 50_000_000 }), { minLength: 1, maxLength: 200 });
const HOUR = 3_600_000;

describe('windowTracks', () => {
  it('tumbling: every point in exactly one window, window_start = floor(t/size)*size', () => {
    fc.assert(
      fc.property(times, fc.integer({ min: 1, max: 10 * HOUR }), (ts, size) => {
        const windows = windowTracks(new Map([['a', ts.map(point)]]), { kind: 'tumbling', size_ms: size });
        expect(windows.reduce((n, w) => n + w.points.length, 0)).toBe(ts.length);
        for (const w of windows) {
          expect(w.end - w.start).toBe(size);
          for (const p of w.points) {
            expect(w.start).toBe(Math.floor(p.t / size) * size);
            expect(p.t).toBeGreaterThanOrEqual(w.start);
            expect(p.t).toBeLessThan(w.end);
          }
          expect(w.points.map((p) => p.t)).toEqual([...w.points.map((p) => p.t)].sort((a, b) => a - b));
        }
        expect(new Set(windows.map((w) => w.start)).size).toBe(windows.length);
      }),
    );
  });

  it('sliding: a point lands in size/period windows, each containing it', () => {
    fc.assert(
      fc.property(times, fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: HOUR }), (ts, ratio, period) => {
        const size = ratio * period;
        const windows = windowTracks(new Map([['a', ts.map(point)]]), { kind: 'sliding', size_ms: size, period_ms: period });
        expect(windows.reduce((n, w) => n + w.points.length, 0)).toBe(ts.length * ratio);
        for (const w of windows) {
          expect(w.start % period === 0).toBe(true);
          for (const p of w.points) expect(p.t >= w.start && p.t < w.end).toBe(true);
        }
      }),
    );
  });

  it('session: points closer than the gap share a session, farther ones do not', () => {
    fc.assert(
      fc.property(times, fc.integer({ min: 1, max: HOUR }), (ts, gap) => {
        const windows = windowTracks(new Map([['a', ts.map(point)]]), { kind: 'session', gap_ms: gap });
        expect(windows.reduce((n, w) => n + w.points.length, 0)).toBe(ts.length);
        windows.forEach((w, i) => {
          for (let k = 1; k < w.points.length; k++) expect(w.points[k].t - w.points[k - 1].t).toBeLessThanOrEqual(gap);
          expect(w.end).toBe(w.points[w.points.length - 1].t + gap);
          if (i > 0) expect(w.points[0].t - windows[i - 1].points[windows[i - 1].points.length - 1].t).toBeGreaterThan(gap);
        });
      }),
    );
  });

  it('keeps keys apart, in first-seen order, and sorts out-of-order points', () => {
    const tracks = new Map([
      ['b', [point(7 * HOUR), point(HOUR + 5), point(HOUR)]],
      ['a', [point(2 * HOUR)]],
    ]);
    const windows = windowTracks(tracks, { kind: 'tumbling', size_ms: 6 * HOUR });
    expect(windows.map((w) => [w.key, w.start, w.points.map((p) => p.t)])).toEqual([
      ['b', 0, [HOUR, HOUR + 5]],
      ['b', 6 * HOUR, [7 * HOUR]],
      ['a', 0, [2 * HOUR]],
    ]);
  });

  it('without a window spec makes one window per key over its whole track', () => {
    const windows = windowTracks(new Map([['a', [point(50), point(10)]]]), undefined);
    expect(windows).toEqual([{ key: 'a', start: 10, end: 51, points: [point(10), point(50)] }]);
  });
});
