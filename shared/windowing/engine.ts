import { INPUT_EVENT_TIME, INPUT_SEQ, INPUT_VALUE, type AggregationSpecs, type ResultsOf } from './aggregators/aggregator.js';
import { compileAggregations, type CompiledAggregations } from './aggregators/layout.js';
import type { WindowingConfig } from './config.js';
import { zeroCounters, type WindowCounters } from './counters.js';
import type { WindowEvent } from './event.js';
import type { Pane, PaneTiming } from './pane.js';
import { mergeSessionState } from './sessionMerger.js';
import { futureDetail, lateDetail, MAX_EVENT_TIME, type SideOutputReason } from './sideOutput.js';
import type { WindowSink } from './sink.js';
import { decodeNumber, encodeNumber, SNAPSHOT_FORMAT, type SnapshotWindow, type WindowEngineSnapshot } from './snapshot.js';
import { TimerQueue } from './timerQueue.js';
import { WatermarkTracker } from './watermarkTracker.js';
import { alignDown, firstSlidingStart } from './windowAssigner.js';
import { ALIVE, COUNT, DIRTY, EARLY, END, FIRED, FIRST, KEY, LAST, META, MINOFF, NEXT, PANE_STEP, PART, SEQ, START, STATE, WindowStore } from './windowStore.js';

export interface WindowEngineOptions<T, A extends AggregationSpecs<T>> {
  readonly config: WindowingConfig;
  readonly aggregations: A;
  readonly sink: WindowSink<T, ResultsOf<A>>;
  /** the processing clock at start, epoch ms (the engine never reads a real clock) */
  readonly processingTime: number;
}

const TUMBLING = 0;
const SLIDING = 1;
const SESSION = 2;

/**
 * Event-time windowing for one stage: tumbling, sliding or session windows per key, per-partition
 * watermarks with idleness, allowed lateness, EARLY/ON_TIME/LATE panes, pluggable incremental
 * aggregations, and a recovery contract (lowestNeededOffset / snapshot / restore).
 *
 * Fully deterministic: it reads no clock. Output goes synchronously to the sink, so the same
 * calls in the same order give byte-identical output. Order of output within one call:
 * - process(): LATE panes of the event's windows (by window start), then any windows the
 *   event's watermark advance fired.
 * - timers fire in (timer time, window seq) order; window seq is window creation order.
 * - advanceProcessingTime(): watermark-driven panes first (idleness), then EARLY panes.
 * See README.md for the full semantics.
 */
export class WindowEngine<T, A extends AggregationSpecs<T>> {
  readonly config: WindowingConfig;
  private readonly aggs: CompiledAggregations<T>;
  private readonly sink: WindowSink<T, ResultsOf<A>>;
  private readonly store: WindowStore<T>;
  private readonly tracker: WatermarkTracker;
  private readonly eventTimers = new TimerQueue();
  private readonly earlyTimers = new TimerQueue();
  private now: number;
  private nextWindowSeq = 0;
  private readonly c: WindowCounters = zeroCounters();

  private readonly kind: number;
  private readonly sizeMs: number;
  private readonly periodMs: number;
  private readonly offsetMs: number;
  private readonly gapMs: number;
  private readonly latenessMs: number;
  private readonly futureSkewMs: number;
  private readonly earlyEveryMs: number;
  private readonly discarding: boolean;

  /** extracted values of the current event, one per slab / object aggregation */
  private readonly xs: Float64Array;
  private readonly xOk: Uint8Array;
  /** [value, eventTime, seq] handed to SlabAggregator.add */
  private readonly input = new Float64Array(3);
  private readonly os: unknown[];
  /** scratch list of session slots being merged */
  private readonly run: number[] = [];

  // The event being processed. Kept in fields rather than passed as arguments: a double passed to
  // (or returned from) a call V8 does not inline is boxed, i.e. several allocations per event.
  // Writes to a double field mutate it in place.
  private evTime = 0;
  private evSeq = 0;
  private evPartition = 0;
  private evOffset = 0;
  /** stage watermark before the event */
  private evWatermark = 0;
  private winStart = 0;
  private winEnd = 0;

