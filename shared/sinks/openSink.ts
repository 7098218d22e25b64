import type { SinkConfig } from '../config/sinkSchema.js';
import { DuckDbSink } from './duckdb/duckdbSink.js';
import type { Sink } from './sink.js';

/** The warehouse `sink:` in driftline.yaml describes. */
export async function openSink(config: SinkConfig): Promise<Sink> {
  switch (config.kind) {
    case 'duckdb':
      return DuckDbSink.open({ path: config.path });
    case 'bigquery':
      throw new Error('sink.kind: "bigquery" is not available in this build yet (fix: use sink.kind: duckdb)');
  }
}
