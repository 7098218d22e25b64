import type { WorkerStats } from './featureWorker.js';

/** Slots before the streams': dead letters landed, ready. */
const HEADER = 2;

/**
 * WorkerStats (and readiness) in shared memory, so the thread that started a worker thread reads them synchronously
 * (progress line, `driftline run`'s summary, benchmarks) without a message round trip. The worker
 * thread writes; numbers only, one Float64 slot per stream and field, in the order `fieldsOf` gives.
 */
export class WorkerStatsBuffer {
  static readonly MAX_FIELDS = 32;

  static bytes(streams: number): number {
    return (HEADER + streams * WorkerStatsBuffer.MAX_FIELDS) * Float64Array.BYTES_PER_ELEMENT;
  }

  /** The numeric fields of the per-stream stats, as the worker reports them. */
  static fieldsOf(stats: WorkerStats): string[] {
    const first = Object.values(stats.streams)[0] ?? {};
    const fields = Object.entries(first).filter(([, v]) => typeof v === 'number').map(([k]) => k);
    if (fields.length > WorkerStatsBuffer.MAX_FIELDS) {
      throw new Error(`WorkerStatsBuffer: ${fields.length} stats fields per stream, room for ${WorkerStatsBuffer.MAX_FIELDS}: raise MAX_FIELDS`);
    }
    return fields;
  }

  private readonly slots: Float64Array;

  constructor(readonly buffer: SharedArrayBuffer, private readonly streams: readonly string[]) {
    this.slots = new Float64Array(buffer);
    if (this.slots.length < HEADER + streams.length * WorkerStatsBuffer.MAX_FIELDS) {
      throw new Error(`WorkerStatsBuffer: ${buffer.byteLength} bytes is too small for ${streams.length} streams`);
    }
  }

  write(stats: WorkerStats, fields: readonly string[], ready: boolean): void {
    this.slots[0] = stats.deadLettersLanded;
    this.slots[1] = ready ? 1 : 0;
    this.streams.forEach((name, i) => {
      const s = stats.streams[name] as unknown as Record<string, number> | undefined;
      if (!s) return;
      const base = HEADER + i * WorkerStatsBuffer.MAX_FIELDS;
      fields.forEach((f, j) => (this.slots[base + j] = s[f] ?? 0));
    });
  }

  read(fields: readonly string[]): WorkerStats {
    const streams: Record<string, Record<string, number>> = {};
    this.streams.forEach((name, i) => {
      const base = HEADER + i * WorkerStatsBuffer.MAX_FIELDS;
      streams[name] = Object.fromEntries(fields.map((f, j) => [f, this.slots[base + j]!]));
    });
    return { streams: streams as unknown as WorkerStats['streams'], deadLettersLanded: this.slots[0]! };
  }

  /** The worker's readiness as last written (false before the first write). */
  get ready(): boolean {
    return this.slots[1] === 1;
  }
}
