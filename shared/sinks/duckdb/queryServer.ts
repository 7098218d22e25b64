import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { chmodSync, lstatSync, unlinkSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { encodeFrame, MAX_SQL_BYTES, QUERY_ROUTE } from './queryProtocol.js';
import { querySocketPath } from './querySocketPath.js';
import { QueryRefusedError, readOnlyQuery } from './readOnlyQuery.js';

/** Read queries served on the warehouse's query socket by the process that holds it open. */
export interface QueryServer {
  readonly socketPath: string;
  /** stops taking queries, interrupts the one running, removes the socket */
  close(): Promise<void>;
}

interface Job {
  readonly res: ServerResponse;
  aborted: boolean;
  running: boolean;
}

/**
 * Serves `driftline query` on `querySocketPath(file)` (protocol: queryProtocol.ts), so analysts can
 * read the warehouse while the pipeline writes it: DuckDB lets no other process open the file.
 *
 * Queries run one at a time on a connection of their own (not the pipeline's writer, nor the sink's
 * reader that in-process callers use), in read-only transactions: they see whole committed batches
 * and can neither write nor disturb another query's transaction. A client that hangs up interrupts
 * its query. Nothing here is process-global, so it runs as well in a worker thread; `close` cleans up.
 *
 * Resolves to undefined, serving nothing, when a live server already answers on the socket: that is
 * another sink on the same file in this process (DuckDB's lock keeps other processes out), and
 * it serves the same data.
 */
export async function startQueryServer(o: { file: string; instance: DuckDBInstance }): Promise<QueryServer | undefined> {
  const socketPath = querySocketPath(o.file);
  const connection = await o.instance.connect();
  let tail: Promise<void> = Promise.resolve();
  let current: Job | undefined;
  let closing = false;

  // Nothing a client does may throw in the pipeline's process: every path below ends in a reply,
  // a destroyed response, or nothing.
  const server = createServer((req, res) => {
    res.on('error', () => undefined);
    if (req.method !== 'POST' || req.url !== QUERY_ROUTE) {
      req.resume();
      return reply(res, 404, `driftline query socket: POST ${QUERY_ROUTE} with {"sql": "..."}`);
    }
    readSql(req).then((sql) => {
      if (closing) return reply(res, 503, 'the pipeline is stopping; run the query again once it has stopped, on the file directly');
      const job: Job = { res, aborted: false, running: false };
      res.on('close', () => {
        if (res.writableFinished) return;
        job.aborted = true;
        // DuckDB stops the statement at its next check; the job then rolls back and frees the connection
        if (job.running) connection.interrupt();
      });
      tail = tail.then(() => runJob(job, sql));
    }, (err: Error) => reply(res, err instanceof RequestError ? err.status : 400, err.message));
  });
  server.on('error', () => undefined);

  async function runJob(job: Job, sql: string): Promise<void> {
    if (job.aborted) return;
    job.running = true;
    current = job;
    try {
      await stream(job, sql);
    } catch (err) {
      // reached only when writing to the client fails; the query's own errors are replied
      job.res.destroy(err as Error);
    } finally {
      job.running = false;
      current = undefined;
    }
  }

  async function stream(job: Job, sql: string): Promise<void> {
    const { res } = job;
    let cursor;
    let first;
    try {
      cursor = await readOnlyQuery(connection, sql);
      // the first chunk before the status line: most execution errors show up here, as a 400
      first = await cursor.next();
    } catch (err) {
      await cursor?.close();
      return reply(res, err instanceof QueryRefusedError ? 403 : 400, (err as Error).message);
    }
    try {
      if (job.aborted) return;
      res.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8' });
      await send(res, encodeFrame({ columns: cursor.columns }));
      let count = 0;
      for (let rows = first; rows && !job.aborted; rows = await cursor.next()) {
        count += rows.length;
        await send(res, encodeFrame({ rows }));
      }
      if (!job.aborted) res.end(encodeFrame({ end: count }));
    } catch (err) {
      if (!job.aborted && !res.destroyed) res.end(encodeFrame({ error: (err as Error).message }));
    } finally {
      await cursor.close();
    }
  }

  await listen(server, socketPath).catch((err: unknown) => {
    connection.closeSync();
    throw err;
  });
  if (!server.listening) {
    connection.closeSync();
    return undefined;
  }
  // owner only: the socket reads whatever the warehouse holds
  chmodSync(socketPath, 0o600);

  return {
    socketPath,
    async close() {
      if (closing) return;
      closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // hang up on every client: a running query sees its response close and is interrupted
      server.closeAllConnections();
      if (current) {
        current.aborted = true;
        connection.interrupt();
      }
      // the interrupted query ends within moments; should it not, shutting the pipeline down wins,
      // and the connection is left to close with the database
      let timer: NodeJS.Timeout | undefined;
      const settled = await Promise.race([
        tail.then(() => true),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 5000))),
      ]);
      clearTimeout(timer);
      await closed;
      if (settled) connection.closeSync();
      // libuv removes the socket file when the server closes; this covers the case it did not
      try {
        unlinkSync(socketPath);
      } catch {
        // already gone
      }
    },
  };
}

class RequestError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

function reply(res: ServerResponse, status: number, text: string): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(text);
}

async function readSql(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of req as AsyncIterable<Buffer>) {
    size += part.length;
    if (size > MAX_SQL_BYTES) throw new RequestError(413, `the query is over ${MAX_SQL_BYTES} bytes`);
    parts.push(part);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(parts).toString('utf8'));
  } catch {
    throw new RequestError(400, 'the request body must be JSON: {"sql": "..."}');
  }
  const sql = (body as { sql?: unknown } | null)?.sql;
  if (typeof sql !== 'string') throw new RequestError(400, 'the request body must be JSON with a string "sql"');
  return sql;
}

/** Writes with backpressure, so a slow reader holds the query rather than the pipeline's memory. */
function send(res: ServerResponse, chunk: string): Promise<void> {
  // a response whose client is gone never drains: fail rather than wait forever holding the queue
  if (res.destroyed) return Promise.reject(new Error('the client hung up'));
  if (res.write(chunk)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (err?: Error) => {
      res.off('drain', done);
      res.off('close', onClose);
      if (err) reject(err);
      else resolve();
    };
    const onClose = () => done(new Error('the client hung up'));
    res.on('drain', done);
    res.on('close', onClose);
  });
}

/**
 * Listens on `path`, replacing a stale socket file (left by a process that was killed, so nobody
 * answers on it). Leaves the server not listening when a live server answers there.
 */
async function listen(server: Server, path: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(path, () => {
          server.off('error', reject);
          resolve();
        });
      });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt > 0) {
        throw new Error(`cannot serve queries on ${path}: ${(err as Error).message}; check that its folder is writable`, { cause: err });
      }
    }
    let isSocket = false;
    try {
      isSocket = lstatSync(path).isSocket();
    } catch {
      continue; // gone meanwhile: listen again
    }
    if (!isSocket) throw new Error(`cannot serve queries on ${path}: a file that is not a socket is in the way; remove it`);
    if (await answers(path)) return;
    try {
      unlinkSync(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new Error(`cannot serve queries on ${path}: a stale socket is in the way and cannot be removed (${(err as Error).message}); remove it`);
      }
    }
  }
}

/** Whether a server answers on the socket file; only "connection refused" means nobody does. */
function answers(path: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNREFUSED') resolve(false);
      else reject(new Error(`cannot serve queries on ${path}: a socket is in the way and probing it failed (${err.message}); remove it`));
    });
  });
}
