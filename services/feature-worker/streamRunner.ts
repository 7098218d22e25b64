import type { Logger } from 'pino';
import type { BusConsumer } from '../../shared/bus/bus.js';
import type { Sink } from '../../shared/sinks/sink.js';
import type { CheckpointStore } from './checkpointStore.js';
import { LandingQueue, type Landing } from './landingQueue.js';
import type { StreamProcessor } from './streamProcessor.js';

/** rows waiting behind the landing in flight before the loop stops polling to let the warehouse catch up */
const MAX_QUEUED_ROWS = 20_000;

export interface StreamRunnerOptions {
  readonly group: string;
  /** builds a fresh processor (at start, and after each rebalance), processing time `now` */
  readonly createProcessor: (now: number) => StreamProcessor;
  readonly consumer: BusConsumer;
  readonly sink: Sink;
  readonly checkpoints: CheckpointStore;
  readonly logger: Logger;
  readonly now: () => number;
  /** how often state is checkpointed and offsets committed, ms */
  readonly checkpointIntervalMs: number;
  readonly maxRecords: number;
  readonly pollTimeoutMs: number;
  /** told after each landing of prediction rows: when their panes fired and when they landed (processing time) */
  readonly onRowsLanded?: (stream: string, rows: number, firedAt: number, landedAt: number) => void;
}

export interface RunnerStats {
  readonly records: number;
  /** records whose output (rows, late events, dead letters) has landed */
  readonly recordsLanded: number;
  readonly rowsLanded: number;
  readonly lateEvents: number;
  readonly deadLetters: number;
  /** processing time the last record arrived, epoch ms (0 before any) */
  readonly lastRecordAt: number;
  /** consumer-group rebalances this runner has restarted from checkpoints */
  readonly rebalances: number;
}

/**
 * The poll → process → land → checkpoint → commit loop of one stream. Order matters for
 * recovery: rows land before the checkpoint that covers them, and offsets are committed only after
 * that checkpoint, so a crash at any point replays into the same deterministic row ids.
 *
 * Landing overlaps the next poll: output goes to a LandingQueue, which lands one batch at a time
 * while the loop polls and processes on; output taken meanwhile lands with the next batch. The
 * checkpoint waits for the queue to settle (every row taken so far durable) before it saves the
 * state, and the commit still follows the checkpoint, so the order above holds for everything a
 * checkpoint covers. A crash loses at most output that was never checkpointed, which the replay
 * from the last commit emits again with the same row ids.
 *
 * Rebalances (Kafka): when the consumer's generation changes, the partitions it owns may have
 * changed and its read positions went back to the group's commits. The runner lands what it has,
 * drops its windowing state and restores the checkpoints of the partitions it owns now, which the
 * replay then carries forward, as after a restart.
 */
export class StreamRunner {
  private processorNow: StreamProcessor;
  /** the consumer generation the current processor was built for */
  private generation: number | undefined;
  private rebalances = 0;
  private running = false;
  private loop: Promise<void> | undefined;
  private lastCheckpoint = 0;
  private drainRequested = false;
  private drained: (() => void) | undefined;
  private records = 0;
  private rowsLanded = 0;
  private lateEvents = 0;
  private deadLetters = 0;
  private lastRecordAt = 0;
  /** output taken from the processor on its way to the warehouse */
  private readonly landings = new LandingQueue((landing) => this.land(landing));

  constructor(private readonly o: StreamRunnerOptions) {
    this.processorNow = o.createProcessor(o.now());
  }

  /** The processor of the current generation. */
  get processor(): StreamProcessor {
    return this.processorNow;
  }

  /** Restores the last checkpoints of the owned partitions (if any) and starts the loop. */
  start(): void {
    this.generation = this.o.consumer.generation?.();
    this.restore(this.processorNow, true);
    this.lastCheckpoint = this.o.now();
    this.running = true;
    this.loop = this.run();
  }

  private restore(processor: StreamProcessor, allowLegacy: boolean): void {
    const { checkpoints, group, consumer, now } = this.o;
    const partitions = consumer.assignment().map((a) => a.partition);
    const parts = checkpoints.load(group, processor.name, partitions);
    const legacy = allowLegacy && parts.length === 0 ? checkpoints.loadLegacy(group, processor.name) : undefined;
    if (legacy) processor.restore(legacy, now());
    else processor.restorePartitions(parts, now());
    if (parts.length > 0 || legacy) {
      const windows = legacy ? legacy.engine.windows.length : parts.reduce((n, p) => n + p.engine.windows.length, 0);
      this.o.logger.info({ stream: processor.name, partitions, restored: legacy ? 'legacy' : parts.map((p) => p.partition), windows }, 'restored worker checkpoint');
    }
    processor.addPartitions(partitions);
  }

