import type { SlabAggregator } from './aggregator.js';
import { byEventTime } from './byEventTime.js';

/** Value of the event with the smallest event time (not the first to arrive); ties: the first to arrive. */
export function first<T>(extract: (value: T) => number | null | undefined): SlabAggregator<T, number | null> {
  return byEventTime('first', extract);
}
