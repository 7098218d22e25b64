import { DuckDbSink, type QueryResult } from '../../shared/sinks/duckdb/duckdbSink.js';
import { queryThroughSocket, QueryServerUnreachable } from '../../shared/sinks/duckdb/queryClient.js';
import { WarehouseLockedError } from '../../shared/sinks/duckdb/warehouseLockedError.js';

export interface WarehouseQueryOptions {
  /**
   * how long to keep trying while the file is locked and nobody answers on its socket, in ms
   * (default 2000): a pipeline that is starting holds the file a moment before it serves queries,
   * and one that is stopping stops serving a moment before it lets the file go
   */
  readonly waitMs?: number;
}

/**
 * `driftline query`'s SQL on the DuckDB warehouse at `path`: on the file itself when no process
 * holds it, else through the process that does (driftline run / worker / ingest-ais serve read
 * queries on the file's query socket, queryServer.ts). Same result either way.
 */
export async function queryWarehouse(path: string, sql: string, options: WarehouseQueryOptions = {}): Promise<QueryResult> {
  const deadline = Date.now() + (options.waitMs ?? 2000);
  for (;;) {
    let locked: WarehouseLockedError;
    let sink: DuckDbSink;
    try {
      sink = await DuckDbSink.open({ path });
    } catch (err) {
      if (!(err instanceof WarehouseLockedError)) throw err;
      locked = err;
      try {
        return await queryThroughSocket(locked.file, sql);
      } catch (err2) {
        if (!(err2 instanceof QueryServerUnreachable)) throw err2;
        if (Date.now() >= deadline) throw new Error(notServing(locked, err2));
      }
      await new Promise((r) => setTimeout(r, 200));
      continue;
    }
    try {
      return await sink.query(sql);
    } finally {
      await sink.close();
    }
  }
}

function notServing(locked: WarehouseLockedError, unreachable: QueryServerUnreachable): string {
  return `warehouse ${locked.file} is open for writing in another process${locked.holder}, which does not serve ` +
    `queries: ${unreachable.message}. It is an older driftline, or another program such as the duckdb CLI (DuckDB lets ` +
    'one process open the file). Stop that process and run the query again, or run the pipeline with this driftline ' +
    '(driftline run / worker / ingest-ais answer driftline query while they hold the warehouse)';
}
