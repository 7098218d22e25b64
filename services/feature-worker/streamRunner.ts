import type { Logger } from 'pino';
import type { BusConsumer } from '../../shared/bus/bus.js';
import type { Sink } from '../../shared/sinks/sink.js';
import type { CheckpointStore } from './checkpointStore.js';
import type { ProcessorOutput, ProcessorSnapshot, StreamProcessor } from './streamProcessor.js';

export interface StreamRunnerOptions {
  readonly group: string;
  readonly processor: StreamProcessor;
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
}

/**
 * The poll → process → land → checkpoint → commit loop of one stream. Order matters for
 * recovery: rows land before the checkpoint that covers them, and offsets are committed only after
 * that checkpoint, so a crash at any point replays into the same deterministic row ids.
 */
export class StreamRunner {
  private running = false;
  private loop: Promise<void> | undefined;
  private lastCheckpoint = 0;
  private drainRequested = false;
  private drained: (() => void) | undefined;
  private records = 0;
  private recordsLanded = 0;
  private rowsLanded = 0;
  private lateEvents = 0;
  private deadLetters = 0;
  private lastRecordAt = 0;
  /** output taken from the processor that has not landed yet: retried before anything else */
  private pending: ProcessorOutput | undefined;
  /** processing time the pending output's panes fired */
  private pendingFiredAt = 0;

  constructor(private readonly o: StreamRunnerOptions) {}

  /** Restores the last checkpoint (if any) and starts the loop. */
  start(): void {
    const { processor, checkpoints, group, consumer } = this.o;
    const saved = checkpoints.load<ProcessorSnapshot>(group, processor.name);
    if (saved) {
      processor.restore(saved, this.o.now());
      this.o.logger.info({ stream: processor.name, windows: saved.engine.windows.length }, 'restored worker checkpoint');
    }
    processor.addPartitions(consumer.assignment().map((a) => a.partition));
    this.lastCheckpoint = this.o.now();
    this.running = true;
    this.loop = this.run();
  }

  stats(): RunnerStats {
    return { records: this.records, recordsLanded: this.recordsLanded, rowsLanded: this.rowsLanded, lateEvents: this.lateEvents, deadLetters: this.deadLetters, lastRecordAt: this.lastRecordAt };
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
    const { processor, consumer, now } = this.o;
    while (this.running) {
      try {
        if (this.pending) await this.land(this.pending);
        const records = await consumer.poll({ maxRecords: this.o.maxRecords, timeoutMs: this.o.pollTimeoutMs });
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
        this.pending = processor.takeOutput(t);
        this.pendingFiredAt = t;
        await this.land(this.pending);
        this.recordsLanded = this.records;
        if (draining || t - this.lastCheckpoint >= this.o.checkpointIntervalMs) await this.checkpoint(t);
        if (draining) {
          this.drainRequested = false;
          this.drained?.();
        }
      } catch (err) {
        // Nothing is committed past what landed, so retrying the loop loses nothing.
        this.o.logger.error({ err, stream: processor.name }, 'worker loop failed; retrying in 1 s');
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
    if (!this.pending) await this.checkpoint(now());
  }

  private async land(out: ProcessorOutput): Promise<void> {
    const { sink } = this.o;
    if (out.predictions.length) await sink.write('predictions', out.predictions);
    if (out.lateEvents.length) await sink.write('late_events', out.lateEvents);
    if (out.deadLetters.length) await sink.write('dead_letters', out.deadLetters);
    this.pending = undefined;
    if (out.predictions.length) this.o.onRowsLanded?.(this.o.processor.name, out.predictions.length, this.pendingFiredAt, this.o.now());
    this.rowsLanded += out.predictions.length;
    this.lateEvents += out.lateEvents.length;
    this.deadLetters += out.deadLetters.length;
  }

  private async checkpoint(t: number): Promise<void> {
    const { processor, consumer, checkpoints, group } = this.o;
    checkpoints.save(group, processor.name, processor.snapshot(), t);
    const offsets = processor.commitOffsets(consumer.assignment().map((a) => a.partition));
    if (offsets.length) await consumer.commit(offsets);
    this.lastCheckpoint = t;
  }
}
