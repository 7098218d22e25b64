import type { SlabAggregator } from './aggregator.js';

/**
 * Counts events with a finite value. Without an extractor every event counts (same as the pane's
 * eventCount, kept for symmetry in feature specs).
 */
export function count<T>(extract: (value: T) => number | null | undefined = () => 0): SlabAggregator<T, number> {
  return {
    kind: 'slab',
    type: 'count',
    slots: 1,
    extract,
    init(s, at) {
      s[at] = 0;
    },
    add(s, at) {
      s[at]! += 1;
    },
    merge(s, into, from) {
      s[into]! += s[from]!;
    },
    result(s, at) {
      return s[at]!;
    },
  };
}
