import type { SinkConfig } from '../config/sinkSchema.js';
import { BigQuerySink } from './bigquery/bigquerySink.js';
import { DuckDbSink } from './duckdb/duckdbSink.js';
import type { Sink } from './sink.js';

/** The warehouse `sink:` in driftline.yaml describes. Both create or migrate their tables on open. */
export async function openSink(config: SinkConfig): Promise<Sink> {
  switch (config.kind) {
    case 'duckdb':
      return DuckDbSink.open({ path: config.path });
    case 'bigquery':
      return BigQuerySink.open({
        projectId: config.project_id,
        datasetId: config.dataset,
        location: config.location,
        ...(config.api_endpoint ? { apiEndpoint: config.api_endpoint } : {}),
      });
  }
}
