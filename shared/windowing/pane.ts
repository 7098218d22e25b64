/**
 * A pane is one firing of one window for one key (Beam's PaneInfo plus the aggregated values).
 * EARLY: before the watermark passed the window end (processing-time trigger).
 * ON_TIME: the watermark passed the window end; exactly one per window.
 * LATE: a late update within allowed lateness, or the closing pane when the window expires.
 */
export type PaneTiming = 'EARLY' | 'ON_TIME' | 'LATE';

export interface Pane<R> {
  readonly key: string;
  /** inclusive, epoch ms */
  readonly windowStart: number;
  /** exclusive, epoch ms */
  readonly windowEnd: number;
  /** 0, 1, 2, ... per window, in emission order */
  readonly paneIndex: number;
  readonly timing: PaneTiming;
  /** no further pane will be emitted for this window; every window gets exactly one final pane */
  readonly isFinal: boolean;
  /** events in this pane: the whole window so far (accumulating) or since the last pane (discarding) */
  readonly eventCount: number;
  /** smallest / largest event time among those events; null only for an empty discarding pane */
  readonly firstEventTime: number | null;
  readonly lastEventTime: number | null;
  /** one entry per aggregation, in the order the aggregations were declared */
  readonly results: R;
}