  /** The group rebalanced: carry on from the checkpoints of what this consumer owns now. */
  private rebalance(generation: number | undefined): void {
    const processor = this.o.createProcessor(this.o.now());
    this.restore(processor, false);
    this.processorNow = processor;
    this.generation = generation;
    this.rebalances++;
    this.o.logger.info({ stream: processor.name, generation, partitions: this.o.consumer.assignment().map((a) => a.partition) }, 'consumer group rebalanced; restored checkpoints of the partitions owned now');
  }

  stats(): RunnerStats {
    return { records: this.records, recordsLanded: this.landings.recordsLanded, rowsLanded: this.rowsLanded, lateEvents: this.lateEvents, deadLetters: this.deadLetters, lastRecordAt: this.lastRecordAt, rebalances: this.rebalances };
  }

  /** Fires every open window, lands the rows and checkpoints; resolves when done. */
  drain(): Promise<void> {
    return new Promise((resolve) => {
      this.drainRequested = true;
      this.drained = resolve;
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async run(): Promise<void> {
    const { consumer, now } = this.o;
    while (this.running) {
      try {
        // A failed landing is retried before anything else: nothing taken after it may land first.
        // A warehouse slower than the stream for long makes the loop wait for it (bounded memory).
        if (this.landings.failing || this.landings.queuedRows >= MAX_QUEUED_ROWS) await this.landings.settle();
        const before = consumer.generation?.();
        if (before !== this.generation) {
          // the old processor's rows are still its partitions' rows: land them before starting over
          await this.landings.settle();
          this.rebalance(before);
        }
        const processor = this.processorNow;
        const records = await consumer.poll({ maxRecords: this.o.maxRecords, timeoutMs: this.o.pollTimeoutMs });
        // Records polled across a rebalance may belong to partitions this consumer no longer owns;
        // the group replays what it still owns from the commits, so they are simply dropped.
        if (consumer.generation?.() !== before) continue;
        const t = now();
        if (records.length > 0) {
          this.records += records.length;
          this.lastRecordAt = t;
          processor.process(records, t);
        } else {
          processor.tick(t);
        }
        const draining = this.drainRequested;
        if (draining) processor.drain();
        this.landings.add(processor.takeOutput(t), t, this.records);
        if (draining || t - this.lastCheckpoint >= this.o.checkpointIntervalMs) {
          // the checkpoint covers everything processed so far, so everything taken so far lands first
          await this.landings.settle();
          await this.checkpoint(t);
        }
        if (draining) {
          this.drainRequested = false;
          this.drained?.();
        }
      } catch (err) {
        // Nothing is committed past what landed, so retrying the loop loses nothing.
        this.o.logger.error({ err, stream: this.processorNow.name }, 'worker loop failed; retrying in 1 s');
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
    let landed = true;
    try {
      await this.landings.settle();
    } catch (err) {
      landed = false;
      this.o.logger.error({ err, stream: this.processorNow.name }, 'worker stopping: output could not land; the next start replays it from the last commit');
    }
    if (landed) await this.checkpoint(now());
  }

  private async land({ output, parts }: Landing): Promise<void> {
    const { sink } = this.o;
    if (output.predictions.length) await sink.write('predictions', output.predictions);
    if (output.lateEvents.length) await sink.write('late_events', output.lateEvents);
    if (output.deadLetters.length) await sink.write('dead_letters', output.deadLetters);
    const landedAt = this.o.now();
    for (const part of parts) this.o.onRowsLanded?.(this.processorNow.name, part.rows, part.firedAt, landedAt);
    this.rowsLanded += output.predictions.length;
    this.lateEvents += output.lateEvents.length;
    this.deadLetters += output.deadLetters.length;
  }

  private async checkpoint(t: number): Promise<void> {
    const { consumer, checkpoints, group } = this.o;
    const processor = this.processorNow;
    this.lastCheckpoint = t;
    // A consumer that has been rebalanced must not write checkpoints of partitions that may have a
    // new owner by now: the next loop turn restores from the store instead.
    if (consumer.generation?.() !== this.generation) return;
    const partitions = consumer.assignment().map((a) => a.partition);
    const parts = processor.checkpoint(partitions);
    checkpoints.save(group, processor.name, parts, t);
    const offsets = processor.commitOffsets(partitions);
    if (offsets.length === 0) return;
    try {
      await consumer.commit(offsets);
    } catch (err) {
      // Refused because the group rebalanced meanwhile: the next owner replays from the last commit.
      if (consumer.generation?.() !== this.generation) {
        this.o.logger.info({ stream: processor.name, err: (err as Error).message }, 'commit refused after a rebalance; the partitions replay from the last commit');
        return;
      }
      throw err;
    }
  }
}
