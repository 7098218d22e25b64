import type { BusConfig } from '../../shared/config/busSchema.js';
import type { MetricJson } from '../../shared/metrics/threadMetrics.js';
import type { IngestOptions } from './ingestService.js';

/** What the pipeline hands the ingest thread (structured-cloneable: plain config, no live objects). */
export interface IngestThreadData extends Pick<IngestOptions, 'mqtt' | 'streams' | 'brokerUrl' | 'protocolVersion'> {
  /** the thread opens its own connection to this bus */
  readonly bus: BusConfig;
  readonly logLevel: string;
  /** IngestCounters.BYTES of shared memory the thread counts into */
  readonly counters: SharedArrayBuffer;
}

/** `started` value: the thread's metrics, to mirror on the pipeline's registry. */
export interface IngestThreadStarted {
  readonly metrics: readonly MetricJson[];
}

/** Requests: `metrics` → MetricJson[]. Events: `ready` (boolean). Stop args: { timeoutMs? }. */
export interface IngestStopArgs {
  readonly timeoutMs?: number;
}