  constructor(options: WindowEngineOptions<T, A>) {
    const { config } = options;
    if (!Number.isFinite(options.processingTime)) throw new RangeError('WindowEngine: processingTime must be a finite epoch-ms number');
    this.config = config;
    this.aggs = compileAggregations(options.aggregations);
    this.sink = options.sink;
    this.store = new WindowStore(this.aggs);
    this.tracker = new WatermarkTracker(config.watermark.maxOutOfOrdernessMs, config.watermark.idleTimeoutMs, config.watermark.advanceWhenIdle);
    this.now = options.processingTime;
    this.tracker.now = this.now;
    const w = config.window;
    this.kind = w.kind === 'tumbling' ? TUMBLING : w.kind === 'sliding' ? SLIDING : SESSION;
    this.sizeMs = w.kind === 'session' ? 0 : w.sizeMs;
    this.periodMs = w.kind === 'sliding' ? w.periodMs : w.kind === 'tumbling' ? w.sizeMs : 0;
    this.offsetMs = w.kind === 'session' ? 0 : w.offsetMs;
    this.gapMs = w.kind === 'session' ? w.gapMs : 0;
    this.latenessMs = config.allowedLatenessMs;
    this.futureSkewMs = config.maxFutureSkewMs;
    this.earlyEveryMs = config.trigger.earlyEveryMs ?? 0;
    this.discarding = config.accumulation === 'discarding';
    this.xs = new Float64Array(this.aggs.slab.length);
    this.xOk = new Uint8Array(this.aggs.slab.length);
    this.os = new Array(this.aggs.objects.length);
  }

  // ---------------------------------------------------------------- input

  /** Feeds one event at the current processing time. */
  process(e: WindowEvent<T>): void {
    const seq = this.c.eventsIn++;
    const p = e.partition;
    if (!Number.isInteger(p) || p < 0 || typeof e.offset !== 'number' || Number.isNaN(e.offset)) {
      this.route('invalid', e, `partition must be a non-negative integer and offset a number (got partition ${String(p)}, offset ${String(e.offset)})`);
      return;
    }
    const tracker = this.tracker;
    const pi = tracker.indexOf(p) ?? tracker.ensure(p, this.now);
    const processed = tracker.processedThrough;
    if (e.offset <= processed[pi]!) {
      // Already handled before a restore (the consumer replays from its committed offset).
      this.c.duplicatesSkipped++;
      return;
    }
    processed[pi] = e.offset;
    const t = e.eventTime;
    if (typeof t !== 'number' || !(t >= -MAX_EVENT_TIME && t <= MAX_EVENT_TIME)) {
      this.route('invalid', e, `event time ${String(t)} is not a finite epoch-ms date`);
      return;
    }
    if (t > this.now + this.futureSkewMs) {
      this.route('future', e, futureDetail(t, this.now, this.futureSkewMs));
      return;
    }
    const problem = this.extract(e.value);
    if (problem !== null) {
      this.route('invalid', e, `value extractor failed: ${problem}`);
      return;
    }
    this.evTime = t;
    this.evSeq = seq;
    this.evPartition = p;
    this.evOffset = e.offset;
    const W = tracker.watermark;
    this.evWatermark = W;
    let accepted: boolean;
    if (this.kind === TUMBLING) {
      const r = (t - this.offsetMs) % this.sizeMs;
      const start = t - (r < 0 ? r + this.sizeMs : r);
      accepted = this.assignFixed(e.key, start, start);
    } else if (this.kind === SLIDING) {
      accepted = this.assignFixed(e.key, firstSlidingStart(t, this.sizeMs, this.periodMs, this.offsetMs), alignDown(t, this.periodMs, this.offsetMs));
    } else accepted = this.assignSession(e.key);
    if (accepted) this.c.eventsAccepted++;
    else this.route('late', e, lateDetail(t, W, this.latenessMs));
    tracker.eventTime = t;
    if (tracker.observe(pi)) this.fireEventTimers();
  }

