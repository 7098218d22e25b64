import { BigQuery } from '@google-cloud/bigquery';

export interface BigQueryConnection {
  readonly projectId: string;
  readonly location?: string;
  /** e.g. the emulator, `http://127.0.0.1:9050`; default Google's endpoint. BIGQUERY_EMULATOR_HOST wins if set (client behaviour). */
  readonly apiEndpoint?: string;
}

/**
 * A BigQuery client for the sink's config. `autoRetry: false` for the client that streams rows: the
 * sink retries insertAll itself (streamingInserter.ts) with its own backoff and row-level handling,
 * and the client's retries on top would multiply attempts.
 */
export function bigqueryClient(connection: BigQueryConnection, options: { autoRetry?: boolean } = {}): BigQuery {
  return new BigQuery({
    projectId: connection.projectId,
    ...(connection.location ? { location: connection.location } : {}),
    ...(connection.apiEndpoint ? { apiEndpoint: connection.apiEndpoint } : {}),
    autoRetry: options.autoRetry ?? true,
  });
}
