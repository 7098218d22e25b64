import type { CompiledAggregations } from './aggregators/layout.js';

/**
 * Open windows as rows of one Float64Array (struct-of-numbers, no per-window objects), so 100k
 * open windows cost a few hundred bytes each and updates touch one contiguous row.
 * Row layout: the metadata fields below, then the slab aggregations' slots.
 * Each key's windows form a singly linked list through NEXT, sorted by window start.
 */
export const START = 0;
export const END = 1;
/** events in the window (accumulating) or since the last pane (discarding) */
export const COUNT = 2;
/** min / max event time among those events (+Infinity / -Infinity when none) */
export const FIRST = 3;
export const LAST = 4;
/** next pane index */
export const PANE = 5;
export const FLAGS = 6;
/** window seq: creation order, the tie-break for firing order */
export const SEQ = 7;
/** partition of the window's first event and the lowest offset it needs there */
export const PART = 8;
export const MINOFF = 9;
/** pending EARLY timer (processing time) or NaN */
export const EARLY = 10;
export const NEXT = 11;
export const META = 12;

export const ALIVE = 1;
/** the watermark has passed the end: ON_TIME pane emitted (or the window was born late) */
export const FIRED = 2;
/** changed since the last pane */
export const DIRTY = 4;

export class WindowStore<T> {
  readonly stride: number;
  f: Float64Array;
  private capacity = 0;
  /** slots ever handed out */
  top = 0;
  private readonly freeSlots: number[] = [];
  readonly keys: (string | undefined)[] = [];
  /** per object aggregation, per slot */
  readonly objects: unknown[][];
  /**
   * key -> first window slot (smallest start), -1 for a key with no open window. Keys stay in the
   * map while they come and go (deleting and re-inserting 100k keys at every window boundary
   * churns the hash table); empty keys are swept once they outnumber the open windows.
   */
  readonly heads = new Map<string, number>();
  private emptyKeys = 0;
  /** slot -> (partition -> lowest offset) for the rare window fed by more than one partition */
  readonly extraOffsets = new Map<number, Map<number, number>>();
  open = 0;

  constructor(readonly aggs: CompiledAggregations<T>) {
    this.stride = META + aggs.slabSlots;
    this.f = new Float64Array(0);
    this.objects = aggs.objects.map(() => []);
    this.grow();
  }

  private grow(): void {
    const next = Math.max(1024, Math.ceil(this.capacity * 1.5));
    const f = new Float64Array(next * this.stride);
    f.set(this.f);
    this.f = f;
    this.capacity = next;
  }

  /** A fresh slot with metadata zeroed, aggregation state initialised and ALIVE set. */
  alloc(key: string): number {
    let slot: number;
    if (this.freeSlots.length > 0) slot = this.freeSlots.pop()!;
    else {
      if (this.top === this.capacity) this.grow();
      slot = this.top++;
    }
    this.keys[slot] = key;
    const f = this.f;
    const base = slot * this.stride;
    f[FLAGS + base] = ALIVE;
    this.resetContents(slot);
    this.open++;
    return slot;
  }

  /** Clears what a pane reports (count, event-time range, aggregations); keeps identity. */
  resetContents(slot: number): void {
    const f = this.f;
    const base = slot * this.stride;
    f[base + COUNT] = 0;
    f[base + FIRST] = Infinity;
    f[base + LAST] = -Infinity;
    const a = this.aggs;
    for (let i = 0; i < a.slab.length; i++) a.slab[i]!.init(f, base + META + a.slabOffsets[i]!);
    for (let j = 0; j < a.objects.length; j++) this.objects[j]![slot] = a.objects[j]!.create();
  }

  /** Frees the slot; the caller has already unlinked it from its key's list. */
  free(slot: number): void {
    this.f[slot * this.stride + FLAGS] = 0;
    this.keys[slot] = undefined;
    for (let j = 0; j < this.objects.length; j++) this.objects[j]![slot] = undefined;
    this.extraOffsets.delete(slot);
    this.freeSlots.push(slot);
    this.open--;
  }

  head(key: string): number {
    const h = this.heads.get(key);
    return h === undefined ? -1 : h;
  }

  next(slot: number): number {
    return this.f[slot * this.stride + NEXT]!;
  }

  /** Inserts `slot` after `prev` (-1: at the head, where `head` is the key's current head) in key's list. */
  linkAfter(key: string, prev: number, slot: number, head: number): void {
    const f = this.f;
    if (prev === -1) {
      f[slot * this.stride + NEXT] = head;
      if (head === -1 && this.heads.has(key)) this.emptyKeys--;
      this.heads.set(key, slot);
    } else {
      f[slot * this.stride + NEXT] = f[prev * this.stride + NEXT]!;
      f[prev * this.stride + NEXT] = slot;
    }
  }

  unlink(key: string, slot: number): void {
    const f = this.f;
    const stride = this.stride;
    let prev = -1;
    let cur = this.head(key);
    while (cur !== -1 && cur !== slot) {
      prev = cur;
      cur = f[cur * stride + NEXT]!;
    }
    if (cur === -1) return;
    const after = f[slot * stride + NEXT]!;
    if (prev === -1) {
      this.heads.set(key, after);
      if (after === -1 && ++this.emptyKeys > Math.max(4096, this.open)) this.sweepEmptyKeys();
    } else f[prev * stride + NEXT] = after;
  }

  private sweepEmptyKeys(): void {
    for (const [key, head] of this.heads) if (head === -1) this.heads.delete(key);
    this.emptyKeys = 0;
  }

  /** Records that the window needs `offset` of `partition`. */
  noteOffset(slot: number, partition: number, offset: number): void {
    const f = this.f;
    const base = slot * this.stride;
    if (f[base + PART] === partition) {
      if (offset < f[base + MINOFF]!) f[base + MINOFF] = offset;
      return;
    }
    let extra = this.extraOffsets.get(slot);
    if (extra === undefined) {
      extra = new Map();
      this.extraOffsets.set(slot, extra);
    }
    const old = extra.get(partition);
    if (old === undefined || offset < old) extra.set(partition, offset);
  }

  /** Lowest offset of `partition` that some open window needs; O(open windows). */
  lowestNeededOffset(partition: number): number | undefined {
    const f = this.f;
    const stride = this.stride;
    let lowest = Infinity;
    for (let s = 0, base = 0; s < this.top; s++, base += stride) {
      if (f[base + FLAGS] !== 0 && f[base + PART] === partition && f[base + MINOFF]! < lowest) lowest = f[base + MINOFF]!;
    }
    for (const extra of this.extraOffsets.values()) {
      const o = extra.get(partition);
      if (o !== undefined && o < lowest) lowest = o;
    }
    return lowest === Infinity ? undefined : lowest;
  }

  /** Every live slot, in slot order. */
  *liveSlots(): Generator<number> {
    for (let s = 0; s < this.top; s++) if (this.f[s * this.stride + FLAGS] !== 0) yield s;
  }
}
