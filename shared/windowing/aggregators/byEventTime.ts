import { INPUT_EVENT_TIME, INPUT_SEQ, INPUT_VALUE, type SlabAggregator } from './aggregator.js';

/**
 * The value of one event chosen by event time, not arrival: the earliest (`first`) or the latest
 * (`last`); among equal event times the first or last to arrive. Slots: eventTime (NaN = empty),
 * arrival seq, value. Order-independent, so replays and session merges give the same result.
 */
export function byEventTime<T>(
  which: 'first' | 'last',
  extract: (value: T) => number | null | undefined,
): SlabAggregator<T, number | null> {
  const sign = which === 'first' ? 1 : -1;
  const take = (s: Float64Array, at: number, x: number, t: number, seq: number): void => {
    const held = s[at]!;
    if (Number.isNaN(held) || sign * (t - held) < 0 || (t === held && sign * (seq - s[at + 1]!) < 0)) {
      s[at] = t;
      s[at + 1] = seq;
      s[at + 2] = x;
    }
  };
  return {
    kind: 'slab',
    type: which,
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
