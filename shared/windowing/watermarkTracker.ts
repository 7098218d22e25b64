/**
 * Per-partition watermarks and the stage watermark.
 * - A partition's watermark is (max event time seen on it) - max_out_of_orderness.
 * - The stage watermark is the minimum over active partitions, and never moves backwards.
 * - A partition is idle once it has been silent for idle_timeout of processing time; it then stops
 *   holding the watermark back, and rejoins when it speaks again (without pulling the watermark back).
 * - When every partition is idle nothing holds the watermark back, so it is the largest partition
 *   watermark; with advance_when_idle it then also moves forward with processing time, so final
 *   windows fire even if no key ever sends again.
 * - advanceTo() raises it explicitly (tests, sources that know better, end of input).
 * Quarantined (future) events never reach this tracker.
 */
export interface PartitionState {
  readonly partition: number;
  readonly maxEventTime: number;
  readonly lastActivity: number;
  /** highest offset processed (any route), -Infinity before the first */
  readonly processedThrough: number;
}

export class WatermarkTracker {
  /** partition id -> dense index (an array for the usual small ids, a Map beyond) */
  private readonly smallIndex: number[] = [];
  private readonly index = new Map<number, number>();
  private readonly ids: number[] = [];
  private readonly maxEventTime: number[] = [];
  private readonly lastActivity: number[] = [];
  readonly processedThrough: number[] = [];
  private stage = -Infinity;
  private manual = -Infinity;
  /** minimum watermark over partitions that were active at the last full recompute */
  private activeMin = Infinity;
  /**
   * The processing clock and the event time for observe(), as fields: passing doubles to a call
   * that is not inlined boxes them, an allocation per event on the hot path.
   */
  now = -Infinity;
  eventTime = 0;

  constructor(
    private readonly maxOutOfOrdernessMs: number,
    private readonly idleTimeoutMs: number | null,
    private readonly advanceWhenIdle: boolean,
  ) {}

  get watermark(): number {
    return this.stage;
  }

  get partitionCount(): number {
    return this.ids.length;
  }

  indexOf(partition: number): number | undefined {
    return partition < 4096 ? this.smallIndex[partition] : this.index.get(partition);
  }

  private setIndex(partition: number, i: number): void {
    if (partition < 4096) {
      while (this.smallIndex.length < partition) this.smallIndex.push(undefined as unknown as number);
      this.smallIndex[partition] = i;
    }
    this.index.set(partition, i);
  }

  /** Dense index of a partition, registering it (active from `now`, holding the watermark at -Infinity). */
  ensure(partition: number, now: number): number {
    let i = this.index.get(partition);
    if (i === undefined) {
      i = this.ids.length;
      this.setIndex(partition, i);
      this.ids.push(partition);
      this.maxEventTime.push(-Infinity);
      this.lastActivity.push(now);
      this.processedThrough.push(-Infinity);
      this.recompute(now);
    }
    return i;
  }

  private isActive(i: number, now: number): boolean {
    return this.idleTimeoutMs === null || now - this.lastActivity[i]! < this.idleTimeoutMs;
  }

  /**
   * A non-quarantined event (time in `eventTime`) arrived on partition index i at processing time
   * `now`. Returns true when the stage watermark moved forward.
   */
  observe(i: number): boolean {
    const now = this.now;
    const eventTime = this.eventTime;
    const wasActive = this.isActive(i, now);
    const oldMax = this.maxEventTime[i]!;
    this.lastActivity[i] = now;
    if (eventTime > oldMax) this.maxEventTime[i] = eventTime;
    else if (wasActive) return false;
    // Fast path: a partition that is not the slowest active one cannot move the minimum.
    if (wasActive && oldMax - this.maxOutOfOrdernessMs > this.activeMin) return false;
    return this.recompute(now);
  }

  /** Re-evaluates idleness and the stage watermark at processing time `now`; true when it moved forward. */
  recompute(now: number): boolean {
    this.now = now;
    const ooo = this.maxOutOfOrdernessMs;
    let activeMin = Infinity;
    let anyActive = false;
    let maxWm = -Infinity;
    let maxLast = -Infinity;
    for (let i = 0; i < this.ids.length; i++) {
      const wm = this.maxEventTime[i]! - ooo;
      if (this.isActive(i, now)) {
        anyActive = true;
        if (wm < activeMin) activeMin = wm;
      }
      if (wm > maxWm) maxWm = wm;
      if (this.lastActivity[i]! > maxLast) maxLast = this.lastActivity[i]!;
    }
    this.activeMin = activeMin;
    let candidate = -Infinity;
    if (anyActive) candidate = activeMin;
    else if (this.ids.length > 0) {
      candidate = maxWm;
      if (this.advanceWhenIdle && this.idleTimeoutMs !== null) candidate = maxWm + (now - (maxLast + this.idleTimeoutMs));
    }
    const next = Math.max(this.stage, candidate, this.manual);
    if (next > this.stage) {
      this.stage = next;
      return true;
    }
    return false;
  }

  advanceTo(t: number): boolean {
    if (t > this.manual) this.manual = t;
    if (this.manual > this.stage) {
      this.stage = this.manual;
      return true;
    }
    return false;
  }

  partitions(): PartitionState[] {
    return this.ids.map((partition, i) => ({
      partition,
      maxEventTime: this.maxEventTime[i]!,
      lastActivity: this.lastActivity[i]!,
      processedThrough: this.processedThrough[i]!,
    }));
  }

  isIdle(partition: number, now: number): boolean {
    const i = this.index.get(partition);
    return i !== undefined && !this.isActive(i, now);
  }

  /** For snapshots. */
  state(): { stage: number; manual: number; partitions: PartitionState[] } {
    return { stage: this.stage, manual: this.manual, partitions: this.partitions() };
  }

  restore(state: { stage: number; manual: number; partitions: readonly PartitionState[] }, now: number): void {
    if (this.ids.length > 0) throw new Error('WatermarkTracker.restore: tracker already has partitions');
    for (const p of state.partitions) {
      this.setIndex(p.partition, this.ids.length);
      this.ids.push(p.partition);
      this.maxEventTime.push(p.maxEventTime);
      this.lastActivity.push(p.lastActivity);
      this.processedThrough.push(p.processedThrough);
    }
    this.manual = state.manual;
    // Refresh the idleness cache at `now` but keep the snapshot's watermark: if it should move, the
    // next tick or event moves it and fires the windows it passes (restore itself emits nothing).
    this.recompute(now);
    this.stage = state.stage;
  }
}
