import { EARTH_RADIUS_M, haversineMetres, signedAngleDiffDeg } from '../../geo/greatCircle.js';
import type { TrackPoint } from '../trackPoint.js';
import { FISHING_FEATURE_NAMES, FISHING_FEATURE_PARAMS as P } from './fishingFeatureSpec.js';
import { horizonFeatures } from './horizonFeatures.js';
import { pointFeatures } from './pointFeatures.js';
import { sortedUniquePoints, thinned } from './trackPreparation.js';
import { circularStdUnit, fractionIn, max, mean, quantileSorted, sortedCopy, std } from './windowStatistics.js';

export { fishingFeatureSpec, fishingFeatureHash, FISHING_FEATURE_NAMES } from './fishingFeatureSpec.js';

const TAU = 2 * Math.PI;

/**
 * The fishing-track feature vector of one window of a vessel's positions (layout: `fishingFeatureSpec`).
 * Pure: the stream and the training script call this same function. Points may come unsorted and
 * duplicated; they are sorted by event time, one point is kept per timestamp, then the track is thinned
 * to one point per 5 minutes. Undefined statistics are 0: no points → all zeros; one point → speed,
 * time-of-day and count features only; two points → one hop, no turn angles. Never NaN or ±Infinity.
 */
export function fishingFeatures(points: readonly TrackPoint[]): Float32Array {
  const out = new Float32Array(FISHING_FEATURE_NAMES.length);
  const unique = sortedUniquePoints(points);
  if (unique.length === 0) return out;
  const track = thinned(unique, P.thin_min_interval_s * 1000);
  const pf = pointFeatures(track, P.implied_speed_cap_kn);
  const n = track.length;

  let speedNa = 0;
  let courseNa = 0;
  for (const p of unique) {
    if (p.speed === null) speedNa++;
    if (p.course === null) courseNa++;
  }

  const speeds = pf.speedKn.filter((x) => !Number.isNaN(x));
  const speedLog = speeds.map(Math.log1p);
  const speedLogSorted = sortedCopy(speedLog);
  const impliedLog = pf.impliedKn.map(Math.log1p);
  const impliedSorted = sortedCopy(impliedLog);
  const changeSorted = sortedCopy(pf.courseChange);
  const turnSorted = sortedCopy(pf.turnAngle);
  const [b1, b2, b3, b4] = P.speed_bands_kn;

  // geometry of the whole window: path length, radius of gyration, net displacement / path
  let path = 0;
  for (const d of pf.distM) path += d;
  const gyration = radiusOfGyrationM(track);
  const first = track[0]!;
  const last = track[n - 1]!;
  const net = haversineMetres(first.lat, first.lon, last.lat, last.lon);

  // when the vessel is slow or fast, as local time of day on the unit circle
  let slowC = 0, slowS = 0, slowN = 0, fastC = 0, fastS = 0, fastN = 0;
  const day: number[] = [];
  const night: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = pf.speedKn[i]!;
    if (Number.isNaN(s)) continue;
    const h = pf.localHour[i]!;
    const c = Math.cos((TAU * h) / 24);
    const si = Math.sin((TAU * h) / 24);
    if (s < P.slow_speed_kn) { slowC += c; slowS += si; slowN++; } else { fastC += c; fastS += si; fastN++; }
    (h >= P.day_hours[0] && h < P.day_hours[1] ? day : night).push(Math.log1p(s));
  }
  const speedLogMean = mean(speedLog);

  const courses = pf.courseDeg.filter((x) => !Number.isNaN(x));
  const values: number[] = [
    Math.log1p(unique.length),
    Math.log1p(n),
    Math.min(1, (last.t - first.t) / (P.window_h * 3_600_000)),
    speedNa / unique.length,
    courseNa / unique.length,
    mean(pf.dtS.map(Math.log1p)), std(pf.dtS.map(Math.log1p)), max(pf.dtS.map(Math.log1p)),
    mean(pf.distM.map(Math.log1p)), std(pf.distM.map(Math.log1p)),
    speedLogMean, std(speedLog),
    quantileSorted(speedLogSorted, 0.1), quantileSorted(speedLogSorted, 0.25), quantileSorted(speedLogSorted, 0.5),
    quantileSorted(speedLogSorted, 0.75), quantileSorted(speedLogSorted, 0.9),
    mean(speeds.map((s) => Math.min(s, P.speed_cap_kn) / P.speed_cap_kn)),
    fractionIn(speeds, -Infinity, b1!), fractionIn(speeds, b1!, b2!), fractionIn(speeds, b2!, b3!),
    fractionIn(speeds, b3!, b4!), fractionIn(speeds, b4!, Infinity),
    mean(impliedLog), std(impliedLog),
    quantileSorted(impliedSorted, 0.1), quantileSorted(impliedSorted, 0.5), quantileSorted(impliedSorted, 0.9),
    mean(pf.courseChange), std(pf.courseChange), quantileSorted(changeSorted, 0.5), quantileSorted(changeSorted, 0.9),
    mean(pf.turnAngle), std(pf.turnAngle), quantileSorted(turnSorted, 0.5), quantileSorted(turnSorted, 0.9),
    circularStdUnit(courses),
    Math.log1p(path / 1000), Math.log1p(gyration / 1000), path > 0 ? Math.min(1, net / path) : 0,
    slowN > 0 ? slowC / slowN : 0, slowN > 0 ? slowS / slowN : 0,
    fastN > 0 ? fastC / fastN : 0, fastN > 0 ? fastS / fastN : 0,
    day.length > 0 ? mean(day) : speedLogMean, night.length > 0 ? mean(night) : speedLogMean,
    ...P.horizons_h.flatMap((h) => horizonFeatures(track, pf, h)),
  ];
  if (values.length !== out.length) {
    throw new Error(`fishingFeatures: computed ${values.length} values for ${out.length} names; fix FISHING_FEATURE_NAMES in fishingFeatureSpec.ts`);
  }
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    out[i] = Number.isFinite(v) ? v : 0; // guards the contract; inputs are cleaned so this should not trigger
  }
  return out;
}

const RAD = Math.PI / 180;

/**
 * root-mean-square distance of the points from their centre, metres, on a local flat projection around
 * the first point (longitudes unwrapped across the antimeridian); exact enough for one window's extent
 */
function radiusOfGyrationM(track: readonly TrackPoint[]): number {
  const n = track.length;
  const lat0 = track[0]!.lat;
  const lon0 = track[0]!.lon;
  const k = Math.cos(lat0 * RAD);
  let sx = 0, sy = 0, sxx = 0, syy = 0;
  for (const p of track) {
    const x = signedAngleDiffDeg(lon0, p.lon) * k * RAD * EARTH_RADIUS_M;
    const y = (p.lat - lat0) * RAD * EARTH_RADIUS_M;
    sx += x; sy += y; sxx += x * x; syy += y * y;
  }
  const v = (sxx - (sx * sx) / n + syy - (sy * sy) / n) / n;
  return Math.sqrt(Math.max(0, v));
}
