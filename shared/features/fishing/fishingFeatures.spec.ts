import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { featureHash } from '../featureSpec.js';
import type { TrackPoint } from '../trackPoint.js';
import { planFleet } from '../../simulation/vessels/fleet.js';
import { trackPointFromInput } from '../../simulation/vessels/trackPoints.js';
import { vesselDeliveries } from '../../simulation/vessels/vesselDeliveries.js';
import { FISHING_FEATURE_NAMES, fishingFeatureHash, fishingFeatureSpec, fishingFeatures } from './fishingFeatures.js';
import { localSolarHour } from './pointFeatures.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
const idx = (name: string): number => {
  const i = FISHING_FEATURE_NAMES.indexOf(name);
  if (i < 0) throw new Error(`no feature ${name}`);
  return i;
};
const f = (v: Float32Array, name: string): number => v[idx(name)]!;

/** a vessel steaming due east along the equator at `kn`, one point every `everyS` seconds */
function straightTrack(kn: number, hours: number, everyS: number): TrackPoint[] {
  const degPerS = (kn * 1852) / 3600 / 111_195;
  return Array.from({ length: Math.floor((hours * 3600) / everyS) + 1 }, (_, i) => ({
    t: T0 + i * everyS * 1000, lat: 0, lon: 10 + i * everyS * degPerS, speed: kn, course: 90,
  }));
}

const point = fc.record({
  t: fc.integer({ min: T0, max: T0 + 24 * HOUR }),
  lat: fc.double({ min: -90, max: 90, noNaN: true }),
  lon: fc.double({ min: -180, max: 180, noNaN: true }),
  speed: fc.option(fc.double({ min: 0, max: 102.2, noNaN: true }), { nil: null }),
  course: fc.option(fc.double({ min: 0, max: 359.9, noNaN: true }), { nil: null }),
});

