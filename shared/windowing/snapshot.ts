import type { WindowCounters } from './counters.js';
import type { WindowingConfig } from './config.js';

/**
 * The whole engine state as plain JSON (JSON.stringify/parse round-trips it exactly).
 * Non-finite numbers (the -Infinity watermark before any data, NaN "no timer") are written as the
 * strings "Infinity", "-Infinity", "NaN".
 */
export const SNAPSHOT_FORMAT = 'driftline.windowing/1';

export type SnapshotNumber = number | string;

export interface SnapshotWindow {
  readonly key: string;
  /** the window's metadata and slab aggregation slots, in WindowStore row order (NEXT and KEY omitted) */
  readonly row: readonly SnapshotNumber[];
  /** [partition, lowest offset] for partitions other than the row's own */
  readonly extraOffsets: readonly (readonly [number, number])[];
  /** object aggregations' state, in declaration order */
  readonly objects: readonly unknown[];
}

export interface WindowEngineSnapshot {
  readonly format: typeof SNAPSHOT_FORMAT;
  readonly config: WindowingConfig;
  readonly aggregations: readonly (readonly [string, string])[];
  readonly processingTime: SnapshotNumber;
  readonly watermark: SnapshotNumber;
  readonly manualWatermark: SnapshotNumber;
  /** [partition, maxEventTime, lastActivity, processedThrough] */
  readonly partitions: readonly (readonly [number, SnapshotNumber, SnapshotNumber, SnapshotNumber])[];
  readonly nextWindowSeq: number;
  readonly counters: WindowCounters;
  /** open windows, by window seq */
  readonly windows: readonly SnapshotWindow[];
}

export function encodeNumber(n: number): SnapshotNumber {
  return Number.isFinite(n) ? n : String(n);
}

export function decodeNumber(v: SnapshotNumber): number {
  if (typeof v === 'number') return v;
  if (v === 'Infinity' || v === '-Infinity' || v === 'NaN') return Number(v);
  throw new TypeError(`snapshot: ${JSON.stringify(v)} is not a number`);
}
