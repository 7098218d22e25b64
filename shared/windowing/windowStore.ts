import type { CompiledAggregations } from './aggregators/layout.js';

/**
 * Open windows as rows of one Float64Array (struct-of-numbers, no per-window objects), so 100k
 * open windows cost a few hundred bytes each and updates touch one contiguous row.
 * Row layout: the metadata fields below, then the slab aggregations' slots (with one
 * mean/variance that is 16 doubles: 128 bytes, two cache lines).
 * Each key's windows form a singly linked list through NEXT, sorted by window start.
 */
export const START = 0;
export const END = 1;
/** events in the window (accumulating) or since the last pane (discarding) */
export const COUNT = 2;
/** min / max event time among those events (+Infinity / -Infinity when none) */
export const FIRST = 3;
export const LAST = 4;
/**
 * flags in the low 3 bits (ALIVE, FIRED, DIRTY), next pane index above them (STATE >>> 3); one
 * field instead of two saves 8 bytes per window. 0 means the slot is free.
 */
export const STATE = 5;
/** window seq: creation order, the tie-break for firing order */
export const SEQ = 6;
/** partition of the window's first event and the lowest offset it needs there */
export const PART = 7;
export const MINOFF = 8;
/** pending EARLY timer (processing time) or NaN */
export const EARLY = 9;
export const NEXT = 10;
/** the key's id (see WindowStore.keyId) */
export const KEY = 11;
export const META = 12;
/** added to STATE for each pane emitted */
export const PANE_STEP = 8;

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
  /** freed slots, reused first-freed first-used so that slots keep the order keys arrive in */
  private freeSlots: number[] = [];
  private freeHead = 0;
  /** per object aggregation, per slot */
  readonly objects: unknown[][];
  /** slot -> (partition -> lowest offset) for the rare window fed by more than one partition */
  readonly extraOffsets = new Map<number, Map<number, number>>();
  open = 0;

  /**
   * Keys get a small integer id; each id's windows form a list starting at keyHead[id]. Opening and
   * closing windows then never touches the hash map: one Map lookup per event, one insert per new
   * key. A key without windows keeps its id (it usually comes back for its next window; deleting
   * and re-inserting every key at each window boundary would churn and scramble the table): ids
   * empty since before the previous sweep are swept once empty keys outnumber the open windows.
   */
  private readonly keyIds = new Map<string, number>();
  private readonly keyNames: (string | undefined)[] = [];
  keyHead = new Int32Array(1024);
  /** sweep epoch in which the key lost its last window (-1: it has windows) */
  private keyEmptySince = new Int32Array(1024);
  private keyIdTop = 0;
  private readonly freeKeyIds: number[] = [];
  private emptyKeys = 0;
  private epoch = 0;
  private sweepAbove = 4096;

  constructor(readonly aggs: CompiledAggregations<T>) {
    this.stride = META + aggs.slabSlots;
    this.f = new Float64Array(0);
    this.objects = aggs.objects.map(() => []);
    this.grow();
  }

  private grow(): void {
    const next = Math.max(1024, this.capacity * 2);
    const f = new Float64Array(next * this.stride);
    f.set(this.f);
    this.f = f;
    this.capacity = next;
  }

  /** The key's id, or -1 if it has none. */
  keyId(key: string): number {
    const id = this.keyIds.get(key);
    return id === undefined ? -1 : id;
  }

  /** Registers a key (with no windows yet) and returns its id. */
  addKey(key: string): number {
    let id: number;
    if (this.freeKeyIds.length > 0) id = this.freeKeyIds.pop()!;
    else {
      id = this.keyIdTop++;
      if (id === this.keyHead.length) {
        const head = new Int32Array(id * 2);
        head.set(this.keyHead);
        this.keyHead = head;
        const since = new Int32Array(id * 2);
        since.set(this.keyEmptySince);
        this.keyEmptySince = since;
      }
    }
    this.keyIds.set(key, id);
    this.keyNames[id] = key;
    this.keyHead[id] = -1;
    this.keyEmptySince[id] = this.epoch;
    this.emptyKeys++;
    return id;
  }

  keyName(slot: number): string {
    return this.keyNames[this.f[slot * this.stride + KEY]!]!;
  }

  /** First window (smallest start) of key id `kid`, -1 if none or kid is -1. */
  head(kid: number): number {
    return kid === -1 ? -1 : this.keyHead[kid]!;
  }

  /** A fresh slot for key id `kid` with metadata zeroed, aggregation state initialised and ALIVE set. */
  alloc(kid: number): number {
    let slot: number;
    if (this.freeHead < this.freeSlots.length) {
      slot = this.freeSlots[this.freeHead++]!;
      if (this.freeHead === this.freeSlots.length) {
        this.freeSlots.length = 0;
        this.freeHead = 0;
      } else if (this.freeHead > 4096 && this.freeHead * 2 > this.freeSlots.length) {
        this.freeSlots = this.freeSlots.slice(this.freeHead);
        this.freeHead = 0;
      }
    } else {
      if (this.top === this.capacity) this.grow();
      slot = this.top++;
    }
    const f = this.f;
    const base = slot * this.stride;
    f[base + STATE] = ALIVE;
    f[base + KEY] = kid;
    f[base + NEXT] = -1;
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

  /** Frees the slot; the caller has already unlinked it (or relinked around it). */
  free(slot: number): void {
    this.f[slot * this.stride + STATE] = 0;
    for (let j = 0; j < this.objects.length; j++) this.objects[j]![slot] = undefined;
    if (this.extraOffsets.size > 0) this.extraOffsets.delete(slot);
    this.freeSlots.push(slot);
    this.open--;
  }

  next(slot: number): number {
    return this.f[slot * this.stride + NEXT]! | 0;
  }

  /** Makes `slot` the first window of key id `kid`. */
  setHead(kid: number, slot: number): void {
    const old = this.keyHead[kid]!;
    this.keyHead[kid] = slot;
    if (old === -1 && slot !== -1) {
      this.emptyKeys--;
      this.keyEmptySince[kid] = -1;
    } else if (old !== -1 && slot === -1) {
      this.keyEmptySince[kid] = this.epoch;
      if (++this.emptyKeys > this.sweepAbove && this.emptyKeys > this.open) this.sweepEmptyKeys();
    }
  }

  /** Inserts `slot` after `prev` (-1: first) in its key's list. */
  linkAfter(prev: number, slot: number): void {
    const f = this.f;
    if (prev === -1) {
      const kid = f[slot * this.stride + KEY]!;
      f[slot * this.stride + NEXT] = this.keyHead[kid]!;
      this.setHead(kid, slot);
    } else {
      f[slot * this.stride + NEXT] = f[prev * this.stride + NEXT]!;
      f[prev * this.stride + NEXT] = slot;
    }
  }

  unlink(slot: number): void {
    const f = this.f;
    const stride = this.stride;
    const kid = f[slot * stride + KEY]!;
    let prev = -1;
    let cur = this.keyHead[kid]!;
    while (cur !== -1 && cur !== slot) {
      prev = cur;
      cur = f[cur * stride + NEXT]! | 0;
    }
    if (cur === -1) return;
    const after = f[slot * stride + NEXT]! | 0;
    if (prev === -1) this.setHead(kid, after);
    else f[prev * stride + NEXT] = after;
  }

  private sweepEmptyKeys(): void {
    let kept = 0;
    for (const [key, id] of this.keyIds) {
      if (this.keyHead[id] !== -1) continue;
      if (this.keyEmptySince[id]! === this.epoch) {
        kept++;
        continue;
      }
      this.keyIds.delete(key);
      this.keyNames[id] = undefined;
      this.freeKeyIds.push(id);
    }
    this.epoch++;
    this.emptyKeys = kept;
    this.sweepAbove = kept + Math.max(4096, this.open);
  }

  /** Keys known to the store (with or without open windows), for tests and metrics. */
  get keyCount(): number {
    return this.keyIds.size;
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
      if (f[base + STATE] !== 0 && f[base + PART] === partition && f[base + MINOFF]! < lowest) lowest = f[base + MINOFF]!;
    }
    for (const extra of this.extraOffsets.values()) {
      const o = extra.get(partition);
      if (o !== undefined && o < lowest) lowest = o;
    }
    return lowest === Infinity ? undefined : lowest;
  }

  /** Every live slot, in slot order. */
  *liveSlots(): Generator<number> {
    for (let s = 0; s < this.top; s++) if (this.f[s * this.stride + STATE] !== 0) yield s;
  }
}
