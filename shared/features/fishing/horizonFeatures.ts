import { haversineMetres } from '../../geo/greatCircle.js';
import type { TrackPoint } from '../trackPoint.js';
import type { PointFeatures } from './pointFeatures.js';
import { ScratchBuffers, circularStdUnit, mean, std } from './windowStatistics.js';

export const HORIZON_VALUES = 5;

const scratch = new ScratchBuffers(['speeds', 'courses', 'speedStd', 'courseStd', 'straight', 'subMeans'] as const);

/**
 * Statistics of speed and course inside tumbling sub-windows of one horizon (0.5 h … 24 h, as the GFW
 * vessel-scoring model used), averaged over the sub-windows that hold enough points. `coverage` tells
 * the model how many sub-windows could be measured: hourly tracks leave short horizons empty.
 *
 * Writes [speed_std_log, course_std, straightness, speed_mean_std_log, coverage] to out[at … at+4].
 */
export function horizonFeatures(points: readonly TrackPoint[], pf: PointFeatures, horizonH: number, out: Float64Array, at: number): void {
  const n = points.length;
  if (n === 0) {
    out.fill(0, at, at + HORIZON_VALUES);
    return;
  }
  const size = horizonH * 3_600_000;
  const t0 = points[0]!.t;
  const span = points[n - 1]!.t - t0;
  const slots = Math.max(1, Math.ceil((span + 1) / size));
  // one sub-window's speeds and courses, and one entry per sub-window in the other four (≤ n each)
  const { speeds, courses, speedStd, courseStd, straight, subMeans } = scratch.reserve(n);
  let speedStdN = 0, courseStdN = 0, straightN = 0, subMeansN = 0;
  let measured = 0;

  let start = 0;
  while (start < n) {
    const k = Math.floor((points[start]!.t - t0) / size);
    let end = start;
    while (end < n && Math.floor((points[end]!.t - t0) / size) === k) end++;
    let speedsN = 0;
    let coursesN = 0;
    for (let i = start; i < end; i++) {
      if (!Number.isNaN(pf.speedKn[i]!)) speeds[speedsN++] = pf.speedKn[i]!;
      if (!Number.isNaN(pf.courseDeg[i]!)) courses[coursesN++] = pf.courseDeg[i]!;
    }
    if (speedsN > 0) subMeans[subMeansN++] = mean(speeds, speedsN);
    if (end - start >= 2) {
      measured++;
      speedStd[speedStdN++] = std(speeds, speedsN);
      courseStd[courseStdN++] = circularStdUnit(courses, coursesN);
      let path = 0;
      for (let i = start; i < end - 1; i++) path += pf.distM[i]!;
      const a = points[start]!;
      const b = points[end - 1]!;
      straight[straightN++] = path > 0 ? haversineMetres(a.lat, a.lon, b.lat, b.lon) / path : 0;
    }
    start = end;
  }
  out[at] = Math.log1p(mean(speedStd, speedStdN));
  out[at + 1] = mean(courseStd, courseStdN);
  out[at + 2] = mean(straight, straightN);
  out[at + 3] = Math.log1p(std(subMeans, subMeansN));
  out[at + 4] = measured / slots;
}
