import type { DeadLetterRow } from '../../schemas/tables/deadLetters.js';
import type { LateEventRow } from '../../schemas/tables/lateEvents.js';
import type { PredictionRow } from '../../schemas/tables/predictions.js';
import { predictionRowId, rowId } from '../../schemas/tables/rowId.js';
import type { BusRecord, CommitOffset } from '../../shared/bus/bus.js';
import type { StreamConfig } from '../../shared/config/streamSchema.js';
import type { BatchPrediction } from '../../shared/models/batchPrediction.js';
import type { ModelPair } from '../../shared/models/modelPair.js';
import { points, type TimedPoint } from '../../shared/windowing/aggregators/index.js';
import { WindowEngine } from '../../shared/windowing/engine.js';
import type { Pane } from '../../shared/windowing/pane.js';
import type { WindowEngineSnapshot } from '../../shared/windowing/snapshot.js';
import { mergeSnapshots, partitionSnapshot, withoutPartition } from '../../shared/windowing/snapshotPartitions.js';
import { CollectingSink } from '../../shared/windowing/sink.js';
import { DuplicateFilter } from './duplicateFilter.js';
import type { FeatureSet } from './featureSets.js';

type Event = Record<string, unknown>;
type Aggregations = { readonly points: ReturnType<typeof points<Event, unknown>> };
type Results = { readonly points: TimedPoint<unknown>[] };

export interface ProcessorOutput {
  readonly predictions: PredictionRow[];
  readonly lateEvents: LateEventRow[];
  readonly deadLetters: DeadLetterRow[];
}

/** A whole-processor checkpoint (the format before per-partition checkpoints; still restorable). */
export interface ProcessorSnapshot {
  readonly engine: WindowEngineSnapshot;
  readonly duplicates: [string, number[]][];
  /** per partition, the highest offset the state already covers */
  readonly processed: [number, number][];
}

/**
 * One bus partition's share of the processor state. Every key lives on one partition, so its
 * windows and duplicate history move with the partition when a consumer group rebalances.
 */
export interface PartitionCheckpoint {
  readonly partition: number;
  readonly engine: WindowEngineSnapshot;
  readonly duplicates: [string, number[]][];
  /** highest offset of the partition the state covers (null: none processed) */
  readonly processed: number | null;
  /**
   * the offset committed together with this checkpoint. A replay that starts beyond it means a
   * later owner committed past this checkpoint: the checkpoint is stale and must not be used.
   */
  readonly resume: number | null;
}

/**
 * How the bus treats committed records, which decides what the worker may commit:
 * - `log` (embedded, Kafka): records stay; a restart replays from the committed offset. The worker
 *   commits the lowest offset an open window still needs, so the bus alone can rebuild open windows.
 * - `queue` (Pub/Sub): a commit acknowledges, and acknowledged messages are gone; offsets are this
 *   consumer's own numbering. Holding acks for as long as a window is open would stall ordered
 *   subscriptions and outlive ack deadlines, so the worker commits everything its checkpoint
 *   covers: the checkpoint, not the bus, keeps open windows safe.
 */
export type CommitMode = 'log' | 'queue';

export interface StreamProcessorOptions {
  readonly name: string;
  readonly stream: StreamConfig;
  readonly features: FeatureSet<unknown>;
  readonly models: ModelPair;
  readonly configHash: string;
  /** processing time at start, epoch ms */
  readonly now: number;
  /** default `log` */
  readonly commitMode?: CommitMode;
}

/**
 * One stream's windowing, feature extraction and scoring, with no I/O: bus records in, warehouse
 * rows out. The worker loop around it polls, lands the rows, checkpoints and commits. Keeping it
 * free of I/O makes the crash-recovery contract testable: same records + same ticks = same rows.
 */
