/**
 * Summary statistics over a window's per-point values. Every function is total: an empty input gives
 * 0, never NaN, so a window with too few points still yields a finite feature vector.
 */

export function mean(xs: ArrayLike<number>): number {
  if (xs.length === 0) return 0;
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return s / xs.length;
}

/** population standard deviation; 0 for fewer than two values */
export function std(xs: ArrayLike<number>): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i < xs.length; i++) {
    const d = xs[i]! - m;
    s += d * d;
  }
  return Math.sqrt(s / xs.length);
}

export function max(xs: ArrayLike<number>): number {
  if (xs.length === 0) return 0;
  let m = -Infinity;
  for (let i = 0; i < xs.length; i++) if (xs[i]! > m) m = xs[i]!;
  return m;
}

/** ascending copy, for several quantiles of one series */
export function sortedCopy(xs: ArrayLike<number>): Float64Array {
  return Float64Array.from(xs).sort();
}

/** quantile q ∈ [0, 1] of an ascending array, linear interpolation between order statistics */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** share of values in [lo, hi) */
export function fractionIn(xs: ArrayLike<number>, lo: number, hi: number): number {
  if (xs.length === 0) return 0;
  let c = 0;
  for (let i = 0; i < xs.length; i++) if (xs[i]! >= lo && xs[i]! < hi) c++;
  return c / xs.length;
}

const RAD = Math.PI / 180;

/**
 * circular standard deviation of angles in degrees, sqrt(−2 ln R), scaled to [0, 1] by π
 * (uniformly spread angles → 1, identical angles → 0); 0 for fewer than two angles
 */
export function circularStdUnit(degrees: ArrayLike<number>): number {
  const n = degrees.length;
  if (n < 2) return 0;
  let c = 0;
  let s = 0;
  for (let i = 0; i < n; i++) {
    c += Math.cos(degrees[i]! * RAD);
    s += Math.sin(degrees[i]! * RAD);
  }
  const r = Math.hypot(c, s) / n;
  if (r >= 1) return 0;
  if (r <= 1e-12) return 1;
  return Math.min(1, Math.sqrt(-2 * Math.log(r)) / Math.PI);
}