  processBatch(events: Iterable<WindowEvent<T>>): void {
    for (const e of events) this.process(e);
  }

  /**
   * Moves the processing clock forward (never back: a smaller value is ignored). Partitions may
   * become idle, which can advance the watermark and fire windows; then due EARLY panes fire.
   */
  advanceProcessingTime(now: number): void {
    if (!(now > this.now)) return;
    this.now = now;
    if (this.tracker.recompute(now)) this.fireEventTimers();
    if (this.earlyEveryMs > 0) this.fireEarlyTimers();
  }

  /** Raises the watermark to at least t (it never moves back). */
  advanceWatermarkTo(t: number): void {
    if (this.tracker.advanceTo(t)) this.fireEventTimers();
  }

  /**
   * Declares a partition this stage reads before it has sent anything, so that it holds the
   * watermark back (until idle_timeout) instead of its first events arriving already late.
   */
  addPartition(partition: number): void {
    if (!Number.isInteger(partition) || partition < 0) throw new RangeError(`addPartition: partition must be a non-negative integer, got ${partition}`);
    if (this.tracker.indexOf(partition) === undefined) this.tracker.ensure(partition, this.now);
  }

  /**
   * End of input: the watermark goes to +Infinity, so every open window fires its remaining
   * panes (ON_TIME and/or the final pane) in the usual order. Later events are routed as late.
   */
  flushAll(): void {
    if (this.tracker.advanceTo(Infinity)) this.fireEventTimers();
  }

  // ---------------------------------------------------------------- state for consumers

  get watermark(): number {
    return this.tracker.watermark;
  }

  get processingTime(): number {
    return this.now;
  }

  counters(): WindowCounters {
    return { ...this.c, openWindows: this.store.open };
  }

  /** Partitions seen or declared, with their watermark inputs and processed positions. */
  partitions() {
    return this.tracker.partitions();
  }

  isIdle(partition: number): boolean {
    return this.tracker.isIdle(partition, this.now);
  }

  /** Lowest offset of `partition` that an open window still needs (undefined: none). O(open windows). */
  lowestNeededOffset(partition: number): number | undefined {
    return this.store.lowestNeededOffset(partition);
  }

  /**
   * The offset a consumer may commit for `partition` (Kafka semantics: the next offset to read)
   * once everything emitted so far has landed: lowestNeededOffset, or one past the highest offset
   * processed when no open window needs the partition. undefined if nothing was processed.
   */
  resumeOffset(partition: number): number | undefined {
    const i = this.tracker.indexOf(partition);
    if (i === undefined) return undefined;
    const lowest = this.store.lowestNeededOffset(partition);
    if (lowest !== undefined) return lowest;
    const processed = this.tracker.processedThrough[i]!;
    return processed === -Infinity ? undefined : processed + 1;
  }

  // ---------------------------------------------------------------- assignment

