import { INPUT_VALUE, type SlabAggregator } from './aggregator.js';

export interface MeanVariance {
  /** number of finite values */
  readonly count: number;
  readonly mean: number | null;
  /** population variance (divides by n) */
  readonly variance: number | null;
  /** sample variance (divides by n - 1); null below two values */
  readonly sampleVariance: number | null;
}

/**
 * Mean and variance by Welford's update (numerically stable in one pass); windows merge with
 * Chan et al.'s pairwise formula. Slots: n, mean, M2.
 */
export function meanVariance<T>(extract: (value: T) => number | null | undefined): SlabAggregator<T, MeanVariance> {
  return {
    kind: 'slab',
    type: 'mean_variance',
    slots: 3,
    extract,
    init(s, at) {
      s[at] = 0;
      s[at + 1] = 0;
      s[at + 2] = 0;
    },
    add(s, at, input) {
      const x = input[INPUT_VALUE]!;
      const n = s[at]! + 1;
      const mean = s[at + 1]!;
      const delta = x - mean;
      const next = mean + delta / n;
      s[at] = n;
      s[at + 1] = next;
      s[at + 2]! += delta * (x - next);
    },
    merge(s, into, from) {
      const nb = s[from]!;
      if (nb === 0) return;
      const na = s[into]!;
      if (na === 0) {
        s[into] = nb;
        s[into + 1] = s[from + 1]!;
        s[into + 2] = s[from + 2]!;
        return;
      }
      const n = na + nb;
      const delta = s[from + 1]! - s[into + 1]!;
      s[into + 1] = s[into + 1]! + (delta * nb) / n;
      s[into + 2] = s[into + 2]! + s[from + 2]! + (delta * delta * na * nb) / n;
      s[into] = n;
    },
    result(s, at) {
      const n = s[at]!;
      if (n === 0) return { count: 0, mean: null, variance: null, sampleVariance: null };
      const m2 = s[at + 2]!;
      return { count: n, mean: s[at + 1]!, variance: m2 / n, sampleVariance: n > 1 ? m2 / (n - 1) : null };
    },
  };
}
