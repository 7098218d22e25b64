import { formatDuration } from '../time/duration.js';
import type { WindowEvent } from './event.js';

/**
 * Events that no window accepts are never dropped silently: they go to the side output with a
 * reason, and each reason is counted.
 * - `late`: behind the watermark by more than allowed lateness (every window it belongs to expired).
 * - `future`: more than max_future_skew ahead of the processing clock; quarantined and it does
 *   not advance the watermark, so one device with a fast clock cannot expire a fleet's windows.
 * - `invalid`: event time not a finite epoch-ms date, bad partition/offset, or an aggregation's
 *   value extractor threw.
 */
export type SideOutputReason = 'late' | 'future' | 'invalid';

export interface SideOutputRecord<T> {
  readonly reason: SideOutputReason;
  readonly event: WindowEvent<T>;
  /** stage watermark when the event was routed (may be -Infinity before any data, Infinity after flushAll) */
  readonly watermark: number;
  readonly processingTime: number;
  /** human-readable cause, for the late_events / dead_letters tables */
  readonly detail: string;
}

/** Largest |epoch ms| a JS Date represents; event times beyond it are `invalid`. */
export const MAX_EVENT_TIME = 8.64e15;

function iso(ms: number): string {
  return Number.isFinite(ms) && Math.abs(ms) <= MAX_EVENT_TIME ? new Date(ms).toISOString() : String(ms);
}

export function lateDetail(eventTime: number, watermark: number, allowedLatenessMs: number): string {
  return `event time ${iso(eventTime)} is behind watermark ${iso(watermark)}; every window it belongs to closed (allowed_lateness ${formatDuration(allowedLatenessMs)})`;
}

export function futureDetail(eventTime: number, processingTime: number, maxFutureSkewMs: number): string {
  return `event time ${iso(eventTime)} is ${formatDuration(eventTime - processingTime)} ahead of processing time ${iso(processingTime)} (max_future_skew ${formatDuration(maxFutureSkewMs)})`;
}