  /** Returns an error message when an extractor throws, else null. */
  private extract(value: T): string | null {
    const a = this.aggs;
    try {
      for (let i = 0; i < a.slab.length; i++) {
        const x = a.slab[i]!.extract(value);
        if (typeof x === 'number' && x - x === 0) {
          this.xs[i] = x;
          this.xOk[i] = 1;
        } else this.xOk[i] = 0;
      }
      for (let j = 0; j < a.objects.length; j++) this.os[j] = a.objects[j]!.extract(value);
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
    return null;
  }

  /**
   * Tumbling and sliding: windows [s, s + size) for s = firstStart, firstStart + period, ..., lastStart
   * (tumbling: one window). Walks the key's start-sorted list once.
   */
  private assignFixed(key: string, firstStart: number, lastStart: number): boolean {
    const store = this.store;
    const stride = store.stride;
    const L = this.latenessMs;
    const size = this.sizeMs;
    const W = this.evWatermark;
    let accepted = false;
    let prev = -1;
    let kid = store.keyId(key);
    let cur = store.head(kid);
    for (let s = firstStart; s <= lastStart; s += this.periodMs) {
      const end = s + size;
      if (end + L <= W) continue; // this window has expired
      const f = store.f;
      while (cur !== -1 && f[cur * stride + START]! < s) {
        prev = cur;
        cur = f[cur * stride + NEXT]! | 0;
      }
      let slot: number;
      if (cur !== -1 && f[cur * stride + START] === s) {
        slot = cur;
      } else {
        this.winStart = s;
        this.winEnd = end;
        if (kid === -1) kid = store.addKey(key);
        slot = this.openWindow(kid, prev);
        prev = slot;
      }
      this.addEvent(slot);
      this.afterAdd(slot);
      accepted = true;
    }
    return accepted;
  }

  /**
   * Session: the event's proto-window [t, t + gap) merges with every session of the key it
   * overlaps. The event is late only if it overlaps no open session and its own proto-window has
   * expired.
   */
  private assignSession(key: string): boolean {
    const t = this.evTime;
    const W = this.evWatermark;
    const store = this.store;
    const stride = store.stride;
    const L = this.latenessMs;
    const protoEnd = t + this.gapMs;
    let f = store.f;
    let prev = -1;
    const kid = store.keyId(key);
    let cur = store.head(kid);
    while (cur !== -1 && f[cur * stride + END]! <= t) {
      prev = cur;
      cur = f[cur * stride + NEXT]! | 0;
    }
    if (cur === -1 || f[cur * stride + START]! >= protoEnd) {
      if (protoEnd + L <= W) return false;
      this.winStart = t;
      this.winEnd = protoEnd;
      const slot = this.openWindow(kid === -1 ? store.addKey(key) : kid, prev);
      this.addEvent(slot);
      this.afterAdd(slot);
      return true;
    }
    // Overlapping sessions are consecutive in the start-sorted list.
    const run = this.run;
    run.length = 0;
    while (cur !== -1 && f[cur * stride + START]! < protoEnd) {
      run.push(cur);
      cur = f[cur * stride + NEXT]! | 0;
    }
    const after = cur;
    let survivor = run[0]!;
    for (const s of run) if (f[s * stride + SEQ]! < f[survivor * stride + SEQ]!) survivor = s;
    const sb = survivor * stride;
    const oldTimer = this.eventTimerOf(survivor);
    const oldEarly = f[sb + EARLY]!;
    const mergedStart = Math.min(t, f[run[0]! * stride + START]!);
    const mergedEnd = Math.max(protoEnd, f[run[run.length - 1]! * stride + END]!);
    for (const s of run) {
      if (s === survivor) continue;
      mergeSessionState(store, survivor, s);
      store.free(s);
    }
    f = store.f;
    f[sb + START] = mergedStart;
    f[sb + END] = mergedEnd;
    // Relink: prev -> survivor -> after.
    f[sb + NEXT] = after;
    if (prev === -1) store.setHead(kid, survivor);
    else f[prev * stride + NEXT] = survivor;
    if (mergedEnd <= W) f[sb + STATE] = f[sb + STATE]! | FIRED;
    else f[sb + STATE] = f[sb + STATE]! & ~FIRED;
    // A session's timer mostly moves later as it grows; the pending entry then fires first and
    // re-registers at the new time (fireEventTimers), so a growing session costs no heap insert per
    // event. Only an earlier timer (a fired session reopened by a merge) needs a new entry now.
    const timer = this.eventTimerOf(survivor);
    if (timer < oldTimer) this.eventTimers.add(timer, survivor, f[sb + SEQ]!);
    this.addEvent(survivor);
    if ((f[sb + STATE]! & FIRED) !== 0) {
      f[sb + EARLY] = Number.NaN;
      this.emit(survivor, 'LATE', false);
    } else if (this.earlyEveryMs > 0) {
      if (Number.isNaN(f[sb + EARLY]!)) f[sb + EARLY] = this.now + this.earlyEveryMs;
      const early = f[sb + EARLY]!;
      if (early !== oldEarly) this.earlyTimers.add(early, survivor, f[sb + SEQ]!);
    }
    return true;
  }

  /** The event-time timer a live window waits for: its end, or end + lateness once fired. */
  private eventTimerOf(slot: number): number {
    const f = this.store.f;
    const base = slot * this.store.stride;
    return (f[base + STATE]! & FIRED) !== 0 ? f[base + END]! + this.latenessMs : f[base + END]!;
  }

  /** A new window [winStart, winEnd) for key id `kid`, linked after `prev` (-1: first). */
  private openWindow(kid: number, prev: number): number {
    const store = this.store;
    const slot = store.alloc(kid);
    const f = store.f;
    const base = slot * store.stride;
    const seq = this.nextWindowSeq++;
    const end = this.winEnd;
    f[base + START] = this.winStart;
    f[base + END] = end;
    f[base + SEQ] = seq;
    f[base + PART] = this.evPartition;
    f[base + MINOFF] = this.evOffset;
    f[base + EARLY] = Number.NaN;
    store.linkAfter(prev, slot);
    this.c.windowsOpened++;
    if (end <= this.evWatermark) {
      // Born behind the watermark (but within lateness): its first pane is LATE.
      f[base + STATE] = ALIVE | FIRED;
      this.eventTimers.add(end + this.latenessMs, slot, seq);
    } else {
      this.eventTimers.add(end, slot, seq);
    }
    return slot;
  }

  private addEvent(slot: number): void {
    const t = this.evTime;
    const seq = this.evSeq;
    const p = this.evPartition;
    const offset = this.evOffset;
    const store = this.store;
    const f = store.f;
    const base = slot * store.stride;
    f[base + COUNT]! += 1;
    if (t < f[base + FIRST]!) f[base + FIRST] = t;
    if (t > f[base + LAST]!) f[base + LAST] = t;
    const flags = f[base + STATE]!;
    if ((flags & DIRTY) === 0) f[base + STATE] = flags | DIRTY;
    // Offsets only grow within a partition (smaller ones are skipped as replays), so the window's
    // first offset from its own partition is already the lowest it needs there.
    if (f[base + PART] !== p) store.noteOffset(slot, p, offset);
    const a = this.aggs;
    const at = base + META;
    const input = this.input;
    input[INPUT_EVENT_TIME] = t;
    input[INPUT_SEQ] = seq;
    for (let i = 0; i < a.slab.length; i++) {
      if (this.xOk[i] === 1) {
        input[INPUT_VALUE] = this.xs[i]!;
        a.slab[i]!.add(f, at + a.slabOffsets[i]!, input);
      }
    }
    for (let j = 0; j < a.objects.length; j++) {
      const x = this.os[j];
      if (x !== undefined) a.objects[j]!.add(store.objects[j]![slot], x, t, seq);
    }
  }

  /** After an event landed in a fixed window: a LATE pane if it had fired, else maybe an EARLY timer. */
  private afterAdd(slot: number): void {
    const f = this.store.f;
    const base = slot * this.store.stride;
    if ((f[base + STATE]! & FIRED) !== 0) this.emit(slot, 'LATE', false);
    else if (this.earlyEveryMs > 0 && Number.isNaN(f[base + EARLY]!)) {
      const at = this.now + this.earlyEveryMs;
      f[base + EARLY] = at;
      this.earlyTimers.add(at, slot, f[base + SEQ]!);
    }
  }

  // ---------------------------------------------------------------- firing

  private fireEventTimers(): void {
    const W = this.tracker.watermark;
    const q = this.eventTimers;
    const store = this.store;
    const stride = store.stride;
    const L = this.latenessMs;
    while (!q.isEmpty && q.peekTime() <= W) {
      const time = q.peekTime();
      const pairs = q.popBucket();
      for (let k = 0; k < pairs.length; k += 2) {
        const slot = pairs[k]!;
        const base = slot * stride;
        const f = store.f;
        const flags = f[base + STATE]!;
        if (flags === 0 || f[base + SEQ] !== pairs[k + 1]) continue;
        const end = f[base + END]!;
        const due = (flags & FIRED) === 0 ? end : end + L;
        if (due !== time) {
          // The window's timer moved later (a session grew): wait for the new time.
          if (due > time) q.add(due, slot, f[base + SEQ]!);
          continue;
        }
        if ((flags & FIRED) === 0) {
          const isFinal = end + L <= W;
          f[base + EARLY] = Number.NaN;
          this.emit(slot, 'ON_TIME', isFinal);
          if (isFinal) this.close(slot);
          else {
            f[base + STATE] = f[base + STATE]! | FIRED;
            q.add(end + L, slot, f[base + SEQ]!);
          }
        } else {
          this.emit(slot, 'LATE', true);
          this.close(slot);
        }
      }
    }
  }

  private fireEarlyTimers(): void {
    const q = this.earlyTimers;
    const store = this.store;
    const stride = store.stride;
    while (!q.isEmpty && q.peekTime() <= this.now) {
      const time = q.peekTime();
      const pairs = q.popBucket();
      for (let k = 0; k < pairs.length; k += 2) {
        const slot = pairs[k]!;
        const base = slot * stride;
        const f = store.f;
        const flags = f[base + STATE]!;
        if (flags === 0 || f[base + SEQ] !== pairs[k + 1] || (flags & FIRED) !== 0 || f[base + EARLY] !== time) continue;
        f[base + EARLY] = Number.NaN;
        if ((flags & DIRTY) !== 0) this.emit(slot, 'EARLY', false);
      }
    }
  }

  private emit(slot: number, timing: PaneTiming, isFinal: boolean): void {
    const store = this.store;
    const f = store.f;
    const base = slot * store.stride;
    const count = f[base + COUNT]!;
    const pane: Pane<ResultsOf<A>> = {
      key: store.keyName(slot),
      windowStart: f[base + START]!,
      windowEnd: f[base + END]!,
      paneIndex: f[base + STATE]! >>> 3,
      timing,
      isFinal,
      eventCount: count,
      firstEventTime: count > 0 ? f[base + FIRST]! : null,
      lastEventTime: count > 0 ? f[base + LAST]! : null,
      results: this.results(slot, base),
    };
    f[base + STATE] = (f[base + STATE]! & ~DIRTY) + PANE_STEP;
    if (timing === 'ON_TIME') this.c.panesOnTime++;
    else if (timing === 'LATE') this.c.panesLate++;
    else this.c.panesEarly++;
    if (isFinal) this.c.finalPanes++;
    if (this.discarding && !isFinal) store.resetContents(slot);
    this.sink.pane(pane);
  }

  private results(slot: number, base: number): ResultsOf<A> {
    const a = this.aggs;
    const f = this.store.f;
    const out: Record<string, unknown> = {};
    for (let i = 0; i < a.names.length; i++) {
      const pos = a.position[i]!;
      out[a.names[i]!] = a.isSlab[i] ? a.slab[pos]!.result(f, base + META + a.slabOffsets[pos]!) : a.objects[pos]!.result(this.store.objects[pos]![slot]);
    }
    return out as ResultsOf<A>;
  }

  private close(slot: number): void {
    const store = this.store;
    store.unlink(slot);
    store.free(slot);
  }

  private route(reason: SideOutputReason, event: WindowEvent<T>, detail: string): void {
    if (reason === 'late') this.c.lateRouted++;
    else if (reason === 'future') this.c.futureRouted++;
    else this.c.invalidRouted++;
    this.sink.sideOutput({ reason, event, watermark: this.tracker.watermark, processingTime: this.now, detail });
  }

  // ---------------------------------------------------------------- snapshot / restore

  /** The whole state as JSON-serialisable data. Take it between calls, after landing the output. */
  snapshot(): WindowEngineSnapshot {
    const store = this.store;
    const f = store.f;
    const stride = store.stride;
    const slots = [...store.liveSlots()].sort((x, y) => f[x * stride + SEQ]! - f[y * stride + SEQ]!);
    const windows: SnapshotWindow[] = slots.map((slot) => {
      const base = slot * stride;
      const row: (number | string)[] = [];
      for (let k = 0; k < stride; k++) if (k !== NEXT && k !== KEY) row.push(encodeNumber(f[base + k]!));
      const extra = store.extraOffsets.get(slot);
      return {
        key: store.keyName(slot),
        row,
        extraOffsets: extra ? [...extra.entries()].sort((x, y) => x[0] - y[0]) : [],
        objects: this.aggs.objects.map((agg, j) => agg.toJSON(store.objects[j]![slot])),
      };
    });
    const wm = this.tracker.state();
    return {
      format: SNAPSHOT_FORMAT,
      config: this.config,
      aggregations: this.aggs.signature,
      processingTime: encodeNumber(this.now),
      watermark: encodeNumber(wm.stage),
      manualWatermark: encodeNumber(wm.manual),
      partitions: wm.partitions.map((p) => [p.partition, encodeNumber(p.maxEventTime), encodeNumber(p.lastActivity), encodeNumber(p.processedThrough)] as const),
      nextWindowSeq: this.nextWindowSeq,
      counters: this.counters(),
      windows,
    };
  }

  /**
   * Loads a snapshot into a fresh engine built with the same config and aggregations. Afterwards
   * events at or below each partition's processed offset are skipped as replays, so a consumer
   * can restore and then read from its committed offsets.
   */
  restore(snapshot: WindowEngineSnapshot): void {
    if (this.c.eventsIn > 0 || this.tracker.partitionCount > 0) throw new Error('WindowEngine.restore: engine already has state; restore into a new engine');
    if (snapshot?.format !== SNAPSHOT_FORMAT) throw new Error(`WindowEngine.restore: unknown snapshot format ${JSON.stringify(snapshot?.format)}; expected ${SNAPSHOT_FORMAT}`);
    if (JSON.stringify(snapshot.config) !== JSON.stringify(this.config)) {
      throw new Error(`WindowEngine.restore: snapshot was taken with a different windowing config (${JSON.stringify(snapshot.config)}); restoring it would mix window definitions`);
    }
    if (JSON.stringify(snapshot.aggregations) !== JSON.stringify(this.aggs.signature)) {
      throw new Error(`WindowEngine.restore: snapshot aggregations ${JSON.stringify(snapshot.aggregations)} differ from the engine's ${JSON.stringify(this.aggs.signature)}`);
    }
    this.now = decodeNumber(snapshot.processingTime);
    this.tracker.restore(
      {
        stage: decodeNumber(snapshot.watermark),
        manual: decodeNumber(snapshot.manualWatermark),
        partitions: snapshot.partitions.map(([partition, m, l, o]) => ({
          partition,
          maxEventTime: decodeNumber(m),
          lastActivity: decodeNumber(l),
          processedThrough: decodeNumber(o),
        })),
      },
      this.now,
    );
    this.nextWindowSeq = snapshot.nextWindowSeq;
    Object.assign(this.c, snapshot.counters);
    const store = this.store;
    const stride = store.stride;
    for (const w of snapshot.windows) {
      if (w.row.length !== stride - 2) throw new Error(`WindowEngine.restore: window row has ${w.row.length} fields, expected ${stride - 2}`);
      let kid = store.keyId(w.key);
      if (kid === -1) kid = store.addKey(w.key);
      const slot = store.alloc(kid);
      const f = store.f;
      const base = slot * stride;
      for (let k = 0, r = 0; k < stride; k++) if (k !== NEXT && k !== KEY) f[base + k] = decodeNumber(w.row[r++]!);
      for (const [p, o] of w.extraOffsets) store.noteOffset(slot, p, o);
      this.aggs.objects.forEach((agg, j) => {
        store.objects[j]![slot] = agg.fromJSON(w.objects[j]);
      });
      // Keep the key's list sorted by start.
      let prev = -1;
      let cur = store.head(kid);
      while (cur !== -1 && f[cur * stride + START]! < f[base + START]!) {
        prev = cur;
        cur = f[cur * stride + NEXT]! | 0;
      }
      store.linkAfter(prev, slot);
      this.eventTimers.add(this.eventTimerOf(slot), slot, f[base + SEQ]!);
      if (!Number.isNaN(f[base + EARLY]!)) this.earlyTimers.add(f[base + EARLY]!, slot, f[base + SEQ]!);
    }
  }
}
