import { EARTH_RADIUS_M, haversineMetres, signedAngleDiffDeg } from '../../geo/greatCircle.js';
import type { TrackPoint } from '../trackPoint.js';
import { FISHING_FEATURE_NAMES, FISHING_FEATURE_PARAMS as P } from './fishingFeatureSpec.js';
import { HORIZON_VALUES, horizonFeatures } from './horizonFeatures.js';
import { pointFeatures } from './pointFeatures.js';
import { sortedUniquePoints, thinned } from './trackPreparation.js';
import { ScratchBuffers, circularStdUnit, fractionIn, max, mean, quantileSorted, sortInto, std } from './windowStatistics.js';

export { fishingFeatureSpec, fishingFeatureHash, FISHING_FEATURE_NAMES } from './fishingFeatureSpec.js';

const TAU = 2 * Math.PI;
const WIDTH = FISHING_FEATURE_NAMES.length;
/** where the horizon features start: after the 46 whole-window features */
const HORIZONS_AT = WIDTH - P.horizons_h.length * HORIZON_VALUES;

/** per-call series, reused: the worker calls this for every pane, so nothing is allocated per value */
const scratch = new ScratchBuffers(['logs', 'speeds', 'speedLog', 'impliedLog', 'courses', 'sorted', 'day', 'night'] as const);
/** the feature values in double precision before the Float32 output (as computed, then guarded) */
const values = new Float64Array(WIDTH);

/**
 * The fishing-track feature vector of one window of a vessel's positions (layout: `fishingFeatureSpec`).
 * Pure: the stream and the training script call this same function. Points may come unsorted and
 * duplicated; they are sorted by event time, one point is kept per timestamp, then the track is thinned
 * to one point per 5 minutes. Undefined statistics are 0: no points → all zeros; one point → speed,
 * time-of-day and count features only; two points → one hop, no turn angles. Never NaN or ±Infinity.
 *
 * Works in scratch buffers reused between calls (the output is always a fresh array): it runs for
 * every fired pane. fixtures/referenceFishingFeatures.ts keeps the first, map/filter version; the
 * reference spec checks that both give the same bits.
 */
