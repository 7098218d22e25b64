import type { ProcessorOutput } from './streamProcessor.js';

/** Prediction rows the processor emitted in one loop turn, and when their panes fired. */
export interface OutputPart {
  /** processing time the panes fired, epoch ms */
  readonly firedAt: number;
  /** prediction rows */
  readonly rows: number;
}

/** One warehouse landing: everything queued since the previous one, in the order it was taken. */
export interface Landing {
  readonly output: ProcessorOutput;
  readonly parts: readonly OutputPart[];
  /** the runner's record count when the newest of this output was taken */
  readonly records: number;
}

/**
 * Output taken from a StreamProcessor on its way to the warehouse, one landing in flight at a time:
 * what the loop takes while a landing is in flight waits, and lands with whatever else was taken
 * meanwhile, in one landing (a group commit). The loop meanwhile polls and processes, instead of
 * waiting for every landing; when the warehouse is slower than the stream, fewer and bigger writes
 * land, each costing one transaction.
 *
 * Order is kept: output lands in the order it was added, and a failed landing is retried (by `settle`)
 * before anything taken after it. `settle` is the barrier the runner puts before a checkpoint: once it
 * resolves, every row of everything added so far is durable.
 */
export class LandingQueue {
  private queued: Landing | undefined;
  private inFlight: Promise<void> | undefined;
  private failure: unknown;
  private failed = false;
  private landedRecords = 0;

  constructor(private readonly land: (landing: Landing) => Promise<void>) {}

  /** Records whose output has landed (the `records` of the last landing that succeeded). */
  get recordsLanded(): number {
    return this.landedRecords;
  }

  /** Rows waiting behind the landing in flight. */
  get queuedRows(): number {
    const q = this.queued?.output;
    return q ? q.predictions.length + q.lateEvents.length + q.deadLetters.length : 0;
  }

  /** Whether the last landing failed; its output is still queued, to be retried by `settle`. */
  get failing(): boolean {
    return this.failed;
  }

  /** Queues `output` (taken when the runner had counted `records` records) and starts a landing if none is in flight. */
  add(output: ProcessorOutput, firedAt: number, records: number): void {
    const rows = output.predictions.length + output.lateEvents.length + output.deadLetters.length;
    if (rows === 0 && !this.queued && !this.inFlight && !this.failed) {
      // nothing to write and nothing ahead of it: the records' output (none) has landed
      this.landedRecords = records;
      return;
    }
    const part = output.predictions.length > 0 ? [{ firedAt, rows: output.predictions.length }] : [];
    this.queued = this.queued
      ? { output: merge(this.queued.output, output), parts: [...this.queued.parts, ...part], records }
      : { output, parts: part, records };
    if (!this.failed) this.startNext();
  }

  /**
   * Resolves once everything added so far has landed, retrying a failed landing first; rejects with
   * the error of a landing that fails (its output stays queued, ahead of anything added later).
   */
  async settle(): Promise<void> {
    for (;;) {
      if (this.inFlight) {
        await this.inFlight;
        continue;
      }
      if (this.failed) {
        this.failed = false;
        this.startNext();
        await this.inFlight;
        if (this.failed) throw this.failure;
        continue;
      }
      if (!this.queued) return;
      this.startNext();
    }
  }

  private startNext(): void {
    if (this.inFlight || !this.queued) return;
    const landing = this.queued;
    this.queued = undefined;
    this.inFlight = this.land(landing).then(
      () => {
        this.inFlight = undefined;
        this.landedRecords = landing.records;
        this.startNext();
      },
      (err: unknown) => {
        this.inFlight = undefined;
        // back in front of what was added meanwhile; landed again by `settle`, not here, so a
        // failing warehouse is retried at the loop's pace
        this.queued = this.queued
          ? { output: merge(landing.output, this.queued.output), parts: [...landing.parts, ...this.queued.parts], records: this.queued.records }
          : landing;
        this.failed = true;
        this.failure = err;
      },
    );
  }
}

function merge(a: ProcessorOutput, b: ProcessorOutput): ProcessorOutput {
  return {
    predictions: a.predictions.concat(b.predictions),
    lateEvents: a.lateEvents.concat(b.lateEvents),
    deadLetters: a.deadLetters.concat(b.deadLetters),
  };
}
