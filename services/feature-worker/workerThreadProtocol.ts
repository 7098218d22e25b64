import type { DriftlineConfig } from '../../shared/config/configSchema.js';
import type { MetricJson } from '../../shared/metrics/threadMetrics.js';

/** What the pipeline hands the worker thread (structured-cloneable: plain config, no live objects). */
export interface WorkerThreadData {
  /** the thread opens its own bus connection and the warehouse (`bus`, `sink`) from it */
  readonly config: DriftlineConfig;
  readonly modelsDir: string;
  readonly checkpointPath?: string;
  readonly logLevel: string;
  /** streams to run, in the order of the stats buffer */
  readonly streams: readonly string[];
  /** WorkerStatsBuffer.bytes(streams.length) of shared memory the thread writes its stats into */
  readonly stats: SharedArrayBuffer;
  /** send a `landed` event per landed batch of rows (benchmarks time window close → row with it) */
  readonly reportLandings: boolean;
}

export interface WorkerThreadStarted {
  /** the per-stream stats fields, in the stats buffer's order */
  readonly fields: readonly string[];
  readonly metrics: readonly MetricJson[];
}

/** `landed` event value. Requests: `metrics`, `drain`, `write` ({ table, rows } → WriteResult). */
export interface LandedEvent {
  readonly stream: string;
  readonly rows: number;
  readonly firedAt: number;
  readonly landedAt: number;
}
