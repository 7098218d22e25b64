import { lstatSync } from 'node:fs';
import { request } from 'node:http';
import type { QueryResult } from './duckdbSink.js';
import { decodeFrame, QUERY_ROUTE } from './queryProtocol.js';
import { querySocketPath } from './querySocketPath.js';

/** Nobody answers on the warehouse's query socket: no process serves queries on that file. */
export class QueryServerUnreachable extends Error {
  override readonly name = 'QueryServerUnreachable';
  constructor(readonly socketPath: string, cause: Error) {
    super(`nothing answers on ${socketPath} (${(cause as NodeJS.ErrnoException).code ?? cause.message})`, { cause });
  }
}

/** The serving process answered with an error: DuckDB's message, or the refusal of a write. */
export class QueryFailed extends Error {
  override readonly name = 'QueryFailed';
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/**
 * Runs `sql` through the process that holds `file` open (see queryServer.ts) and returns what
 * `DuckDbSink.query` would. Throws QueryServerUnreachable when no process serves the socket,
 * QueryFailed when the query fails there.
 */
export async function queryThroughSocket(file: string, sql: string): Promise<QueryResult> {
  const socketPath = querySocketPath(file);
  try {
    const owner = lstatSync(socketPath).uid;
    // a socket of another user, e.g. planted in the shared tmp folder, would get our SQL and could fake results
    if (process.getuid && owner !== process.getuid()) {
      throw new Error(`the query socket ${socketPath} belongs to user ${owner}, not to you (${process.getuid()}): refusing to use it; run driftline query as the user running the pipeline, or remove that file`);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new QueryServerUnreachable(socketPath, err as Error);
    throw err;
  }
  return new Promise<QueryResult>((resolve, reject) => {
    const req = request({
      socketPath, path: QUERY_ROUTE, method: 'POST', agent: false,
      headers: { 'content-type': 'application/json' },
    }, (res) => {
      res.setEncoding('utf8');
      if (res.statusCode !== 200) {
        let text = '';
        res.on('data', (d: string) => (text += d));
        res.on('end', () => reject(new QueryFailed(res.statusCode ?? 0, text || `status ${res.statusCode}`)));
        res.on('error', reject);
        return;
      }
      let columns: string[] | undefined;
      const rows: unknown[][] = [];
      let buffer = '';
      let settled = false;
      const settle = (err: Error | undefined, result?: QueryResult) => {
        if (settled) return;
        settled = true;
        if (err) {
          res.destroy();
          reject(err);
        } else {
          resolve(result!);
        }
      };
      res.on('data', (d: string) => {
        buffer += d;
        let newline: number;
        while (!settled && (newline = buffer.indexOf('\n')) >= 0) {
          const frame = decodeFrame(buffer.slice(0, newline));
          buffer = buffer.slice(newline + 1);
          if ('columns' in frame) columns = frame.columns;
          else if ('rows' in frame) for (const row of frame.rows) rows.push(row);
          else if ('error' in frame) settle(new QueryFailed(200, frame.error));
          else if (columns && frame.end === rows.length) settle(undefined, { columns, rows });
          else settle(new Error(`the query socket ${socketPath} sent ${rows.length} rows but announced ${frame.end}`));
        }
      });
      res.on('end', () => settle(new Error(`the pipeline hung up before the end of the result (is it stopping?); run the query again`)));
      res.on('error', (err) => settle(err));
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      reject(err.code === 'ECONNREFUSED' || err.code === 'ENOENT' ? new QueryServerUnreachable(socketPath, err) : err);
    });
    req.end(JSON.stringify({ sql }));
  });
}
