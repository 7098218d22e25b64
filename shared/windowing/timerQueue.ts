/**
 * Timers for many windows, fired in (time, window seq) order. Windows of one size share their
 * end times, so timers are bucketed by time: a binary heap of distinct times plus one flat array
 * of (slot, seq) pairs per time. No per-timer objects or closures.
 * Entries are never removed early: the engine checks, when a bucket fires, that the window in the
 * slot still has that seq and still wants that time (lazy deletion).
 */
export class TimerQueue {
  private readonly heap: number[] = [];
  private readonly buckets = new Map<number, number[]>();
  // Most adds go to the same time as the previous one (windows of one size share an end), and a
  // Map lookup with a double key costs a boxed number: remember the last bucket.
  private lastTime = Number.NaN;
  private lastBucket: number[] | undefined;

  get isEmpty(): boolean {
    return this.heap.length === 0;
  }

  /** Earliest pending time, Infinity when empty. */
  peekTime(): number {
    return this.heap.length === 0 ? Infinity : this.heap[0]!;
  }

  add(time: number, slot: number, seq: number): void {
    let bucket = time === this.lastTime ? this.lastBucket : this.buckets.get(time);
    if (bucket === undefined) {
      bucket = [];
      this.buckets.set(time, bucket);
      this.push(time);
    }
    this.lastTime = time;
    this.lastBucket = bucket;
    bucket.push(slot, seq);
  }

  /**
   * Removes the earliest bucket and returns its (slot, seq) pairs ordered by seq.
   * Call only when not empty.
   */
  popBucket(): number[] {
    const time = this.pop();
    const bucket = this.buckets.get(time)!;
    this.buckets.delete(time);
    if (time === this.lastTime) {
      this.lastTime = Number.NaN;
      this.lastBucket = undefined;
    }
    return sortPairsBySeq(bucket);
  }

  clear(): void {
    this.heap.length = 0;
    this.buckets.clear();
    this.lastTime = Number.NaN;
    this.lastBucket = undefined;
  }

  private push(time: number): void {
    const h = this.heap;
    let i = h.length;
    h.push(time);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (h[parent]! <= time) break;
      h[i] = h[parent]!;
      i = parent;
    }
    h[i] = time;
  }

  private pop(): number {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      let i = 0;
      const n = h.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && h[r]! < h[l]! ? r : l;
        if (h[c]! >= last) break;
        h[i] = h[c]!;
        i = c;
      }
      h[i] = last;
    }
    return top;
  }
}

function sortPairsBySeq(pairs: number[]): number[] {
  let sorted = true;
  for (let i = 3; i < pairs.length; i += 2) {
    if (pairs[i]! < pairs[i - 2]!) {
      sorted = false;
      break;
    }
  }
  if (sorted) return pairs;
  const order = Array.from({ length: pairs.length / 2 }, (_, k) => k);
  order.sort((a, b) => pairs[2 * a + 1]! - pairs[2 * b + 1]!);
  const out = new Array<number>(pairs.length);
  for (let k = 0; k < order.length; k++) {
    out[2 * k] = pairs[2 * order[k]!]!;
    out[2 * k + 1] = pairs[2 * order[k]! + 1]!;
  }
  return out;
}
