import { batchRows, defaultBatchLimits, insertRowBytes, type BatchLimits, type InsertRow } from './insertBatches.js';
import { defaultBackoff, isRetryableError, withRetry, type BackoffPolicy, type RetryHooks } from './retryPolicy.js';
import { isPartialFailure, splitPartialFailure, type RejectedRow } from './rowRejections.js';

/** Options every insertAll request of the sink carries. */
export interface InsertOptions {
  /** the rows are already `{ insertId, json }` */
  readonly raw: true;
  /** valid rows land even when others in the request are invalid (only the invalid ones are reported) */
  readonly skipInvalidRows: true;
  /** a field the table lacks is an error, never silently dropped data */
  readonly ignoreUnknownValues: false;
  /** the client's own partial-failure retry would resend invalid rows too: retries are ours */
  readonly partialRetries: 0;
}

export const insertOptions: InsertOptions = { raw: true, skipInvalidRows: true, ignoreUnknownValues: false, partialRetries: 0 };

/** What the inserter needs of a table: `Table` of @google-cloud/bigquery, or a fake in unit tests. */
export interface InsertTarget {
  insert(rows: InsertRow[], options: InsertOptions): Promise<unknown>;
}

export interface InsertOutcome {
  readonly inserted: number;
  /** rows BigQuery refused for their content, with its errors; also rows too large for any request */
  readonly rejected: RejectedRow[];
  /** insertAll requests made, retries included */
  readonly requests: number;
}

export interface StreamingInserterOptions {
  readonly limits?: BatchLimits;
  readonly backoff?: BackoffPolicy;
  readonly hooks?: RetryHooks;
}

/**
 * Streams rows into one table with `tabledata.insertAll`: in batches within BigQuery's request
 * limits, each request retried with exponential backoff on transient errors, rows reported
 * `stopped`/transient sent again, rows refused for their content returned as rejected.
 *
 * Retries resend the same insertIds, so BigQuery may drop the resent copy, but that de-duplication
 * is best effort (a minute-scale window, not guaranteed; the emulator does none): readers
 * de-duplicate by row id (see bigquerySink.ts).
 */
export class StreamingInserter {
  private readonly limits: BatchLimits;
  private readonly backoff: BackoffPolicy;
  private readonly hooks: RetryHooks;

  constructor(options: StreamingInserterOptions = {}) {
    this.limits = options.limits ?? defaultBatchLimits;
    this.backoff = options.backoff ?? defaultBackoff;
    this.hooks = options.hooks ?? {};
  }

  /** Inserts in order, one request at a time; throws when a request still fails after its retries. */
  async insert(target: InsertTarget, rows: readonly InsertRow[]): Promise<InsertOutcome> {
    const { batches, oversized } = batchRows(rows, insertRowBytes, this.limits);
    const rejected: RejectedRow[] = oversized.map(({ item, bytes }) => ({
      row: item,
      errors: [{
        reason: 'invalid',
        message: `row is ${bytes} bytes as JSON; an insertAll request must stay under ${this.limits.maxBytes} bytes ` +
          '(BigQuery limit: 10 MB per request), so no request can carry it',
      }],
    }));
    let inserted = 0;
    let requests = 0;
    for (const batch of batches) {
      const outcome = await this.insertBatch(target, batch);
      inserted += outcome.inserted;
      requests += outcome.requests;
      rejected.push(...outcome.rejected);
    }
    return { inserted, rejected, requests };
  }

  private async insertBatch(target: InsertTarget, batch: InsertRow[]): Promise<InsertOutcome> {
    let pending = batch;
    let inserted = 0;
    let requests = 0;
    const rejected: RejectedRow[] = [];
    // One retry budget for the batch, whether the request failed as a whole or some rows came back
    // `stopped`: a batch that keeps failing gives up after maxAttempts requests.
    await withRetry(async () => {
      requests++;
      try {
        await target.insert(pending, insertOptions);
        inserted += pending.length;
        return;
      } catch (err) {
        if (!isPartialFailure(err)) throw err;
        const split = splitPartialFailure(err, pending);
        rejected.push(...split.rejected);
        inserted += pending.length - split.retry.length - split.rejected.length;
        if (split.retry.length === 0) return;
        pending = split.retry;
        throw new RowsToRetryError(split.retry.length, err);
      }
    }, this.backoff, this.hooks, (err) => err instanceof RowsToRetryError || isRetryableError(err));
    return { inserted, rejected, requests };
  }
}

/** Some rows of a request came back `stopped` or transient: send them again after a backoff. */
export class RowsToRetryError extends Error {
  override readonly name = 'RowsToRetryError';
  constructor(
    readonly rows: number,
    override readonly cause: unknown,
  ) {
    super(`${rows} rows were not inserted (stopped or transient row errors) and are sent again: ${(cause as Error).message}`);
  }
}
