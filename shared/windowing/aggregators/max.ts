import { INPUT_VALUE, type SlabAggregator } from './aggregator.js';

/** Largest finite value; null for an empty window. */
export function max<T>(extract: (value: T) => number | null | undefined): SlabAggregator<T, number | null> {
  return {
    kind: 'slab',
    type: 'max',
    slots: 1,
    extract,
    init(s, at) {
      s[at] = -Infinity;
    },
    add(s, at, input) {
      const x = input[INPUT_VALUE]!;
      if (x > s[at]!) s[at] = x;
    },
    merge(s, into, from) {
      if (s[from]! > s[into]!) s[into] = s[from]!;
    },
    result(s, at) {
      const v = s[at]!;
      return v === -Infinity ? null : v;
    },
  };
}
