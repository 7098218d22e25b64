import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planFleet } from '../../simulation/vessels/fleet.js';
import { trackPointFromInput } from '../../simulation/vessels/trackPoints.js';
import { vesselDeliveries } from '../../simulation/vessels/vesselDeliveries.js';
import type { TrackPoint } from '../trackPoint.js';
import { fishingFeatures } from './fishingFeatures.js';
import { referenceFishingFeatures } from './fixtures/referenceFishingFeatures.js';

/**
 * Training and serving must compute the same features, and the models were trained on the first
 * implementation's outputs: the scratch-buffer implementation must give the same bits (not just
 * close values; -0 and 0 differ here) on every track.
 */
const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);

function expectSameBits(points: readonly TrackPoint[]): void {
  const want = referenceFishingFeatures(points);
  const got = fishingFeatures(points);
  expect(got).toHaveLength(want.length);
  const a = new Uint32Array(got.buffer, got.byteOffset, got.length);
  const b = new Uint32Array(want.buffer, want.byteOffset, want.length);
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) expect.fail(`feature ${i}: ${got[i]} (0x${a[i]!.toString(16)}) vs reference ${want[i]} (0x${b[i]!.toString(16)})`);
  }
}

const awkward = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0];
/** any point, including values features must survive: non-finite, -0, poles, the antimeridian */
const anyPoint = fc.record({
  t: fc.oneof({ weight: 8, arbitrary: fc.integer({ min: T0, max: T0 + 48 * HOUR }) }, { weight: 1, arbitrary: fc.constantFrom(...awkward) }),
  lat: fc.oneof({ weight: 8, arbitrary: fc.double({ min: -90, max: 90, noNaN: true }) }, { weight: 1, arbitrary: fc.constantFrom(-90, 90, ...awkward) }),
  lon: fc.oneof({ weight: 8, arbitrary: fc.double({ min: -180, max: 180, noNaN: true }) }, { weight: 1, arbitrary: fc.constantFrom(-180, 179.9999, ...awkward) }),
  speed: fc.oneof(fc.constant(null), fc.double({ min: 0, max: 102.2, noNaN: true }), fc.constantFrom(...awkward)),
  course: fc.oneof(fc.constant(null), fc.double({ min: 0, max: 359.9, noNaN: true }), fc.constantFrom(...awkward)),
});

/** a plausible track in time order (the worker's usual input), dense or sparse, drifting or steaming */
const orderedTrack = fc.record({
  start: fc.integer({ min: T0, max: T0 + 24 * HOUR }),
  gaps: fc.array(fc.integer({ min: 1, max: 3 * HOUR }), { maxLength: 400 }),
  lat: fc.double({ min: -89, max: 89, noNaN: true }),
  lon: fc.double({ min: -180, max: 180, noNaN: true }),
  step: fc.double({ min: -0.05, max: 0.05, noNaN: true }),
  speed: fc.option(fc.double({ min: 0, max: 30, noNaN: true }), { nil: null }),
  turn: fc.integer({ min: 0, max: 90 }),
}).map(({ start, gaps, lat, lon, step, speed, turn }) => {
  let t = start;
  return [0, ...gaps].map((gap, i): TrackPoint => {
    t += gap;
    return {
      t, lat: Math.max(-90, Math.min(90, lat + step * i)), lon: ((lon + step * i * 1.3 + 540) % 360) - 180,
      speed: speed === null || i % 7 === 3 ? null : speed + (i % 5) / 10, course: i % 11 === 5 ? null : (i * turn) % 360,
    };
  });
});

describe('fishingFeatures against the reference implementation', () => {
  it('gives the same bits for any points: unsorted, duplicated, non-finite, missing values', () => {
    fc.assert(fc.property(fc.array(anyPoint, { maxLength: 80 }), (pts) => expectSameBits(pts)), { numRuns: 1000 });
  });

  it('gives the same bits for tracks in time order (the already-sorted path), short and long', () => {
    fc.assert(fc.property(orderedTrack, (pts) => expectSameBits(pts)), { numRuns: 400 });
  });

  it('gives the same bits when equal timestamps and shuffles are mixed into ordered tracks', () => {
    fc.assert(fc.property(orderedTrack, fc.array(fc.nat(), { maxLength: 30 }), (pts, picks) => {
      const mixed = [...pts];
      for (const k of picks) if (pts.length > 0) mixed.splice(k % (mixed.length + 1), 0, { ...pts[k % pts.length]!, lat: pts[k % pts.length]!.lat + 1e-4 });
      expectSameBits(mixed);
      expectSameBits([...pts].reverse());
    }), { numRuns: 300 });
  });

  it('gives the same bits on simulated fleets (every gear class, dense and sparse reporting), one call after another', () => {
    const fleet = planFleet({ seed: 'reference-features', vessels: 24 });
    for (const vessel of fleet) {
      const points = [...vesselDeliveries(vessel, { start: T0, end: T0 + 24 * HOUR })].map((d) => trackPointFromInput(d.position));
      expectSameBits(points);
      // windows as the worker sees them: the capacity of its point collector, and short panes
      expectSameBits(points.slice(0, 512));
      for (let from = 0; from < Math.min(points.length, 60); from += 6) expectSameBits(points.slice(from, from + 6));
    }
  });

  it('gives the features pinned for fixed tracks (the reference shares the helpers the rewrite kept, so their changes show here)', () => {
    // Three hand-built tracks: 30 h steaming with reported values, a slow sparse one with gaps in the
    // reported values, and the same points shuffled with duplicates, non-finite values and an invalid point.
    const steady = Array.from({ length: 400 }, (_, i): TrackPoint => ({
      t: T0 + i * 270_000, lat: 40 + i * 0.004, lon: -70 + Math.sin(i / 9) * 0.05, speed: 9 + (i % 5) / 10, course: (45 + i * 3) % 360,
    }));
    const sparse = Array.from({ length: 60 }, (_, i): TrackPoint => ({
      t: T0 + i * 1_800_000 + (i % 3) * 61_000, lat: -33 - (i % 7) * 0.01, lon: 151 + i * 0.002,
      speed: i % 4 === 1 ? null : 2.5, course: i % 5 === 2 ? null : (i * 37) % 360,
    }));
    const messy = [...sparse].reverse().flatMap((p, i): TrackPoint[] => (i % 4 === 0
      ? [p, { ...p }, { ...p, speed: Number.NaN, course: Number.POSITIVE_INFINITY, lat: p.lat + 1e-5 }]
      : [p])).concat([{ t: Number.NaN, lat: 0, lon: 0, speed: null, course: null }]);
    const hash = createHash('sha256');
    for (const track of [steady, sparse, messy]) {
      const features = fishingFeatures(track);
      hash.update(new Uint8Array(features.buffer, features.byteOffset, features.byteLength));
    }
    // Pinned from the implementation the models were trained with (checked against the first version, 97f360f). If this changes, the features
    // changed meaning: that is a new feature-spec version (and retraining), not a new pin.
    expect(hash.digest('hex')).toBe('8c78d7956cd65ea2f3f56e40783a4cbe6891018de70518d0702bfc0a3a597b62');
  });

  it('gives the same bits at the edges: nothing, one point, two points, identical points', () => {
    const p = { t: T0, lat: 1, lon: 2, speed: 3, course: 40 };
    for (const pts of [[], [p], [p, p], [p, { ...p, t: T0 + 600_000, lon: 2.05 }], [{ ...p, speed: null, course: null }]]) expectSameBits(pts);
  });
});