export function fishingFeatures(points: readonly TrackPoint[]): Float32Array {
  const out = new Float32Array(WIDTH);
  const unique = sortedUniquePoints(points);
  if (unique.length === 0) return out;
  const track = thinned(unique, P.thin_min_interval_s * 1000);
  const pf = pointFeatures(track, P.implied_speed_cap_kn);
  const n = track.length;
  const hops = pf.hops;
  const s = scratch.reserve(Math.max(n, 1));
  const v = values;

  let speedNa = 0;
  let courseNa = 0;
  for (const p of unique) {
    if (p.speed === null) speedNa++;
    if (p.course === null) courseNa++;
  }

  // speeds: the points' speeds that are known, in track order
  let speedsN = 0;
  for (let i = 0; i < n; i++) if (!Number.isNaN(pf.speedKn[i]!)) s.speeds[speedsN++] = pf.speedKn[i]!;
  for (let i = 0; i < speedsN; i++) s.speedLog[i] = Math.log1p(s.speeds[i]!);
  for (let i = 0; i < hops; i++) s.impliedLog[i] = Math.log1p(pf.impliedKn[i]!);
  const [b1, b2, b3, b4] = P.speed_bands_kn;

  // geometry of the whole window: path length, radius of gyration, net displacement / path
  let path = 0;
  for (let i = 0; i < hops; i++) path += pf.distM[i]!;
  const gyration = radiusOfGyrationM(track);
  const first = track[0]!;
  const last = track[n - 1]!;
  const net = haversineMetres(first.lat, first.lon, last.lat, last.lon);

  // when the vessel is slow or fast, as local time of day on the unit circle
  let slowC = 0, slowS = 0, slowN = 0, fastC = 0, fastS = 0, fastN = 0;
  let dayN = 0;
  let nightN = 0;
  for (let i = 0; i < n; i++) {
    const sp = pf.speedKn[i]!;
    if (Number.isNaN(sp)) continue;
    const h = pf.localHour[i]!;
    const c = Math.cos((TAU * h) / 24);
    const si = Math.sin((TAU * h) / 24);
    if (sp < P.slow_speed_kn) { slowC += c; slowS += si; slowN++; } else { fastC += c; fastS += si; fastN++; }
    if (h >= P.day_hours[0] && h < P.day_hours[1]) s.day[dayN++] = Math.log1p(sp);
    else s.night[nightN++] = Math.log1p(sp);
  }
  const speedLogMean = mean(s.speedLog, speedsN);

  let coursesN = 0;
  for (let i = 0; i < n; i++) if (!Number.isNaN(pf.courseDeg[i]!)) s.courses[coursesN++] = pf.courseDeg[i]!;

  v[0] = Math.log1p(unique.length);
  v[1] = Math.log1p(n);
  v[2] = Math.min(1, (last.t - first.t) / (P.window_h * 3_600_000));
  v[3] = speedNa / unique.length;
  v[4] = courseNa / unique.length;
  for (let i = 0; i < hops; i++) s.logs[i] = Math.log1p(pf.dtS[i]!);
  v[5] = mean(s.logs, hops); v[6] = std(s.logs, hops); v[7] = max(s.logs, hops);
  for (let i = 0; i < hops; i++) s.logs[i] = Math.log1p(pf.distM[i]!);
  v[8] = mean(s.logs, hops); v[9] = std(s.logs, hops);
  v[10] = speedLogMean; v[11] = std(s.speedLog, speedsN);
  let sorted = sortInto(s.speedLog, speedsN, s.sorted);
  v[12] = quantileSorted(sorted, 0.1); v[13] = quantileSorted(sorted, 0.25); v[14] = quantileSorted(sorted, 0.5);
  v[15] = quantileSorted(sorted, 0.75); v[16] = quantileSorted(sorted, 0.9);
  for (let i = 0; i < speedsN; i++) s.logs[i] = Math.min(s.speeds[i]!, P.speed_cap_kn) / P.speed_cap_kn;
  v[17] = mean(s.logs, speedsN);
  v[18] = fractionIn(s.speeds, -Infinity, b1!, speedsN); v[19] = fractionIn(s.speeds, b1!, b2!, speedsN);
  v[20] = fractionIn(s.speeds, b2!, b3!, speedsN); v[21] = fractionIn(s.speeds, b3!, b4!, speedsN);
  v[22] = fractionIn(s.speeds, b4!, Infinity, speedsN);
  v[23] = mean(s.impliedLog, hops); v[24] = std(s.impliedLog, hops);
  sorted = sortInto(s.impliedLog, hops, s.sorted);
  v[25] = quantileSorted(sorted, 0.1); v[26] = quantileSorted(sorted, 0.5); v[27] = quantileSorted(sorted, 0.9);
  v[28] = mean(pf.courseChange, pf.changes); v[29] = std(pf.courseChange, pf.changes);
  sorted = sortInto(pf.courseChange, pf.changes, s.sorted);
  v[30] = quantileSorted(sorted, 0.5); v[31] = quantileSorted(sorted, 0.9);
  v[32] = mean(pf.turnAngle, pf.turns); v[33] = std(pf.turnAngle, pf.turns);
  sorted = sortInto(pf.turnAngle, pf.turns, s.sorted);
  v[34] = quantileSorted(sorted, 0.5); v[35] = quantileSorted(sorted, 0.9);
  v[36] = circularStdUnit(s.courses, coursesN);
  v[37] = Math.log1p(path / 1000); v[38] = Math.log1p(gyration / 1000); v[39] = path > 0 ? Math.min(1, net / path) : 0;
  v[40] = slowN > 0 ? slowC / slowN : 0; v[41] = slowN > 0 ? slowS / slowN : 0;
  v[42] = fastN > 0 ? fastC / fastN : 0; v[43] = fastN > 0 ? fastS / fastN : 0;
  v[44] = dayN > 0 ? mean(s.day, dayN) : speedLogMean; v[45] = nightN > 0 ? mean(s.night, nightN) : speedLogMean;
  for (let k = 0; k < P.horizons_h.length; k++) horizonFeatures(track, pf, P.horizons_h[k]!, v, HORIZONS_AT + k * HORIZON_VALUES);

  for (let i = 0; i < WIDTH; i++) {
    const x = v[i]!;
    out[i] = Number.isFinite(x) ? x : 0; // guards the contract; inputs are cleaned so this should not trigger
  }
  return out;
}

if (HORIZONS_AT !== 46) {
  throw new Error(`fishingFeatures: ${HORIZONS_AT} whole-window features for 46 computed; fix FISHING_FEATURE_NAMES in fishingFeatureSpec.ts`);
}

const RAD = Math.PI / 180;

/**
 * root-mean-square distance of the points from their centre, metres, on a local flat projection around
 * the first point (longitudes unwrapped across the antimeridian); exact enough for one window's extent
 */
export function radiusOfGyrationM(track: readonly TrackPoint[]): number {
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
