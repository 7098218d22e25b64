import type { AggregationSpecs, ResultsOf } from './aggregators/aggregator.js';
import { compileAggregations, type CompiledAggregations } from './aggregators/layout.js';
import type { WindowingConfig } from './config.js';
import { zeroCounters, type WindowCounters } from './counters.js';
import type { WindowEvent } from './event.js';
import type { Pane, PaneTiming } from './pane.js';
import { futureDetail, lateDetail, MAX_EVENT_TIME, type SideOutputReason } from './sideOutput.js';
import type { WindowSink } from './sink.js';
import type { Windower } from './testStream.js';

/**
 * A deliberately naive implementation of the engine's documented semantics, for property tests
 * only: windows keep their raw events, aggregates are recomputed from scratch at every pane,
 * watermarks are recomputed over all partitions after every input, and timers are found by
 * scanning every window. Slow (quadratic) and obviously right, which is the point.
 */
interface RefEvent<T> {
  readonly t: number;
  readonly seq: number;
  readonly value: T;
  readonly partition: number;
  readonly offset: number;
}

interface RefWindow<T> {
  key: string;
  start: number;
  end: number;
  seq: number;
  fired: boolean;
  paneIndex: number;
  all: RefEvent<T>[];
  pending: RefEvent<T>[];
  dirty: boolean;
  earlyAt: number | null;
  /** built by merging two or more sessions that held events (float sums may differ in the last bits) */
  merged: boolean;
}

interface RefPartition {
  maxEventTime: number;
  lastActivity: number;
  processedThrough: number;
}

export class ReferenceEngine<T, A extends AggregationSpecs<T>> implements Windower<T> {
  private readonly aggs: CompiledAggregations<T>;
  private windows: RefWindow<T>[] = [];
  private readonly parts = new Map<number, RefPartition>();
  private wm = -Infinity;
  private manual = -Infinity;
  private now: number;
  private windowSeq = 0;
  private readonly c: WindowCounters = zeroCounters();
  /** per emitted pane, whether its window came from a merge */
  readonly paneMerged: boolean[] = [];
  /** how many times an event bridged two or more sessions (lets tests check they exercised merging) */
  sessionMerges = 0;

  constructor(
    private readonly options: {
      readonly config: WindowingConfig;
      readonly aggregations: A;
      readonly sink: WindowSink<T, ResultsOf<A>>;
      readonly processingTime: number;
    },
  ) {
    this.aggs = compileAggregations(options.aggregations);
    this.now = options.processingTime;
  }

  private get cfg(): WindowingConfig {
    return this.options.config;
  }

  get watermark(): number {
    return this.wm;
  }

  counters(): WindowCounters {
    return { ...this.c, openWindows: this.windows.length };
  }

  lowestNeededOffset(partition: number): number | undefined {
    let lowest: number | undefined;
    for (const w of this.windows) for (const e of w.all) if (e.partition === partition && (lowest === undefined || e.offset < lowest)) lowest = e.offset;
    return lowest;
  }

