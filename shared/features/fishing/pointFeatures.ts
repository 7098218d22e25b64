import { MS_PER_KNOT, haversineMetres, initialBearingDeg, signedAngleDiffDeg } from '../../geo/greatCircle.js';
import type { TrackPoint } from '../trackPoint.js';
import { ScratchBuffers } from './windowStatistics.js';

/**
 * GFW's per-point quantities for a sorted, de-duplicated, thinned track of n points. Segment arrays
 * (index i = the hop from point i to point i+1) hold `hops` = n−1 values; point arrays hold n. The
 * arrays are scratch buffers reused by the next `pointFeatures` call and may be longer than their
 * counts: read only the first `n`, `hops`, `changes` or `turns` values.
 */
export interface PointFeatures {
  readonly n: number;
  readonly hops: number;
  /** Δt of each hop, seconds (> 0) */
  readonly dtS: Float64Array;
  /** great-circle length of each hop, metres */
  readonly distM: Float64Array;
  /** implied speed of each hop, knots, capped */
  readonly impliedKn: Float64Array;
  /** bearing of each hop, degrees */
  readonly bearing: Float64Array;
  /** speed at each point: reported when available, else implied from the adjoining hops; NaN if neither */
  readonly speedKn: Float64Array;
  /** course at each point: reported when available, else the bearing of an adjoining hop; NaN if neither */
  readonly courseDeg: Float64Array;
  /** |course change| between consecutive points with a course, /180 ∈ [0, 1]; `changes` values */
  readonly courseChange: Float64Array;
  readonly changes: number;
  /** |turn| between the hops into and out of each interior point, /180 ∈ [0, 1]; `turns` = max(0, hops − 1) values */
  readonly turnAngle: Float64Array;
  readonly turns: number;
  /** local mean solar time of each point, hours ∈ [0, 24), time zone from longitude */
  readonly localHour: Float64Array;
}

export function localSolarHour(t: number, lon: number): number {
  const h = (t / 3_600_000 + lon / 15) % 24;
  return h < 0 ? h + 24 : h;
}

const scratch = new ScratchBuffers(['dtS', 'distM', 'impliedKn', 'bearing', 'speedKn', 'courseDeg', 'courseChange', 'turnAngle', 'localHour'] as const);

export function pointFeatures(points: readonly TrackPoint[], impliedSpeedCapKn: number): PointFeatures {
  const n = points.length;
  const hops = Math.max(0, n - 1);
  const { dtS, distM, impliedKn, bearing, speedKn, courseDeg, courseChange, turnAngle, localHour } = scratch.reserve(n);
  for (let i = 0; i < hops; i++) {
    const a = points[i]!;
    const b = points[i + 1]!;
    dtS[i] = (b.t - a.t) / 1000;
    distM[i] = haversineMetres(a.lat, a.lon, b.lat, b.lon);
    impliedKn[i] = Math.min(impliedSpeedCapKn, distM[i]! / dtS[i]! / MS_PER_KNOT);
    bearing[i] = initialBearingDeg(a.lat, a.lon, b.lat, b.lon);
  }

  for (let i = 0; i < n; i++) {
    const p = points[i]!;
    localHour[i] = localSolarHour(p.t, p.lon);
    if (p.speed !== null) speedKn[i] = p.speed;
    else if (i > 0 && i < hops) speedKn[i] = (impliedKn[i - 1]! + impliedKn[i]!) / 2;
    else if (i < hops) speedKn[i] = impliedKn[i]!;
    else if (i > 0) speedKn[i] = impliedKn[i - 1]!;
    else speedKn[i] = NaN;
    if (p.course !== null) courseDeg[i] = p.course;
    else if (i < hops && distM[i]! > 0) courseDeg[i] = bearing[i]!;
    else if (i > 0 && distM[i - 1]! > 0) courseDeg[i] = bearing[i - 1]!;
    else courseDeg[i] = NaN;
  }

  let changes = 0;
  for (let i = 1; i < n; i++) {
    if (!Number.isNaN(courseDeg[i]!) && !Number.isNaN(courseDeg[i - 1]!)) {
      courseChange[changes++] = Math.abs(signedAngleDiffDeg(courseDeg[i - 1]!, courseDeg[i]!)) / 180;
    }
  }
  const turns = Math.max(0, hops - 1);
  for (let i = 1; i < hops; i++) turnAngle[i - 1] = Math.abs(signedAngleDiffDeg(bearing[i - 1]!, bearing[i]!)) / 180;

  return { n, hops, dtS, distM, impliedKn, bearing, speedKn, courseDeg, courseChange, changes, turnAngle, turns, localHour };
}
