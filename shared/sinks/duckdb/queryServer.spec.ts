import { spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { classifierPrediction } from '../../../schemas/tables/testRows.js';
import { DuckDbSink } from './duckdbSink.js';
import { QueryFailed, queryThroughSocket, QueryServerUnreachable } from './queryClient.js';
import { querySocketPath } from './querySocketPath.js';

let dir: string;
const sinks: DuckDbSink[] = [];
async function open(path: string, serveQueries = true): Promise<DuckDbSink> {
  const sink = await DuckDbSink.open({ path, serveQueries });
  sinks.push(sink);
  return sink;
}
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'driftline-qserver-'));
});
afterEach(async () => {
  for (const s of sinks.splice(0)) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

const batch = (b: number) => Array.from({ length: 100 }, (_, i) => classifierPrediction({ key: `v${b}`, pane_index: i }));
const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: Error) => e);

/** A query sent by hand, for a client that hangs up early. */
function rawQuery(socketPath: string, sql: string): { hangUp: () => void; done: Promise<void> } {
  const req = request({ socketPath, path: '/query', method: 'POST', agent: false });
  const done = new Promise<void>((resolve) => {
    req.on('error', () => resolve());
    req.on('close', () => resolve());
  });
  req.end(JSON.stringify({ sql }));
  return { hangUp: () => req.destroy(), done };
}