  process(e: WindowEvent<T>): void {
    const seq = this.c.eventsIn++;
    if (!Number.isInteger(e.partition) || e.partition < 0 || typeof e.offset !== 'number' || Number.isNaN(e.offset)) {
      this.route('invalid', e, `partition must be a non-negative integer and offset a number (got partition ${String(e.partition)}, offset ${String(e.offset)})`);
      return;
    }
    let part = this.parts.get(e.partition);
    if (!part) {
      part = { maxEventTime: -Infinity, lastActivity: this.now, processedThrough: -Infinity };
      this.parts.set(e.partition, part);
    }
    if (e.offset <= part.processedThrough) {
      this.c.duplicatesSkipped++;
      return;
    }
    part.processedThrough = e.offset;
    const t = e.eventTime;
    if (typeof t !== 'number' || !(Math.abs(t) <= MAX_EVENT_TIME)) {
      this.route('invalid', e, `event time ${String(t)} is not a finite epoch-ms date`);
      return;
    }
    if (t > this.now + this.cfg.maxFutureSkewMs) {
      this.route('future', e, futureDetail(t, this.now, this.cfg.maxFutureSkewMs));
      return;
    }
    try {
      for (const a of this.aggs.slab) a.extract(e.value);
      for (const a of this.aggs.objects) a.extract(e.value);
    } catch (err) {
      this.route('invalid', e, `value extractor failed: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    const ev: RefEvent<T> = { t, seq, value: e.value, partition: e.partition, offset: e.offset };
    const W = this.wm;
    const accepted = this.cfg.window.kind === 'session' ? this.assignSession(e.key, ev, W) : this.assignFixed(e.key, ev, W);
    if (accepted) this.c.eventsAccepted++;
    else this.route('late', e, lateDetail(t, W, this.cfg.allowedLatenessMs));
    part.lastActivity = this.now;
    if (t > part.maxEventTime) part.maxEventTime = t;
    this.recompute();
    this.fireEventTime();
  }

  advanceProcessingTime(now: number): void {
    if (!(now > this.now)) return;
    this.now = now;
    this.recompute();
    this.fireEventTime();
    this.fireEarly();
  }

  advanceWatermarkTo(t: number): void {
    this.manual = Math.max(this.manual, t);
    this.recompute();
    this.fireEventTime();
  }

  addPartition(partition: number): void {
    if (!this.parts.has(partition)) this.parts.set(partition, { maxEventTime: -Infinity, lastActivity: this.now, processedThrough: -Infinity });
    this.recompute();
    this.fireEventTime();
  }

  flushAll(): void {
    this.advanceWatermarkTo(Infinity);
  }

  private recompute(): void {
    const { maxOutOfOrdernessMs: ooo, idleTimeoutMs: idle, advanceWhenIdle } = this.cfg.watermark;
    const all = [...this.parts.values()];
    const active = all.filter((p) => idle === null || this.now - p.lastActivity < idle);
    let candidate = -Infinity;
    if (active.length > 0) candidate = Math.min(...active.map((p) => p.maxEventTime - ooo));
    else if (all.length > 0) {
      candidate = Math.max(...all.map((p) => p.maxEventTime - ooo));
      if (advanceWhenIdle && idle !== null) candidate += this.now - (Math.max(...all.map((p) => p.lastActivity)) + idle);
    }
    this.wm = Math.max(this.wm, candidate, this.manual);
  }

  private assignFixed(key: string, ev: RefEvent<T>, W: number): boolean {
    const w = this.cfg.window;
    if (w.kind === 'session') throw new Error('unreachable');
    const period = w.kind === 'sliding' ? w.periodMs : w.sizeMs;
    // Every start s = offset + k * period with s <= t < s + size, ascending.
    const starts: number[] = [];
    let k = Math.floor((ev.t - w.offsetMs) / period) + 2;
    while (w.offsetMs + k * period > ev.t) k--;
    for (; w.offsetMs + k * period + w.sizeMs > ev.t; k--) starts.unshift(w.offsetMs + k * period);
    let accepted = false;
    for (const start of starts) {
      const end = start + w.sizeMs;
      if (end + this.cfg.allowedLatenessMs <= W) continue;
      let win = this.windows.find((x) => x.key === key && x.start === start);
      if (!win) {
        win = this.newWindow(key, start, end, W);
      }
      this.addTo(win, ev);
      accepted = true;
    }
    return accepted;
  }

  private newWindow(key: string, start: number, end: number, W: number): RefWindow<T> {
    const win: RefWindow<T> = { key, start, end, seq: this.windowSeq++, fired: end <= W, paneIndex: 0, all: [], pending: [], dirty: false, earlyAt: null, merged: false };
    this.windows.push(win);
    this.c.windowsOpened++;
    return win;
  }

  private addTo(win: RefWindow<T>, ev: RefEvent<T>): void {
    win.all.push(ev);
    win.pending.push(ev);
    win.dirty = true;
    if (win.fired) {
      win.earlyAt = null;
      this.emit(win, 'LATE', false);
    } else if (this.cfg.trigger.earlyEveryMs !== null && win.earlyAt === null) {
      win.earlyAt = this.now + this.cfg.trigger.earlyEveryMs;
    }
  }

  private assignSession(key: string, ev: RefEvent<T>, W: number): boolean {
    const w = this.cfg.window;
    if (w.kind !== 'session') throw new Error('unreachable');
    const protoEnd = ev.t + w.gapMs;
    const overlapping = this.windows.filter((x) => x.key === key && x.start < protoEnd && ev.t < x.end);
    if (overlapping.length === 0) {
      if (protoEnd + this.cfg.allowedLatenessMs <= W) return false;
      this.addTo(this.newWindow(key, ev.t, protoEnd, W), ev);
      return true;
    }
    if (overlapping.length > 1) this.sessionMerges++;
    const survivor = overlapping.reduce((a, b) => (b.seq < a.seq ? b : a));
    const pendingEarly = overlapping.map((x) => x.earlyAt).filter((x): x is number => x !== null);
    const merged: RefWindow<T> = {
      key,
      start: Math.min(ev.t, ...overlapping.map((x) => x.start)),
      end: Math.max(protoEnd, ...overlapping.map((x) => x.end)),
      seq: survivor.seq,
      fired: false,
      paneIndex: Math.max(...overlapping.map((x) => x.paneIndex)),
      all: overlapping.flatMap((x) => x.all),
      pending: overlapping.flatMap((x) => x.pending),
      dirty: overlapping.some((x) => x.dirty),
      earlyAt: pendingEarly.length > 0 ? Math.min(...pendingEarly) : null,
      merged: overlapping.length > 1 || overlapping.some((x) => x.merged),
    };
    merged.fired = merged.end <= W;
    this.windows = this.windows.filter((x) => !overlapping.includes(x));
    this.windows.push(merged);
    this.addTo(merged, ev);
    return true;
  }

  private fireEventTime(): void {
    const L = this.cfg.allowedLatenessMs;
    for (;;) {
      const due = this.windows
        .map((w) => ({ w, time: w.fired ? w.end + L : w.end }))
        .filter((x) => x.time <= this.wm)
        .sort((a, b) => a.time - b.time || a.w.seq - b.w.seq);
      if (due.length === 0) return;
      const { w } = due[0]!;
      if (!w.fired) {
        const isFinal = w.end + L <= this.wm;
        w.earlyAt = null;
        this.emit(w, 'ON_TIME', isFinal);
        if (isFinal) this.remove(w);
        else w.fired = true;
      } else {
        this.emit(w, 'LATE', true);
        this.remove(w);
      }
    }
  }

  private fireEarly(): void {
    for (;;) {
      const due = this.windows
        .filter((w) => !w.fired && w.earlyAt !== null && w.earlyAt <= this.now)
        .sort((a, b) => a.earlyAt! - b.earlyAt! || a.seq - b.seq);
      if (due.length === 0) return;
      const w = due[0]!;
      w.earlyAt = null;
      if (w.dirty) this.emit(w, 'EARLY', false);
    }
  }

  private remove(w: RefWindow<T>): void {
    this.windows = this.windows.filter((x) => x !== w);
  }

  private emit(w: RefWindow<T>, timing: PaneTiming, isFinal: boolean): void {
    const discarding = this.cfg.accumulation === 'discarding';
    const events = [...(discarding ? w.pending : w.all)].sort((a, b) => a.seq - b.seq);
    const pane: Pane<ResultsOf<A>> = {
      key: w.key,
      windowStart: w.start,
      windowEnd: w.end,
      paneIndex: w.paneIndex,
      timing,
      isFinal,
      eventCount: events.length,
      firstEventTime: events.length ? Math.min(...events.map((e) => e.t)) : null,
      lastEventTime: events.length ? Math.max(...events.map((e) => e.t)) : null,
      results: this.fold(events),
    };
    w.paneIndex++;
    w.dirty = false;
    if (discarding) w.pending = [];
    if (timing === 'ON_TIME') this.c.panesOnTime++;
    else if (timing === 'LATE') this.c.panesLate++;
    else this.c.panesEarly++;
    if (isFinal) this.c.finalPanes++;
    this.paneMerged.push(w.merged);
    this.options.sink.pane(pane);
  }

  /** Recomputes every aggregation from the raw events, in arrival order. */
  private fold(events: readonly RefEvent<T>[]): ResultsOf<A> {
    const out: Record<string, unknown> = {};
    const a = this.aggs;
    for (let i = 0; i < a.names.length; i++) {
      const pos = a.position[i]!;
      if (a.isSlab[i]) {
        const agg = a.slab[pos]!;
        const state = new Float64Array(agg.slots);
        agg.init(state, 0);
        for (const e of events) {
          const x = agg.extract(e.value);
          if (typeof x === 'number' && Number.isFinite(x)) agg.add(state, 0, Float64Array.of(x, e.t, e.seq));
        }
        out[a.names[i]!] = agg.result(state, 0);
      } else {
        const agg = a.objects[pos]!;
        const state = agg.create();
        for (const e of events) {
          const x = agg.extract(e.value);
          if (x !== undefined) agg.add(state, x, e.t, e.seq);
        }
        out[a.names[i]!] = agg.result(state);
      }
    }
    return out as ResultsOf<A>;
  }

  private route(reason: SideOutputReason, event: WindowEvent<T>, detail: string): void {
    if (reason === 'late') this.c.lateRouted++;
    else if (reason === 'future') this.c.futureRouted++;
    else this.c.invalidRouted++;
    this.options.sink.sideOutput({ reason, event, watermark: this.wm, processingTime: this.now, detail });
  }
}
