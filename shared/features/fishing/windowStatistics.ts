/**
 * Summary statistics over a window's per-point values. Every function is total: an empty input gives
 * 0, never NaN, so a window with too few points still yields a finite feature vector. `n` (default:
 * all of `xs`) reads only the first n values, so callers can pass reused scratch buffers.
 */

export function mean(xs: ArrayLike<number>, n = xs.length): number {
  if (n === 0) return 0;
  let s = 0;
  for (let i = 0; i < n; i++) s += xs[i]!;
  return s / n;
}

/** population standard deviation; 0 for fewer than two values */
export function std(xs: ArrayLike<number>, n = xs.length): number {
  if (n < 2) return 0;
  const m = mean(xs, n);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = xs[i]! - m;
    s += d * d;
  }
  return Math.sqrt(s / n);
}

export function max(xs: ArrayLike<number>, n = xs.length): number {
  if (n === 0) return 0;
  let m = -Infinity;
  for (let i = 0; i < n; i++) if (xs[i]! > m) m = xs[i]!;
  return m;
}

/** ascending copy, for several quantiles of one series */
export function sortedCopy(xs: ArrayLike<number>): Float64Array {
  return Float64Array.from(xs).sort();
}

/** the first n values of `xs` copied into `into` and sorted ascending there (as sortedCopy orders them) */
export function sortInto(xs: ArrayLike<number>, n: number, into: Float64Array): Float64Array {
  for (let i = 0; i < n; i++) into[i] = xs[i]!;
  return into.subarray(0, n).sort();
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
export function fractionIn(xs: ArrayLike<number>, lo: number, hi: number, n = xs.length): number {
  if (n === 0) return 0;
  let c = 0;
  for (let i = 0; i < n; i++) if (xs[i]! >= lo && xs[i]! < hi) c++;
  return c / n;
}

const RAD = Math.PI / 180;

/**
 * circular standard deviation of angles in degrees, sqrt(−2 ln R), scaled to [0, 1] by π
 * (uniformly spread angles → 1, identical angles → 0); 0 for fewer than two angles
 */
export function circularStdUnit(degrees: ArrayLike<number>, n = degrees.length): number {
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

/** Float64 scratch arrays reused between calls, grown (never shrunk) to the largest track seen. */
export class ScratchBuffers<K extends string> {
  private size = 0;
  private readonly arrays = {} as Record<K, Float64Array>;

  constructor(private readonly names: readonly K[]) {
    this.reserve(64);
  }

  /** The buffers, each holding at least n values (contents undefined until written). */
  reserve(n: number): Readonly<Record<K, Float64Array>> {
    if (n > this.size) {
      this.size = Math.max(n, this.size * 2);
      for (const name of this.names) this.arrays[name] = new Float64Array(this.size);
    }
    return this.arrays;
  }
}