export class StreamProcessor {
  readonly name: string;
  private readonly stream: StreamConfig;
  private readonly features: FeatureSet<unknown>;
  private readonly models: ModelPair;
  private readonly configHash: string;
  private readonly commitMode: CommitMode;
  private readonly out = new CollectingSink<Event, Results>();
  private engine: WindowEngine<Event, Aggregations>;
  /** per partition, so a partition's duplicate history moves with it */
  private readonly duplicates = new Map<number, DuplicateFilter>();
  private readonly deadLetters: DeadLetterRow[] = [];
  private readonly processed = new Map<number, number>();
  /** restored partitions whose first replayed record has not been seen yet, with the offset committed with their checkpoint */
  private readonly unverified = new Map<number, number | null>();
  private duplicateCount = 0;
  private replaysSkipped = 0;
  private staleCheckpoints = 0;

  constructor(o: StreamProcessorOptions) {
    this.name = o.name;
    this.stream = o.stream;
    this.features = o.features;
    this.models = o.models;
    this.configHash = o.configHash;
    this.commitMode = o.commitMode ?? 'log';
    this.engine = this.newEngine(o.now);
  }

  private newEngine(now: number): WindowEngine<Event, Aggregations> {
    const set = this.features;
    return new WindowEngine<Event, Aggregations>({
      config: this.stream.windowing,
      aggregations: { points: points<Event, unknown>((e) => set.point(e), { capacity: set.capacity }) },
      sink: this.out,
      processingTime: now,
    });
  }

  private duplicateFilter(partition: number): DuplicateFilter {
    let f = this.duplicates.get(partition);
    if (!f) this.duplicates.set(partition, (f = new DuplicateFilter()));
    return f;
  }

  /** Partitions this processor reads: a partition that has sent nothing yet still holds the watermark. */
  addPartitions(partitions: readonly number[]): void {
    for (const p of partitions) this.engine.addPartition(p);
  }

  process(records: readonly BusRecord[], now: number): void {
    this.engine.advanceProcessingTime(now);
    const keyField = this.stream.key_field;
    const timeField = this.stream.event_time_field;
    for (const r of records) {
      if (this.unverified.size > 0 && this.unverified.has(r.partition)) this.verify(r.partition, r.offset, now);
      // After a restore the bus replays from the committed offset; what the checkpoint covers is
      // skipped here, before the duplicate filter, which would otherwise take it for a repeat.
      const done = this.processed.get(r.partition);
      if (done !== undefined && r.offset <= done) {
        this.replaysSkipped++;
        continue;
      }
      this.processed.set(r.partition, r.offset);
      let event: Event;
      try {
        event = JSON.parse(r.value) as Event;
      } catch (err) {
        // Ingest only appends validated JSON; anything else on the topic is a foreign writer's.
        this.deadLetter(r, 'bad_json', (err as Error).message, now);
        continue;
      }
      const eventTime = event[timeField];
      if (typeof eventTime !== 'number') {
        this.deadLetter(r, 'schema_violation', `${timeField}: expected epoch ms on the bus, got ${JSON.stringify(eventTime)}`, now);
        continue;
      }
      const key = String(event[keyField] ?? r.key);
      if (this.duplicateFilter(r.partition).isDuplicate(key, eventTime)) {
        this.duplicateCount++;
        this.deadLetter(r, 'duplicate', `${keyField} ${key} already sent an event at ${new Date(eventTime).toISOString()}`, now);
        continue;
      }
      this.engine.process({ partition: r.partition, offset: r.offset, key, eventTime, value: event });
    }
  }

  /** Processing time passes: idle partitions stop holding the watermark, early panes fire. */
  tick(now: number): void {
    this.engine.advanceProcessingTime(now);
  }

  /** End of input: fire every open window as final. */
  drain(): void {
    this.engine.flushAll();
  }

