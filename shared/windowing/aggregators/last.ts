import type { SlabAggregator } from './aggregator.js';
import { byEventTime } from './byEventTime.js';

/** Value of the event with the largest event time (not the last to arrive); ties: the last to arrive. */
export function last<T>(extract: (value: T) => number | null | undefined): SlabAggregator<T, number | null> {
  return byEventTime('last', extract);
}
