import type { TrackPoint } from '../../shared/features/trackPoint.js';
import type { ModelManifest } from '../../shared/models/manifest.js';

export type WindowSpec = NonNullable<ModelManifest['window']>;

/** One key's points in one event-time window [start, end), oldest first. */
export interface TrackWindow {
  readonly key: string;
  readonly start: number;
  readonly end: number;
  readonly points: TrackPoint[];
}

function byTime(a: TrackPoint, b: TrackPoint): number {
  return a.t - b.t;
}

/** floor division that stays right for event times before 1970 */
function align(t: number, size: number): number {
  return Math.floor(t / size) * size;
}

function tumbling(key: string, points: readonly TrackPoint[], size: number): TrackWindow[] {
  const panes = new Map<number, TrackPoint[]>();
  for (const p of points) {
    const start = align(p.t, size);
    let pane = panes.get(start);
    if (pane === undefined) panes.set(start, (pane = []));
    pane.push(p);
  }
  return [...panes.entries()].sort((a, b) => a[0] - b[0]).map(([start, pts]) => ({ key, start, end: start + size, points: pts }));
}

function sliding(key: string, points: readonly TrackPoint[], size: number, period: number): TrackWindow[] {
  const panes = new Map<number, TrackPoint[]>();
  for (const p of points) {
    // every window start s = k*period with s <= t < s + size
    for (let start = align(p.t, period); start > p.t - size; start -= period) {
      let pane = panes.get(start);
      if (pane === undefined) panes.set(start, (pane = []));
      pane.push(p);
    }
  }
  return [...panes.entries()].sort((a, b) => a[0] - b[0]).map(([start, pts]) => ({ key, start, end: start + size, points: pts }));
}

function sessions(key: string, sorted: readonly TrackPoint[], gap: number): TrackWindow[] {
  const out: TrackWindow[] = [];
  let current: TrackPoint[] = [];
  for (const p of sorted) {
    if (current.length > 0 && p.t - current[current.length - 1].t > gap) {
      out.push({ key, start: current[0].t, end: current[current.length - 1].t + gap, points: current });
      current = [];
    }
    current.push(p);
  }
  if (current.length > 0) out.push({ key, start: current[0].t, end: current[current.length - 1].t + gap, points: current });
  return out;
}

/**
 * Assign a bounded set of tracks (a whole file: every window is complete, so no watermark is needed)
 * to the event-time windows a model was trained on. Tumbling windows start at floor(t / size) * size;
 * sliding windows every `period_ms`; a session closes after `gap_ms` without a point and ends gap_ms
 * after its last point (Flink's convention). Without a window spec each key's track is one window
 * ending just after its last point. Points arrive in any order and come out sorted by event time.
 */
export function windowTracks(tracks: ReadonlyMap<string, readonly TrackPoint[]>, spec: WindowSpec | undefined): TrackWindow[] {
  const out: TrackWindow[] = [];
  for (const [key, unsorted] of tracks) {
    const sorted = [...unsorted].sort(byTime);
    if (sorted.length === 0) continue;
    if (spec === undefined) out.push({ key, start: sorted[0].t, end: sorted[sorted.length - 1].t + 1, points: sorted });
    else if (spec.kind === 'tumbling') out.push(...tumbling(key, sorted, spec.size_ms));
    else if (spec.kind === 'sliding') out.push(...sliding(key, sorted, spec.size_ms, spec.period_ms));
    else out.push(...sessions(key, sorted, spec.gap_ms));
  }
  return out;
}
