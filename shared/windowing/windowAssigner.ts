/**
 * Window assignment for the fixed (aligned) window kinds. Windows are [start, end) in event time.
 * `%` on doubles is exact, so this stays right for negative times, unlike Math.floor(t / size).
 */
export function alignDown(t: number, step: number, offset: number): number {
  const r = (t - offset) % step;
  return t - (r < 0 ? r + step : r);
}

/** Start of the tumbling window holding t. */
export function tumblingStart(t: number, sizeMs: number, offsetMs: number): number {
  return alignDown(t, sizeMs, offsetMs);
}

/**
 * Start of the earliest sliding window holding t; the others follow every `periodMs` up to
 * alignDown(t, periodMs, offsetMs). An event belongs to ceil(size / period) windows at most.
 */
export function firstSlidingStart(t: number, sizeMs: number, periodMs: number, offsetMs: number): number {
  let s = alignDown(t, periodMs, offsetMs);
  while (s - periodMs > t - sizeMs) s -= periodMs;
  return s;
}

export function lastSlidingStart(t: number, periodMs: number, offsetMs: number): number {
  return alignDown(t, periodMs, offsetMs);
}
