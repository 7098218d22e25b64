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

export interface ProcessorSnapshot {
  readonly engine: WindowEngineSnapshot;
  readonly duplicates: [string, number[]][];
  /** per partition, the highest offset the state already covers */
  readonly processed: [number, number][];
}

export interface StreamProcessorOptions {
  readonly name: string;
  readonly stream: StreamConfig;
  readonly features: FeatureSet<unknown>;
  readonly models: ModelPair;
  readonly configHash: string;
  /** processing time at start, epoch ms */
  readonly now: number;
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
  private readonly out = new CollectingSink<Event, Results>();
  private readonly engine: WindowEngine<Event, Aggregations>;
  private readonly duplicates = new DuplicateFilter();
  private readonly deadLetters: DeadLetterRow[] = [];
  private readonly processed = new Map<number, number>();
  private duplicateCount = 0;
  private replaysSkipped = 0;

  constructor(o: StreamProcessorOptions) {
    this.name = o.name;
    this.stream = o.stream;
    this.features = o.features;
    this.models = o.models;
    this.configHash = o.configHash;
    const set = o.features;
    this.engine = new WindowEngine<Event, Aggregations>({
      config: o.stream.windowing,
      aggregations: { points: points<Event, unknown>((e) => set.point(e), { capacity: set.capacity }) },
      sink: this.out,
      processingTime: o.now,
    });
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
      if (this.duplicates.isDuplicate(key, eventTime)) {
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

  /** Offsets the consumer may commit once the output taken so far has landed. */
  commitOffsets(partitions: readonly number[]): CommitOffset[] {
    const offsets: CommitOffset[] = [];
    for (const partition of partitions) {
      const offset = this.engine.resumeOffset(partition);
      if (offset !== undefined) offsets.push({ topic: this.name, partition, offset });
    }
    return offsets;
  }

  snapshot(): ProcessorSnapshot {
    return {
      engine: this.engine.snapshot(),
      duplicates: this.duplicates.snapshot(),
      processed: [...this.processed].sort((a, b) => a[0] - b[0]),
    };
  }

  /**
   * Restores a checkpoint taken by `snapshot()`. The restart itself took processing time: without
   * care every partition would look idle to the restored engine and stop holding the watermark
   * back before it had a chance to read, firing windows early. So the restored partitions count as
   * active as of `now` (as a fresh start would), and idleness is measured from the restart.
   */
  restore(s: ProcessorSnapshot, now: number): void {
    const engine = s.engine;
    const processingTime = Math.max(now, typeof engine.processingTime === 'number' ? engine.processingTime : now);
    this.engine.restore({
      ...engine,
      processingTime,
      partitions: engine.partitions.map(([partition, maxEventTime, , processedThrough]) => [partition, maxEventTime, processingTime, processedThrough] as const),
    });
    this.duplicates.restore(s.duplicates);
    this.processed.clear();
    for (const [partition, offset] of s.processed) this.processed.set(partition, offset);
  }

  stats() {
    const c = this.engine.counters();
    return { ...c, duplicates: this.duplicateCount, replaysSkipped: this.replaysSkipped, watermark: this.engine.watermark };
  }
}
