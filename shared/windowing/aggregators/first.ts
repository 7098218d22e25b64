import { INPUT_EVENT_TIME, INPUT_SEQ, INPUT_VALUE, type SlabAggregator } from './aggregator.js';

function take(s: Float64Array, at: number, x: number, t: number, seq: number): void {
  const ft = s[at]!;
  if (Number.isNaN(ft) || t < ft || (t === ft && seq < s[at + 1]!)) {
    s[at] = t;
    s[at + 1] = seq;
    s[at + 2] = x;
  }
}

/**
 * Value of the event with the smallest event time (not the first to arrive); among equal event
 * times the one that arrived first. Slots: eventTime (NaN = empty), arrival seq, value.
 */
export function first<T>(extract: (value: T) => number | null | undefined): SlabAggregator<T, number | null> {
  return {
    kind: 'slab',
    type: 'first',
    slots: 3,
    extract,
    init(s, at) {
      s[at] = Number.NaN;
      s[at + 1] = 0;
      s[at + 2] = 0;
    },
    add(s, at, input) {
      take(s, at, input[INPUT_VALUE]!, input[INPUT_EVENT_TIME]!, input[INPUT_SEQ]!);
    },
    merge(s, into, from) {
      const t = s[from]!;
      if (!Number.isNaN(t)) take(s, into, s[from + 2]!, t, s[from + 1]!);
    },
    result(s, at) {
      return Number.isNaN(s[at]!) ? null : s[at + 2]!;
    },
  };
}
