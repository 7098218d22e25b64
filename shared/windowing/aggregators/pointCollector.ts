import type { ObjectAggregator } from './aggregator.js';

export interface TimedPoint<P> {
  readonly t: number;
  readonly value: P;
}

/**
 * What a full collector keeps. All three depend only on the set of points seen, not on their
 * arrival order, so late data, replays and session merges give the same result.
 * - `downsample` (default): an even spread over the window. Points are grouped in time cells of
 *   2^level ms; only the earliest point of each cell is kept, and level is the smallest for which
 *   at most `capacity` cells are occupied. A dense 24 h track with capacity 512 keeps one point
 *   every ~4 min; a sparse track (one point an hour) keeps every point.
 * - `keep_first`: the `capacity` earliest points (by event time).
 * - `keep_last`: the `capacity` latest points.
 * Ties in event time are ordered by arrival.
 */
export type PointPolicy = 'downsample' | 'keep_first' | 'keep_last';

export interface PointBuffer<P> {
  level: number;
  t: number[];
  seq: number[];
  v: P[];
}

export interface PointCollectorOptions {
  /** most points kept per window, >= 2 */
  readonly capacity: number;
  readonly policy?: PointPolicy;
}

const MAX_LEVEL = 62;

function before(ta: number, sa: number, tb: number, sb: number): boolean {
  return ta < tb || (ta === tb && sa < sb);
}

/** First index whose point sorts after (t, seq). */
function insertionIndex<P>(b: PointBuffer<P>, t: number, seq: number): number {
  let lo = 0;
  let hi = b.t.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(t, seq, b.t[mid]!, b.seq[mid]!)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function cell(t: number, level: number): number {
  // Division by a power of two is exact in binary floating point.
  return Math.floor(t / 2 ** level);
}

/** Keep the first point of each occupied cell at the buffer's level. */
function compact<P>(b: PointBuffer<P>): void {
  let w = 0;
  let lastCell = Number.NaN;
  for (let r = 0; r < b.t.length; r++) {
    const c = cell(b.t[r]!, b.level);
    if (c === lastCell) continue;
    lastCell = c;
    b.t[w] = b.t[r]!;
    b.seq[w] = b.seq[r]!;
    b.v[w] = b.v[r]!;
    w++;
  }
  b.t.length = w;
  b.seq.length = w;
  b.v.length = w;
}

function coarsenUntilFits<P>(b: PointBuffer<P>, capacity: number): void {
  while (b.t.length > capacity && b.level < MAX_LEVEL) {
    b.level++;
    compact(b);
  }
}

function trim<P>(b: PointBuffer<P>, capacity: number, policy: PointPolicy): void {
  const excess = b.t.length - capacity;
  if (excess <= 0) return;
  if (policy === 'keep_first') {
    b.t.length = capacity;
    b.seq.length = capacity;
    b.v.length = capacity;
  } else {
    b.t.splice(0, excess);
    b.seq.splice(0, excess);
    b.v.splice(0, excess);
  }
}

function insertAt<P>(b: PointBuffer<P>, at: number, t: number, seq: number, x: P): void {
  if (at === b.t.length) {
    // in order, the usual case: push (splice would allocate an array of removed points per call)
    b.t.push(t);
    b.seq.push(seq);
    b.v.push(x);
  } else {
    b.t.splice(at, 0, t);
    b.seq.splice(at, 0, seq);
    b.v.splice(at, 0, x);
  }
}

/**
 * Bounded, time-ordered point collector (e.g. a vessel's track positions for feature extraction).
 * See PointPolicy for what it keeps when full. Point values must be JSON-serialisable (snapshots).
 */
export function points<T, P>(
  extract: (value: T) => P | undefined,
  options: PointCollectorOptions,
): ObjectAggregator<T, P, PointBuffer<P>, TimedPoint<P>[]> {
  const { capacity } = options;
  const policy = options.policy ?? 'downsample';
  if (!Number.isInteger(capacity) || capacity < 2) throw new RangeError(`points(): capacity must be an integer >= 2, got ${capacity}`);
  if (!['downsample', 'keep_first', 'keep_last'].includes(policy)) {
    throw new RangeError(`points(): unknown policy ${JSON.stringify(policy)}; use downsample, keep_first or keep_last`);
  }

  return {
    kind: 'object',
    type: `points:${policy}:${capacity}`,
    extract,
    create: () => ({ level: 0, t: [], seq: [], v: [] }),
    add(b, x, t, seq) {
      const n = b.t.length;
      const at = n === 0 || before(b.t[n - 1]!, b.seq[n - 1]!, t, seq) ? n : insertionIndex(b, t, seq);
      if (policy === 'downsample') {
        const c = cell(t, b.level);
        // At most one point per cell, the earliest: only the neighbours can share the cell.
        if (at > 0 && cell(b.t[at - 1]!, b.level) === c) return;
        if (at < n && cell(b.t[at]!, b.level) === c) {
          b.t[at] = t;
          b.seq[at] = seq;
          b.v[at] = x;
          return;
        }
        insertAt(b, at, t, seq, x);
        coarsenUntilFits(b, capacity);
        return;
      }
      if (n >= capacity && ((policy === 'keep_first' && at === n) || (policy === 'keep_last' && at === 0))) return;
      insertAt(b, at, t, seq, x);
      trim(b, capacity, policy);
    },
    merge(into, from) {
      if (policy === 'downsample' && from.level > into.level) {
        into.level = from.level;
        compact(into);
      }
      const t: number[] = [];
      const seq: number[] = [];
      const v: P[] = [];
      let i = 0;
      let j = 0;
      while (i < into.t.length || j < from.t.length) {
        const takeInto = j >= from.t.length || (i < into.t.length && before(into.t[i]!, into.seq[i]!, from.t[j]!, from.seq[j]!));
        if (takeInto) {
          t.push(into.t[i]!);
          seq.push(into.seq[i]!);
          v.push(into.v[i]!);
          i++;
        } else {
          t.push(from.t[j]!);
          seq.push(from.seq[j]!);
          v.push(from.v[j]!);
          j++;
        }
      }
      into.t = t;
      into.seq = seq;
      into.v = v;
      if (policy === 'downsample') {
        compact(into);
        coarsenUntilFits(into, capacity);
      } else {
        trim(into, capacity, policy);
      }
    },
    result(b) {
      const out: TimedPoint<P>[] = new Array(b.t.length);
      for (let i = 0; i < b.t.length; i++) out[i] = { t: b.t[i]!, value: b.v[i]! };
      return out;
    },
    toJSON: (b) => ({ level: b.level, t: b.t, seq: b.seq, v: b.v }),
    fromJSON(json) {
      const j = json as Partial<PointBuffer<P>>;
      if (!j || typeof j.level !== 'number' || !Array.isArray(j.t) || !Array.isArray(j.seq) || !Array.isArray(j.v) || j.t.length !== j.seq.length || j.t.length !== j.v.length) {
        throw new TypeError('points(): snapshot state is not {level, t[], seq[], v[]} of equal lengths');
      }
      return { level: j.level, t: [...j.t], seq: [...j.seq], v: [...j.v] };
    },
  };
}
