import type { AggregationSpecs, ResultsOf } from './aggregators/aggregator.js';
import type { WindowingConfig } from './config.js';
import { WindowEngine } from './engine.js';
import type { WindowEvent } from './event.js';
import { CollectingSink, type OutputRecord } from './sink.js';

/**
 * What a test (or any driver) needs from a windower: the WindowEngine and the brute-force
 * ReferenceEngine both implement it.
 */
export interface Windower<T> {
  process(event: WindowEvent<T>): void;
  advanceProcessingTime(now: number): void;
  advanceWatermarkTo(t: number): void;
  addPartition(partition: number): void;
  flushAll(): void;
}

export interface TestElement<T> {
  readonly key: string;
  readonly eventTime: number;
  readonly value: T;
  /** default 0 */
  readonly partition?: number;
  /** default: one past the previous offset given for this partition in this stream */
  readonly offset?: number;
}

export type TestStep<T> =
  | { readonly kind: 'event'; readonly event: WindowEvent<T> }
  | { readonly kind: 'advanceWatermark'; readonly to: number }
  | { readonly kind: 'advanceProcessingTime'; readonly to: number }
  | { readonly kind: 'addPartition'; readonly partition: number }
  | { readonly kind: 'flushAll' };

export interface TestRun<T, R> {
  /** everything emitted, in order */
  readonly output: OutputRecord<T, R>[];
  readonly engine: WindowEngine<T, AggregationSpecs<T>>;
}

/**
 * A scripted input in the spirit of Beam's TestStream: events, watermark advances and
 * processing-time advances in a fixed order, with no real clock. Run it on the engine (run) or
 * on anything implementing Windower (applyTo).
 */
export class TestStream<T> {
  private readonly stepList: TestStep<T>[] = [];
  private readonly nextOffset = new Map<number, number>();
  private clock: number;

  private constructor(readonly startProcessingTime: number) {
    this.clock = startProcessingTime;
  }

  static create<T>(options: { startProcessingTime?: number } = {}): TestStream<T> {
    return new TestStream<T>(options.startProcessingTime ?? 0);
  }

  get steps(): readonly TestStep<T>[] {
    return this.stepList;
  }

  /** Processing time after the steps so far. */
  get processingTime(): number {
    return this.clock;
  }

  addElements(...elements: TestElement<T>[]): this {
    for (const el of elements) {
      const partition = el.partition ?? 0;
      const offset = el.offset ?? this.nextOffset.get(partition) ?? 0;
      this.nextOffset.set(partition, offset + 1);
      this.stepList.push({ kind: 'event', event: { partition, offset, key: el.key, eventTime: el.eventTime, value: el.value } });
    }
    return this;
  }

  advanceWatermarkTo(to: number): this {
    this.stepList.push({ kind: 'advanceWatermark', to });
    return this;
  }

  advanceWatermarkToInfinity(): this {
    this.stepList.push({ kind: 'flushAll' });
    return this;
  }

  /** Moves processing time forward by `deltaMs`. */
  advanceProcessingTime(deltaMs: number): this {
    if (!(deltaMs >= 0)) throw new RangeError(`advanceProcessingTime: delta must be >= 0, got ${deltaMs}`);
    this.clock += deltaMs;
    this.stepList.push({ kind: 'advanceProcessingTime', to: this.clock });
    return this;
  }

  addPartition(partition: number): this {
    this.stepList.push({ kind: 'addPartition', partition });
    return this;
  }

  applyTo(windower: Windower<T>, steps: readonly TestStep<T>[] = this.stepList): void {
    for (const step of steps) {
      switch (step.kind) {
        case 'event':
          windower.process(step.event);
          break;
        case 'advanceWatermark':
          windower.advanceWatermarkTo(step.to);
          break;
        case 'advanceProcessingTime':
          windower.advanceProcessingTime(step.to);
          break;
        case 'addPartition':
          windower.addPartition(step.partition);
          break;
        case 'flushAll':
          windower.flushAll();
          break;
      }
    }
  }

  run<A extends AggregationSpecs<T>>(options: { config: WindowingConfig; aggregations: A }): TestRun<T, ResultsOf<A>> {
    const sink = new CollectingSink<T, ResultsOf<A>>();
    const engine = new WindowEngine<T, A>({ ...options, sink, processingTime: this.startProcessingTime });
    this.applyTo(engine);
    return { output: sink.take(), engine: engine as unknown as WindowEngine<T, AggregationSpecs<T>> };
  }
}
