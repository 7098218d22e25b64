/**
 * Incremental aggregations, pluggable in two shapes:
 * - SlabAggregator: fixed number of float64 slots per window inside the engine's shared
 *   Float64Array (no per-window objects; this is what keeps 100k open windows small and fast).
 *   `add` only ever sees finite numbers: the engine skips null/undefined/NaN/±Infinity values, so an
 *   AIS "speed not available" simply does not count.
 * - ObjectAggregator: one JS object per window, for state that is not a fixed set of numbers
 *   (the point collector). Must round-trip through toJSON/fromJSON for snapshots.
 * Both must merge (session windows merge when an event bridges them).
 */
export interface SlabAggregator<T, R> {
  readonly kind: 'slab';
  /** stable type name, recorded in snapshots (e.g. `mean_variance`) */
  readonly type: string;
  readonly slots: number;
  readonly extract: (value: T) => number | null | undefined;
  init(state: Float64Array, at: number): void;
  /**
   * Folds one value into the window state at `at`. `input` holds [value, eventTime, arrival seq]
   * (see INPUT_*): a reused array rather than three number arguments, because doubles passed to a
   * call V8 does not inline are boxed, an allocation per event per aggregation.
   */
  add(state: Float64Array, at: number, input: Float64Array): void;
  /** fold the window at `from` into the window at `into` */
  merge(state: Float64Array, into: number, from: number): void;
  /** a fresh value each call: panes are handed to consumers who may keep them */
  result(state: Float64Array, at: number): R;
}

/** Positions in the `input` array given to SlabAggregator.add. */
export const INPUT_VALUE = 0;
export const INPUT_EVENT_TIME = 1;
export const INPUT_SEQ = 2;

export interface ObjectAggregator<T, X, S, R> {
  readonly kind: 'object';
  readonly type: string;
  /** return undefined to skip this event for this aggregation */
  readonly extract: (value: T) => X | undefined;
  create(): S;
  add(state: S, x: X, eventTime: number, seq: number): void;
  /** fold `from` into `into` (mutates `into`) */
  merge(into: S, from: S): void;
  result(state: S): R;
  toJSON(state: S): unknown;
  fromJSON(json: unknown): S;
}

// `any` here only so that specs with different value/state types fit one record type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Aggregator<T> = SlabAggregator<T, any> | ObjectAggregator<T, any, any, any>;

/** Aggregations keyed by the name their result gets in `pane.results`. */
export type AggregationSpecs<T> = Readonly<Record<string, Aggregator<T>>>;

export type ResultOf<A> =
  A extends SlabAggregator<never, infer R> ? R : A extends ObjectAggregator<never, unknown, unknown, infer R> ? R : never;

export type ResultsOf<A> = { readonly [K in keyof A]: ResultOf<A[K]> };
