import type { TrackPoint } from '../trackPoint.js';

/**
 * Make a window's points fit for features: drop points without a finite time or position, sort by event
 * time, and keep one point per timestamp. Ties are broken by content so the result does not depend on
 * the order the points arrived in (duplicates delivered twice are identical anyway).
 */
export function sortedUniquePoints(points: readonly TrackPoint[]): readonly TrackPoint[] {
  // Usual case: a window's points arrive in event-time order, all clean. Sorting and de-duplicating
  // would then return these very points in this order, so they are returned as they are.
  return inOrderAndClean(points) ? points : sortedCleanUnique(points);
}

/** sortedUniquePoints without the shortcut for points already in order: filter, sort, de-duplicate, clean */
export function sortedCleanUnique(points: readonly TrackPoint[]): TrackPoint[] {
  const valid = points.filter((p) => Number.isFinite(p.t) && Number.isFinite(p.lat) && Number.isFinite(p.lon));
  valid.sort(byTimeThenContent);
  const out: TrackPoint[] = [];
  for (const p of valid) {
    if (out.length === 0 || out[out.length - 1]!.t !== p.t) out.push(cleanPoint(p));
  }
  return out;
}

/** every point valid and clean, and times strictly increasing */
function inOrderAndClean(points: readonly TrackPoint[]): boolean {
  let last = -Infinity;
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    if (!(p.t > last) || !Number.isFinite(p.t) || !Number.isFinite(p.lat) || !Number.isFinite(p.lon)) return false;
    if ((p.speed !== null && !Number.isFinite(p.speed)) || (p.course !== null && !Number.isFinite(p.course))) return false;
    last = p.t;
  }
  return true;
}

/** non-finite speed or course counts as "not available" */
function cleanPoint(p: TrackPoint): TrackPoint {
  const speed = p.speed !== null && Number.isFinite(p.speed) ? p.speed : null;
  const course = p.course !== null && Number.isFinite(p.course) ? p.course : null;
  return speed === p.speed && course === p.course ? p : { t: p.t, lat: p.lat, lon: p.lon, speed, course };
}

const nullLast = (x: number | null): number => (x === null || !Number.isFinite(x) ? Infinity : x);

function byTimeThenContent(a: TrackPoint, b: TrackPoint): number {
  return a.t - b.t || a.lat - b.lat || a.lon - b.lon
    || cmp(nullLast(a.speed), nullLast(b.speed)) || cmp(nullLast(a.course), nullLast(b.course));
}

function cmp(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Keep at most one point per `minIntervalMs` (greedy from the first point), as GFW does with 5 minutes:
 * dense terrestrial stretches then weigh the same per hour as sparse satellite ones, and the hop
 * between kept points is long enough for implied speed and turn angle to rise above GPS noise.
 */
export function thinned(sorted: readonly TrackPoint[], minIntervalMs: number): TrackPoint[] {
  const out: TrackPoint[] = [];
  let last = -Infinity;
  for (const p of sorted) {
    if (p.t - last >= minIntervalMs) {
      out.push(p);
      last = p.t;
    }
  }
  return out;
}