describe('query server', () => {
  it('answers queries from another connection while the sink writes, seeing only whole committed batches', async () => {
    const file = join(dir, 'w.duckdb');
    const sink = await open(file);
    const socket = querySocketPath(file);
    expect(socket).toBe(join(dir, '.w.duckdb.query.sock'));
    expect(lstatSync(socket).isSocket()).toBe(true);
    expect(lstatSync(socket).mode & 0o777).toBe(0o600);

    let writing = true;
    const writer = (async () => {
      for (let b = 0; b < 40; b++) await sink.write('predictions', batch(b));
      writing = false;
    })();
    const seen: number[] = [];
    while (writing) seen.push((await queryThroughSocket(file, 'select count(*) from predictions')).rows[0]![0] as number);
    await writer;
    // every count a whole number of batches, never going back
    expect(seen.length).toBeGreaterThan(1);
    for (const n of seen) expect(n % 100).toBe(0);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    expect(new Set(seen).size).toBeGreaterThan(1);

    // the whole table, every type, as the sink's own query gives it (over several chunks of rows)
    const sql = 'select *, probabilities::varchar as p_text from predictions order by row_id';
    const through = await queryThroughSocket(file, sql);
    expect(through.rows.length).toBe(4000);
    expect(through).toEqual(await sink.query(sql));
    // NaN and infinities, which JSON lacks, and integers past 2^53
    const special = "select 'nan'::double as a, 'inf'::double as b, -'inf'::double as c, 9007199254740993::bigint as d";
    expect(await queryThroughSocket(file, special)).toEqual(await sink.query(special));
  });

  it('refuses a write, naming the statement type and the fix, and leaves the data alone', async () => {
    const file = join(dir, 'w.duckdb');
    const sink = await open(file);
    await sink.write('predictions', batch(0));
    const err = await failure(queryThroughSocket(file, 'delete from predictions'));
    expect(err).toBeInstanceOf(QueryFailed);
    expect((err as QueryFailed).status).toBe(403);
    expect(err!.message).toMatch(/^refused: the statement is DELETE, not a read: a query sent to a running pipeline may only read/);
    expect(err!.message).toContain('to write, stop driftline run / driftline worker');
    expect((await sink.query('select count(*) from predictions')).rows).toEqual([[100]]);
  });

  it("returns DuckDB's error text with status 400", async () => {
    const file = join(dir, 'w.duckdb');
    await open(file);
    const err = await failure(queryThroughSocket(file, 'select * from predictionz'));
    expect(err).toBeInstanceOf(QueryFailed);
    expect((err as QueryFailed).status).toBe(400);
    expect(err!.message).toMatch(/^Catalog Error: Table with name predictionz does not exist/);
  });

  it('replaces a stale socket left by a killed process', async () => {
    const file = join(dir, 'w.duckdb');
    const socket = querySocketPath(file);
    const child = spawn(process.execPath, ['-e', `require('node:net').createServer().listen(${JSON.stringify(socket)}, () => console.log('up'))`]);
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(lstatSync(socket).isSocket()).toBe(true);
    await expect(queryThroughSocket(file, 'select 1')).rejects.toBeInstanceOf(QueryServerUnreachable);

    const sink = await open(file);
    await sink.write('predictions', batch(0));
    expect((await queryThroughSocket(file, 'select count(*) from predictions')).rows).toEqual([[100]]);
  });

  it('refuses to start over a file at the socket path that is not a socket', async () => {
    const file = join(dir, 'w.duckdb');
    writeFileSync(querySocketPath(file), 'not a socket');
    await expect(open(file)).rejects.toThrow(`cannot serve queries on ${querySocketPath(file)}: a file that is not a socket is in the way; remove it`);
  });

  it('serves a warehouse whose socket path would be too long from the temp folder', async () => {
    const deep = join(dir, 'a'.repeat(60), 'b'.repeat(60));
    mkdirSync(deep, { recursive: true });
    const file = join(deep, 'w.duckdb');
    const socket = querySocketPath(file);
    expect(socket.startsWith(tmpdir())).toBe(true);
    const sink = await open(file);
    await sink.write('predictions', batch(0));
    expect((await queryThroughSocket(file, 'select count(*) from predictions')).rows).toEqual([[100]]);
    expect(lstatSync(socket).mode & 0o777).toBe(0o600);
    await sink.close();
    expect(existsSync(socket)).toBe(false);
  });

  it('stops serving and removes the socket on close; serves nothing for :memory: or by default', async () => {
    const file = join(dir, 'w.duckdb');
    const sink = await open(file);
    const socket = querySocketPath(file);
    expect(existsSync(socket)).toBe(true);
    await sink.close();
    expect(existsSync(socket)).toBe(false);
    await expect(queryThroughSocket(file, 'select 1')).rejects.toBeInstanceOf(QueryServerUnreachable);
    await open(file, false);
    expect(existsSync(socket)).toBe(false);
  });

  it('leaves a second serving sink on the same file in this process without a server of its own', async () => {
    const file = join(dir, 'w.duckdb');
    const first = await open(file);
    const second = await open(file);
    await second.write('predictions', batch(0));
    expect((await queryThroughSocket(file, 'select count(*) from predictions')).rows).toEqual([[100]]);
    await second.close();
    // still the first one's server
    expect((await queryThroughSocket(file, 'select count(*) from predictions')).rows).toEqual([[100]]);
    await first.close();
    expect(existsSync(querySocketPath(file))).toBe(false);
  });

  it('interrupts the query of a client that hangs up, and serves the next one', async () => {
    const file = join(dir, 'w.duckdb');
    await open(file);
    // minutes of work if nothing stopped it
    const slow = rawQuery(querySocketPath(file), 'select sum(hash(i)) from range(100000000000) t(i)');
    await new Promise((r) => setTimeout(r, 300));
    slow.hangUp();
    await slow.done;
    const started = Date.now();
    expect((await queryThroughSocket(file, 'select 42')).rows).toEqual([[42]]);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('survives clients hanging up at every moment of a large result, then serves and closes normally', async () => {
    const file = join(dir, 'w.duckdb');
    const sink = await open(file);
    const socket = querySocketPath(file);
    // 2 million rows: many chunks, more than the socket buffers, so the server is mid-stream when they go
    const sql = 'select i, i * 2 as j, md5(i::varchar) as h from range(2000000) t(i)';
    for (let i = 0; i < 12; i++) {
      const client = rawQuery(socket, sql);
      await new Promise((r) => setTimeout(r, i * 15));
      client.hangUp();
      await client.done;
    }
    // and one that sends half a request body
    await new Promise<void>((resolve) => {
      const req = request({ socketPath: socket, path: '/query', method: 'POST', agent: false, headers: { 'content-length': '1000' } });
      req.on('error', () => resolve());
      req.write('{"sql": "sel');
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 100);
    });
    expect((await queryThroughSocket(file, 'select count(*) from range(1000)')).rows).toEqual([[1000]]);
    const started = Date.now();
    await sink.close();
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('closes promptly while a query runs, interrupting it', async () => {
    const file = join(dir, 'w.duckdb');
    const sink = await open(file);
    const slow = failure(queryThroughSocket(file, 'select sum(hash(i)) from range(100000000000) t(i)'));
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    await sink.close();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await slow).toBeInstanceOf(Error);
    expect(existsSync(querySocketPath(file))).toBe(false);
  });
});
