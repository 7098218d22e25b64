import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { classifierPrediction } from '../../schemas/tables/testRows.js';
import { DuckDbSink } from '../../shared/sinks/duckdb/duckdbSink.js';
import { QueryFailed } from '../../shared/sinks/duckdb/queryClient.js';
import { querySocketPath } from '../../shared/sinks/duckdb/querySocketPath.js';
import { queryWarehouse } from './warehouseQuery.js';

const holderScript = fileURLToPath(new URL('./fixtures/warehouseHolder.ts', import.meta.url));
let dir: string;
const children: ChildProcess[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'driftline-wquery-'));
});
afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

/** Starts a process holding `file` open and waits until it has written `batches` × 100 rows. */
async function holder(mode: 'serve' | 'hold', file: string, batches: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', holderScript, mode, file, String(batches)], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve();
    });
    child.once('exit', () => reject(new Error(`warehouse holder exited: ${stderr}`)));
  });
  return child;
}

const SQL = 'select key, count(*) as n from predictions group by key order by key';

describe('queryWarehouse', () => {
  it('reads the file directly when no process holds it', async () => {
    const file = join(dir, 'w.duckdb');
    const sink = await DuckDbSink.open({ path: file });
    await sink.write('predictions', [classifierPrediction({ key: 'a' }), classifierPrediction({ key: 'b' })]);
    await sink.close();
    expect(await queryWarehouse(file, SQL)).toEqual({ columns: ['key', 'n'], rows: [['a', 1], ['b', 1]] });
  });

  it('asks the process holding the file when it serves queries, with the same result as a direct read', async () => {
    const file = join(dir, 'w.duckdb');
    const child = await holder('serve', file, 3);
    const through = await queryWarehouse(file, SQL);
    expect(through).toEqual({ columns: ['key', 'n'], rows: [['v0', 100], ['v1', 100], ['v2', 100]] });
    // writes are refused there
    await expect(queryWarehouse(file, 'drop table predictions')).rejects.toThrow(/^refused: the statement is DROP, not a read/);
    await expect(queryWarehouse(file, 'drop table predictions')).rejects.toBeInstanceOf(QueryFailed);
    // once it has let the file go (and removed its socket), the same query reads the file itself
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(existsSync(querySocketPath(file))).toBe(false);
    expect(await queryWarehouse(file, SQL)).toEqual(through);
  });

  it('names the holding process and the fix when it does not serve queries', async () => {
    const file = join(dir, 'w.duckdb');
    const child = await holder('hold', file, 1);
    const started = Date.now();
    const err = await queryWarehouse(file, SQL, { waitMs: 500 }).then(() => undefined, (e: Error) => e);
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    expect(err!.message).toContain(`warehouse ${file} is open for writing in another process (PID ${child.pid}) running `);
    expect(err!.message).toMatch(/running \S*node\S*, which does not serve queries/);
    expect(err!.message).toContain(`which does not serve queries: nothing answers on ${querySocketPath(file)} (ENOENT). `);
    expect(err!.message).toMatch(/It is an older driftline, or another program such as the duckdb CLI .*Stop that process and run the query again/);
  });
});
