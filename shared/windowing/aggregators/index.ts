export { INPUT_EVENT_TIME, INPUT_SEQ, INPUT_VALUE, type Aggregator, type AggregationSpecs, type ObjectAggregator, type ResultOf, type ResultsOf, type SlabAggregator } from './aggregator.js';
export { count } from './count.js';
export { first } from './first.js';
export { last } from './last.js';
export { max } from './max.js';
export { meanVariance, type MeanVariance } from './meanVariance.js';
export { min } from './min.js';
export { points, type PointBuffer, type PointCollectorOptions, type PointPolicy, type TimedPoint } from './pointCollector.js';
export { sum } from './sum.js';
