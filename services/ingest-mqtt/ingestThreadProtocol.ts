import type { BusConfig } from '../../shared/config/busSchema.js';
import type { IngestOptions } from './ingestService.js';

/** What the pipeline hands the ingest thread (structured-cloneable: plain config, no live objects). */
export interface IngestThreadData extends Pick<IngestOptions, 'mqtt' | 'streams' | 'brokerUrl' | 'protocolVersion'> {
  /** the thread opens its own connection to this bus */
  readonly bus: BusConfig;
  readonly logLevel: string;
  /** IngestCounters.BYTES of shared memory the thread counts into */
  readonly counters: SharedArrayBuffer;
}

/** A prom-client metric as `getMetricsAsJSON` gives it. */
export interface MetricJson {
  readonly name: string;
  readonly help: string;
  readonly type: string;
  readonly aggregator?: string;
  readonly values: readonly { value: number; labels?: Record<string, string | number>; metricName?: string }[];
}

export type ToIngestThread =
  | { readonly type: 'metrics'; readonly id: number }
  | { readonly type: 'stop'; readonly timeoutMs?: number };

export type FromIngestThread =
  | { readonly type: 'started'; readonly metrics: readonly MetricJson[] }
  | { readonly type: 'failed'; readonly message: string }
  | { readonly type: 'ready'; readonly ready: boolean }
  | { readonly type: 'metrics'; readonly id: number; readonly metrics: readonly MetricJson[] }
  | { readonly type: 'stopped' };
