import type { DeadLetterRow } from '../../schemas/tables/deadLetters.js';
import type { LateEventRow } from '../../schemas/tables/lateEvents.js';
import type { PredictionRow } from '../../schemas/tables/predictions.js';
import type { Row, TableName } from '../../schemas/tables/tables.js';
import type { Sink, WriteResult } from '../../shared/sinks/sink.js';
import type { LoopHealth } from './loopHealth.js';
import type { WorkerMetrics } from './workerMetrics.js';

/** Adds `n` to `key` of `counts`; labels are gathered per write, so each series is bumped once. */
function tally<K>(counts: Map<string, { labels: K; n: number }>, key: string, labels: K): void {
  const c = counts.get(key);
  if (c) c.n++;
  else counts.set(key, { labels, n: 1 });
}

/**
 * The sink one worker loop lands through: the real warehouse, plus what landed counted by what it
 * is (panes by timing, prediction rows by model, late events and dead letters by reason), the time
 * each write took, and whether writes succeed (LoopHealth). Counting happens after the write
 * resolved, so a failed write that the loop retries is counted once, when it lands.
 */
export class MeteredSink implements Sink {
  constructor(
    private readonly sink: Sink,
    /** the loop's stream (`dead_letters` for the lander) */
    private readonly stream: string,
    private readonly metrics: WorkerMetrics | undefined,
    private readonly health: LoopHealth,
  ) {}

  async write<T extends TableName>(table: T, rows: readonly Row<T>[]): Promise<WriteResult> {
    const start = performance.now();
    let result: WriteResult;
    try {
      result = await this.sink.write(table, rows);
    } catch (err) {
      this.health.failed(`sink ${table}`, err);
      this.metrics?.sinkFailures.inc({ stream: this.stream, table });
      throw err;
    }
    this.health.succeeded(`sink ${table}`);
    if (this.metrics) this.count(this.metrics, table, rows, result, (performance.now() - start) / 1000);
    return result;
  }

  private count(m: WorkerMetrics, table: TableName, rows: readonly unknown[], result: WriteResult, seconds: number): void {
    const stream = this.stream;
    m.sinkSeconds.observe({ stream, table }, seconds);
    if (result.deadLettered > 0) m.rowsRefused.inc({ stream, table }, result.deadLettered);
    if (table === 'predictions') {
      const models = new Map<string, { labels: { stream: string; model: string; model_version: string; model_role: string }; n: number }>();
      const panes = new Map<string, { labels: { stream: string; timing: string }; n: number }>();
      for (const r of rows as readonly PredictionRow[]) {
        tally(models, `${r.stream}\u0000${r.model}\u0000${r.model_version}\u0000${r.model_role}`, { stream: r.stream, model: r.model, model_version: r.model_version, model_role: r.model_role });
        // one champion row per pane (a shadow scores the same panes again)
        if (r.model_role === 'champion') tally(panes, `${r.stream}\u0000${r.pane_timing}`, { stream: r.stream, timing: r.pane_timing });
      }
      for (const { labels, n } of models.values()) m.predictionRows.inc(labels, n);
      for (const { labels, n } of panes.values()) m.panes.inc(labels, n);
    } else if (table === 'late_events') {
      const reasons = new Map<string, { labels: { stream: string; reason: string }; n: number }>();
      for (const r of rows as readonly LateEventRow[]) tally(reasons, `${r.stream}\u0000${r.reason}`, { stream: r.stream, reason: r.reason });
      for (const { labels, n } of reasons.values()) m.lateEvents.inc(labels, n);
    } else if (table === 'dead_letters') {
      const reasons = new Map<string, { labels: { stream: string; source: string; reason: string }; n: number }>();
      for (const r of rows as readonly DeadLetterRow[]) {
        const labels = { stream: r.stream ?? 'unknown', source: r.source, reason: r.reason };
        tally(reasons, `${labels.stream}\u0000${labels.source}\u0000${labels.reason}`, labels);
      }
      for (const { labels, n } of reasons.values()) m.deadLetters.inc(labels, n);
    }
  }

  /** The warehouse belongs to whoever opened it (the command), not to one loop. */
  async close(): Promise<void> {}
}
