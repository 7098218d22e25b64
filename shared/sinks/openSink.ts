import type { SinkConfig } from '../config/sinkSchema.js';
import { BigQuerySink } from './bigquery/bigquerySink.js';
import { DuckDbSink } from './duckdb/duckdbSink.js';
import type { Sink } from './sink.js';

/** The warehouse `sink:` in driftline.yaml describes. Both create or migrate their tables on open. */
export async function openSink(config: SinkConfig): Promise<Sink> {
  switch (config.kind) {
    case 'duckdb':
      // the services hold the file for as long as they run: they answer `driftline query` meanwhile
      return DuckDbSink.open({ path: config.path, serveQueries: true });
    case 'bigquery':
      return BigQuerySink.open({
        projectId: config.project_id,
        datasetId: config.dataset,
        location: config.location,
        ...(config.api_endpoint ? { apiEndpoint: config.api_endpoint } : {}),
      });
  }
}
