import { INPUT_VALUE, type SlabAggregator } from './aggregator.js';

/** Sum of the finite values; 0 for an empty window. */
export function sum<T>(extract: (value: T) => number | null | undefined): SlabAggregator<T, number> {
  return {
    kind: 'slab',
    type: 'sum',
    slots: 1,
    extract,
    init(s, at) {
      s[at] = 0;
    },
    add(s, at, input) {
      s[at]! += input[INPUT_VALUE]!;
    },
    merge(s, into, from) {
      s[into]! += s[from]!;
    },
    result(s, at) {
      return s[at]!;
    },
  };
}