describe('fishingFeatures', () => {
  it('has one value per named feature, and a stable 64-hex spec hash', () => {
    expect(fishingFeatures(straightTrack(10, 2, 60))).toHaveLength(fishingFeatureSpec.features.length);
    expect(new Set(FISHING_FEATURE_NAMES).size).toBe(FISHING_FEATURE_NAMES.length);
    expect(fishingFeatureHash).toMatch(/^[0-9a-f]{64}$/);
    expect(featureHash(JSON.parse(JSON.stringify(fishingFeatureSpec)))).toBe(fishingFeatureHash); // survives a manifest round trip
  });

  it('defines 0, 1 and 2 points: zeros, then only what those points can tell', () => {
    expect(Array.from(fishingFeatures([]))).toEqual(new Array(FISHING_FEATURE_NAMES.length).fill(0));
    const one = fishingFeatures([{ t: T0, lat: 1, lon: 2, speed: 3, course: 40 }]);
    expect(f(one, 'n_points_log')).toBeCloseTo(Math.log(2), 6);
    expect(f(one, 'speed_log_mean')).toBeCloseTo(Math.log1p(3), 6);
    expect(f(one, 'speed_frac_1_5')).toBe(1);
    expect(f(one, 'dt_log_mean')).toBe(0);
    expect(f(one, 'straightness')).toBe(0);
    expect(f(one, 'h1_coverage')).toBe(0);
    const none = fishingFeatures([{ t: T0, lat: 1, lon: 2, speed: null, course: null }]);
    expect(f(none, 'speed_na_frac')).toBe(1);
    expect(f(none, 'speed_log_mean')).toBe(0);
    const two = fishingFeatures([{ t: T0, lat: 0, lon: 0, speed: null, course: null }, { t: T0 + 600_000, lat: 0, lon: 0.05, speed: null, course: null }]);
    // 0.05° of longitude at the equator (5560 m) in 10 minutes ≈ 18.0 kn, used for both points' speed
    expect(f(two, 'implied_log_mean')).toBeCloseTo(Math.log1p(18.01), 2);
    expect(f(two, 'speed_log_mean')).toBeCloseTo(Math.log1p(18.01), 2);
    expect(f(two, 'course_change_mean')).toBe(0); // both courses from the one hop's bearing
    expect(f(two, 'turn_angle_mean')).toBe(0);
    expect(f(two, 'straightness')).toBeCloseTo(1, 6);
    for (const v of [one, none, two]) for (const x of v) expect(Number.isFinite(x)).toBe(true);
  });

  it('measures a straight 10 kn passage as straight and steady at 10 kn', () => {
    const v = fishingFeatures(straightTrack(10, 24, 10));
    expect(Math.expm1(f(v, 'speed_log_q50'))).toBeCloseTo(10, 4);
    expect(Math.expm1(f(v, 'implied_log_q50'))).toBeCloseTo(10, 1);
    expect(f(v, 'speed_frac_10_14')).toBe(1);
    expect(f(v, 'straightness')).toBeCloseTo(1, 4);
    expect(f(v, 'turn_angle_q90')).toBeLessThan(1e-4);
    expect(f(v, 'course_circ_std')).toBe(0);
    expect(f(v, 'h1_coverage')).toBeCloseTo(1, 1);
    // thinned to one point per 5 minutes: 24 h → 289 points out of 8641
    expect(Math.expm1(f(v, 'n_points_log'))).toBeCloseTo(8641, 0);
    expect(Math.expm1(f(v, 'n_thinned_log'))).toBeCloseTo(289, 0);
  });

  it('reads local time from longitude', () => {
    expect(localSolarHour(T0, 90)).toBeCloseTo(6, 9);
    expect(localSolarHour(T0, -90)).toBeCloseTo(18, 9);
    // slow at local midnight vs slow at local noon → opposite cos of time of day
    const at = (lon: number): TrackPoint[] => [0, 1, 2].map((k) => ({ t: T0 + k * 600_000, lat: 0, lon, speed: 2, course: 0 }));
    expect(f(fishingFeatures(at(0)), 'slow_tod_cos')).toBeGreaterThan(0.9);
    expect(f(fishingFeatures(at(179)), 'slow_tod_cos')).toBeLessThan(-0.9);
  });

  it('is finite for any track, including poles, the antimeridian, equal times and missing values', () => {
    fc.assert(fc.property(fc.array(point, { maxLength: 60 }), (pts) => {
      const v = fishingFeatures(pts);
      expect(v).toHaveLength(FISHING_FEATURE_NAMES.length);
      for (const x of v) expect(Number.isFinite(x)).toBe(true);
    }), { numRuns: 300 });
  });

  it('does not depend on arrival order or duplicated deliveries', () => {
    fc.assert(fc.property(fc.array(point, { minLength: 1, maxLength: 40 }), fc.array(fc.nat(), { maxLength: 20 }), (pts, dupIdx) => {
      const shuffled = [...pts].reverse();
      for (const i of dupIdx) shuffled.push({ ...pts[i % pts.length]! });
      expect(Array.from(fishingFeatures(shuffled))).toEqual(Array.from(fishingFeatures(pts)));
    }), { numRuns: 200 });
  });

  it('ignores points without a finite time or position rather than failing', () => {
    const good = straightTrack(5, 1, 300);
    const bad = [...good, { t: Number.NaN, lat: 0, lon: 0, speed: 1, course: 1 }, { t: T0, lat: Number.POSITIVE_INFINITY, lon: 0, speed: 1, course: 1 }];
    expect(Array.from(fishingFeatures(bad))).toEqual(Array.from(fishingFeatures(good)));
  });

  it('sees the same vessel alike through dense and hourly reporting, and copes with both', () => {
    const [vessel] = planFleet({ seed: 'features-spec', vessels: 1, classMix: { non_fishing: 1 } });
    const span = { start: T0, end: T0 + 24 * HOUR };
    const pts = (regime: 'terrestrial' | 'sparse'): TrackPoint[] =>
      [...vesselDeliveries({ ...vessel!, reporting: { ...vessel!.reporting, regime, terrestrialRx: 1 } }, span)].map((d) => trackPointFromInput(d.position));
    const dense = pts('terrestrial');
    const sparse = pts('sparse');
    expect(dense.length).toBeGreaterThan(2000);
    expect(sparse.length).toBeLessThan(40);
    const a = fishingFeatures(dense);
    const b = fishingFeatures(sparse);
    for (const v of [a, b]) for (const x of v) expect(Number.isFinite(x)).toBe(true);
    expect(Math.abs(f(a, 'speed_log_q50') - f(b, 'speed_log_q50'))).toBeLessThan(0.1);
    expect(f(a, 'h0p5_coverage')).toBeGreaterThan(0.9);
    expect(f(b, 'h0p5_coverage')).toBeLessThan(0.2); // half-hour sub-windows rarely hold two hourly fixes
  });
});