  /** Rows for everything emitted since the last call; panes are scored in one batch. */
  takeOutput(now: number): ProcessorOutput {
    const panes: Pane<Results>[] = [];
    const lateEvents: LateEventRow[] = [];
    for (const o of this.out.take()) {
      if (o.kind === 'pane') {
        panes.push(o.pane);
        continue;
      }
      const { event, reason, detail, watermark } = o.record;
      if (reason === 'invalid') {
        this.deadLetters.push(this.deadLetterRow(event.partition, event.offset, JSON.stringify(event.value), 'invalid_event', detail, now));
        continue;
      }
      lateEvents.push({
        id: rowId(['late_events', this.name, event.partition, event.offset]),
        stream: this.name,
        key: event.key,
        event_time: event.eventTime,
        watermark: Number.isFinite(watermark) ? watermark : null,
        reason,
        detail,
        payload: event.value as LateEventRow['payload'],
        received_at: now,
      });
    }
    const deadLetters = this.deadLetters.splice(0);
    return { predictions: this.score(panes, now), lateEvents, deadLetters };
  }

  private score(panes: readonly Pane<Results>[], now: number): PredictionRow[] {
    if (panes.length === 0) return [];
    const width = this.features.spec.features.length;
    const matrix = new Float32Array(panes.length * width);
    panes.forEach((pane, i) => {
      const vector = this.features.features(pane.results.points.map((p) => p.value));
      matrix.set(vector, i * width);
    });
    const scored = this.models.predictBatch(matrix, panes.length);
    const rows: PredictionRow[] = [];
    for (const batch of [scored.champion, scored.shadow]) {
      if (!batch) continue;
      panes.forEach((pane, i) => rows.push(this.predictionRow(pane, batch, i, now)));
    }
    return rows;
  }

  private predictionRow(pane: Pane<Results>, batch: BatchPrediction, i: number, now: number): PredictionRow {
    const identity = {
      stream: this.name,
      key: pane.key,
      window_start: pane.windowStart,
      window_end: pane.windowEnd,
      pane_index: pane.paneIndex,
      model: batch.model,
      model_version: batch.model_version,
      model_role: batch.model_role,
    };
    const classifier = batch.task === 'classification';
    return {
      row_id: predictionRowId(identity),
      ...identity,
      pane_timing: pane.timing,
      is_final: pane.isFinal,
      event_count: pane.eventCount,
      label: classifier ? batch.label(i) : null,
      value: classifier ? null : batch.value(i),
      probabilities: classifier ? batch.probabilities(i) : null,
      processed_at: now,
      config_hash: this.configHash,
    };
  }

  private deadLetter(r: BusRecord, reason: string, detail: string, now: number): void {
    this.deadLetters.push(this.deadLetterRow(r.partition, r.offset, r.value, reason, detail, now));
  }

  private deadLetterRow(partition: number, offset: number, payload: string, reason: string, detail: string, now: number): DeadLetterRow {
    return {
      // Identified by its place on the bus, so a replay after a crash rewrites the same row.
      id: rowId(['dead_letters', 'bus', this.name, partition, offset]),
      source: 'bus',
      topic: this.name,
      stream: this.name,
      payload,
      payload_encoding: 'utf8',
      reason,
      detail,
      received_at: now,
    };
  }

  /**
   * Offsets the consumer may commit once the output taken so far has landed and the checkpoint
   * covering it is saved (see CommitMode).
   */
  commitOffsets(partitions: readonly number[]): CommitOffset[] {
    const offsets: CommitOffset[] = [];
    for (const partition of partitions) {
      let offset: number | undefined;
      if (this.commitMode === 'queue') {
        const done = this.processed.get(partition);
        offset = done === undefined ? undefined : done + 1;
      } else offset = this.engine.resumeOffset(partition);
      if (offset !== undefined) offsets.push({ topic: this.name, partition, offset });
    }
    return offsets;
  }

  /** The whole state (for tests and the single-file format). */
  snapshot(): ProcessorSnapshot {
    const duplicates: [string, number[]][] = [];
    for (const f of this.duplicates.values()) duplicates.push(...f.snapshot());
    duplicates.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return {
      engine: this.engine.snapshot(),
      duplicates,
      processed: [...this.processed].sort((a, b) => a[0] - b[0]),
    };
  }

