import type { WindowCounters } from './counters.js';
import { decodeNumber, encodeNumber, type SnapshotWindow, type WindowEngineSnapshot } from './snapshot.js';
import { PART, SEQ } from './windowStore.js';

/**
 * Engine snapshots cut along bus partitions, so that a partition's window state can move with the
 * partition when a consumer group rebalances (Flink's key groups, with the bus partition as the key
 * group: every key lives on one partition).
 *
 * A snapshot row omits the store's NEXT and KEY fields, which come after PART and SEQ, so those two
 * keep their store indices in the row.
 */
export function windowPartition(w: SnapshotWindow): number {
  return decodeNumber(w.row[PART]!);
}

/** The part of `s` that belongs to `partition`: its windows and its watermark/offset entry. */
export function partitionSnapshot(s: WindowEngineSnapshot, partition: number): WindowEngineSnapshot {
  return {
    ...s,
    partitions: s.partitions.filter(([p]) => p === partition),
    windows: s.windows.filter((w) => windowPartition(w) === partition),
  };
}

/** `s` without `partition`'s windows and entry (a partition whose restored state turned out stale). */
export function withoutPartition(s: WindowEngineSnapshot, partition: number): WindowEngineSnapshot {
  return {
    ...s,
    partitions: s.partitions.filter(([p]) => p !== partition),
    windows: s.windows.filter((w) => windowPartition(w) !== partition),
  };
}

const minOf = (xs: readonly (number | string)[]) => encodeNumber(Math.min(...xs.map(decodeNumber)));
const maxOf = (xs: readonly (number | string)[]) => encodeNumber(Math.max(...xs.map(decodeNumber)));

/**
 * One snapshot from per-partition parts, possibly taken by different engines (after a rebalance).
 * The stage watermark is the lowest of the parts' (never ahead of any partition's own view), the
 * processing clock the latest. Window seqs order firing ties; parts from one engine keep theirs,
 * parts from several are ordered by (seq, partition) and renumbered so seqs stay unique.
 * Counters are metrics, not state: each is the largest among the parts (exact when every part
 * comes from one engine, as after a plain restart).
 */
export function mergeSnapshots(parts: readonly WindowEngineSnapshot[]): WindowEngineSnapshot {
  if (parts.length === 0) throw new Error('mergeSnapshots: no parts');
  const first = parts[0]!;
  for (const p of parts) {
    if (JSON.stringify(p.config) !== JSON.stringify(first.config) || JSON.stringify(p.aggregations) !== JSON.stringify(first.aggregations)) {
      throw new Error('mergeSnapshots: parts were taken with different windowing configs or aggregations');
    }
  }
  const seen = new Set<number>();
  for (const p of parts) {
    for (const [partition] of p.partitions) {
      if (seen.has(partition)) throw new Error(`mergeSnapshots: partition ${partition} appears in more than one part`);
      seen.add(partition);
    }
  }
  const windows = parts.flatMap((p) => p.windows);
  const seqs = new Set(windows.map((w) => decodeNumber(w.row[SEQ]!)));
  let merged = windows;
  let nextWindowSeq = Math.max(...parts.map((p) => p.nextWindowSeq));
  if (seqs.size !== windows.length) {
    merged = [...windows]
      .sort((a, b) => decodeNumber(a.row[SEQ]!) - decodeNumber(b.row[SEQ]!) || windowPartition(a) - windowPartition(b))
      .map((w, i) => ({ ...w, row: w.row.map((v, k) => (k === SEQ ? i : v)) }));
    nextWindowSeq = merged.length;
  } else {
    merged = [...windows].sort((a, b) => decodeNumber(a.row[SEQ]!) - decodeNumber(b.row[SEQ]!));
  }
  const counters = {} as Record<string, number>;
  for (const p of parts) {
    for (const [k, v] of Object.entries(p.counters)) counters[k] = Math.max(counters[k] ?? -Infinity, v);
  }
  return {
    format: first.format,
    config: first.config,
    aggregations: first.aggregations,
    processingTime: maxOf(parts.map((p) => p.processingTime)),
    watermark: minOf(parts.map((p) => p.watermark)),
    manualWatermark: minOf(parts.map((p) => p.manualWatermark)),
    partitions: parts.flatMap((p) => p.partitions).sort((a, b) => a[0] - b[0]),
    nextWindowSeq,
    counters: counters as unknown as WindowCounters,
    windows: merged,
  };
}
