import type { PipelineStatus } from './pipeline.js';

function rate(n: number): string {
  return n >= 10_000 ? `${(n / 1000).toFixed(0)}k` : n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(Math.round(n));
}

function lag(ms: number): string {
  if (ms < 120_000) return `${Math.round(ms / 1000)}s`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)}m`;
  if (ms < 172_800_000) return `${(ms / 3_600_000).toFixed(1)}h`;
  return `${(ms / 86_400_000).toFixed(1)}d`;
}

/**
 * One status line from two snapshots `dtMs` apart: rates in and out, open windows, how far the
 * watermark trails processing time, and the running totals an operator watches.
 */
export function progressLine(prev: PipelineStatus, cur: PipelineStatus, dtMs: number, now: number): string {
  const perS = (a: number, b: number) => ((b - a) * 1000) / Math.max(1, dtMs);
  const wm = cur.watermark === null ? 'none' : lag(Math.max(0, now - cur.watermark));
  return [
    `in ${rate(perS(prev.received, cur.received))} msg/s`,
    `out ${rate(perS(prev.rows_landed, cur.rows_landed))} rows/s`,
    `open windows ${cur.open_windows}`,
    `watermark lag ${wm}`,
    `rows ${cur.rows_landed}`,
    `dead letters ${cur.dead_letters}`,
    `late ${cur.late_events}`,
  ].join(' | ');
}