  /** One checkpoint per partition: what a new owner of the partition needs to carry on. */
  checkpoint(partitions: readonly number[]): PartitionCheckpoint[] {
    const engine = this.engine.snapshot();
    const resume = new Map(this.commitOffsets(partitions).map((o) => [o.partition, o.offset]));
    return partitions.map((partition) => ({
      partition,
      engine: partitionSnapshot(engine, partition),
      duplicates: this.duplicates.get(partition)?.snapshot() ?? [],
      processed: this.processed.get(partition) ?? null,
      resume: resume.get(partition) ?? null,
    }));
  }

  /**
   * Restores a checkpoint taken by `snapshot()` (one file from before per-partition checkpoints).
   * Every partition's duplicate history goes to each partition it may belong to: the old format did
   * not record which key was on which partition.
   */
  restore(s: ProcessorSnapshot, now: number): void {
    const processed = new Map(s.processed);
    const partitions = s.engine.partitions.map(([p]) => p);
    this.restorePartitions(partitions.map((partition) => ({
      partition,
      engine: partitionSnapshot(s.engine, partition),
      duplicates: s.duplicates,
      processed: processed.get(partition) ?? null,
      resume: null,
    })), now);
  }

  /**
   * Loads per-partition checkpoints into a processor that has processed nothing yet. The restart
   * itself took processing time: without care every partition would look idle to the restored
   * engine and stop holding the watermark back before it had a chance to read, firing windows
   * early. So the restored partitions count as active as of `now` (as a fresh start would), and
   * idleness is measured from the restart.
   */
  restorePartitions(parts: readonly PartitionCheckpoint[], now: number): void {
    if (parts.length === 0) return;
    if (this.engine.counters().eventsIn > 0 || this.processed.size > 0) throw new Error('StreamProcessor.restorePartitions: restore into a processor that has processed nothing');
    const engine = mergeSnapshots(parts.map((p) => p.engine));
    const processingTime = Math.max(now, typeof engine.processingTime === 'number' ? engine.processingTime : now);
    this.engine = this.newEngine(processingTime);
    this.engine.restore({
      ...engine,
      processingTime,
      partitions: engine.partitions.map(([partition, maxEventTime, , processedThrough]) => [partition, maxEventTime, processingTime, processedThrough] as const),
    });
    for (const p of parts) {
      this.duplicateFilter(p.partition).restore(p.duplicates);
      if (p.processed !== null) this.processed.set(p.partition, p.processed);
      // Queue offsets are per consumer session, so there is nothing to check them against.
      if (this.commitMode === 'log' && p.resume !== null) this.unverified.set(p.partition, p.resume);
    }
  }

  /**
   * The first record replayed for a restored partition tells where its group's commit stands. At
   * or below the checkpoint's own commit, the checkpoint is current (below: the process died
   * between saving it and committing). Beyond it, another owner committed later progress after
   * this checkpoint was saved (a checkpoint store not shared by the group, or a race on
   * rebalance): its windows would miss the records in between, so the partition starts from the
   * bus instead, which holds every record an open window needs from the committed offset on.
   */
  private verify(partition: number, offset: number, now: number): void {
    const resume = this.unverified.get(partition)!;
    this.unverified.delete(partition);
    if (resume === null || offset <= resume) return;
    this.staleCheckpoints++;
    const s = withoutPartition(this.engine.snapshot(), partition);
    this.engine = this.newEngine(now);
    this.engine.restore(s);
    this.engine.addPartition(partition);
    this.duplicates.delete(partition);
    this.processed.delete(partition);
  }

  stats() {
    const c = this.engine.counters();
    return { ...c, duplicates: this.duplicateCount, replaysSkipped: this.replaysSkipped, staleCheckpoints: this.staleCheckpoints, watermark: this.engine.watermark };
  }
}
