import { haversineMetres } from '../../geo/greatCircle.js';
import type { TrackPoint } from '../trackPoint.js';
import type { PointFeatures } from './pointFeatures.js';
import { circularStdUnit, mean, std } from './windowStatistics.js';

/**
 * Statistics of speed and course inside tumbling sub-windows of one horizon (0.5 h … 24 h, as the GFW
 * vessel-scoring model used), averaged over the sub-windows that hold enough points. `coverage` tells
 * the model how many sub-windows could be measured: hourly tracks leave short horizons empty.
 *
 * Returns [speed_std_log, course_std, straightness, speed_mean_std_log, coverage].
 */
export function horizonFeatures(points: readonly TrackPoint[], pf: PointFeatures, horizonH: number): number[] {
  const n = points.length;
  if (n === 0) return [0, 0, 0, 0, 0];
  const size = horizonH * 3_600_000;
  const t0 = points[0]!.t;
  const span = points[n - 1]!.t - t0;
  const slots = Math.max(1, Math.ceil((span + 1) / size));

  const speedStd: number[] = [];
  const courseStd: number[] = [];
  const straight: number[] = [];
  const subMeans: number[] = [];
  let measured = 0;

  let start = 0;
  while (start < n) {
    const k = Math.floor((points[start]!.t - t0) / size);
    let end = start;
    while (end < n && Math.floor((points[end]!.t - t0) / size) === k) end++;
    const speeds: number[] = [];
    const courses: number[] = [];
    for (let i = start; i < end; i++) {
      if (!Number.isNaN(pf.speedKn[i]!)) speeds.push(pf.speedKn[i]!);
      if (!Number.isNaN(pf.courseDeg[i]!)) courses.push(pf.courseDeg[i]!);
    }
    if (speeds.length > 0) subMeans.push(mean(speeds));
    if (end - start >= 2) {
      measured++;
      speedStd.push(std(speeds));
      courseStd.push(circularStdUnit(courses));
      let path = 0;
      for (let i = start; i < end - 1; i++) path += pf.distM[i]!;
      const a = points[start]!;
      const b = points[end - 1]!;
      straight.push(path > 0 ? haversineMetres(a.lat, a.lon, b.lat, b.lon) / path : 0);
    }
    start = end;
  }
  return [
    Math.log1p(mean(speedStd)),
    mean(courseStd),
    mean(straight),
    Math.log1p(std(subMeans)),
    measured / slots,
  ];
}
