import type { AggregationSpecs, ObjectAggregator, SlabAggregator } from './aggregator.js';

/**
 * The aggregation specs compiled into the engine's slab layout: slab aggregators get consecutive
 * slot ranges after the window's metadata fields; object aggregators get an index into the
 * per-slot object arrays.
 */
export interface CompiledAggregations<T> {
  readonly names: readonly string[];
  /** per name: true = slab, false = object */
  readonly isSlab: readonly boolean[];
  /** per name: index into `slab` or into `objects` */
  readonly position: readonly number[];
  readonly slab: readonly SlabAggregator<T, unknown>[];
  readonly slabOffsets: readonly number[];
  readonly objects: readonly ObjectAggregator<T, unknown, unknown, unknown>[];
  readonly slabSlots: number;
  /** [name, type] pairs, recorded in snapshots to refuse restoring into different aggregations */
  readonly signature: readonly (readonly [string, string])[];
}

export function compileAggregations<T>(specs: AggregationSpecs<T>): CompiledAggregations<T> {
  const names: string[] = [];
  const isSlab: boolean[] = [];
  const position: number[] = [];
  const slab: SlabAggregator<T, unknown>[] = [];
  const slabOffsets: number[] = [];
  const objects: ObjectAggregator<T, unknown, unknown, unknown>[] = [];
  let slots = 0;
  for (const [name, agg] of Object.entries(specs)) {
    names.push(name);
    if (agg.kind === 'slab') {
      if (!Number.isInteger(agg.slots) || agg.slots < 0) throw new RangeError(`aggregation ${name}: slots must be a non-negative integer`);
      isSlab.push(true);
      position.push(slab.length);
      slab.push(agg);
      slabOffsets.push(slots);
      slots += agg.slots;
    } else if (agg.kind === 'object') {
      isSlab.push(false);
      position.push(objects.length);
      objects.push(agg);
    } else {
      throw new TypeError(`aggregation ${name}: kind must be 'slab' or 'object'`);
    }
  }
  return {
    names,
    isSlab,
    position,
    slab,
    slabOffsets,
    objects,
    slabSlots: slots,
    signature: names.map((n) => [n, specs[n]!.type] as const),
  };
}
