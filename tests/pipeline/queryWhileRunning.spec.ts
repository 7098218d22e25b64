import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { classifierPrediction } from '../../schemas/tables/testRows.js';
import { DuckDbSink } from '../../shared/sinks/duckdb/duckdbSink.js';
import { querySocketPath } from '../../shared/sinks/duckdb/querySocketPath.js';
import { driftlineBin, exited, said, sleep, start, type Service } from './driftlineProcess.js';
import { testConfig } from './pipelineFixture.js';

/** `driftline query ...args` as its own process, the way an analyst runs it beside the pipeline. */
function query(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [driftlineBin, 'query', ...args], { encoding: 'utf8', timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

async function jsonQuery(config: string, sql: string): Promise<Record<string, unknown>[]> {
  const r = await query(['-c', config, '--json', sql]);
  if (r.code !== 0) throw new Error(`driftline query exited ${r.code}: ${r.stderr}`);
  return r.stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
}

const SEEDED = 250;

/**
 * A config with everything in a fresh folder (embedded broker on a free port, embedded bus, DuckDB),
 * whose warehouse already holds SEEDED predictions of key `seeded`: a count the pipeline never changes.
 */
async function seededConfig(name: string): Promise<{ file: string; warehouse: string }> {
  const { input, dir } = testConfig('mqtt://127.0.0.1:1', `driftline-query-${name}-${process.pid}`);
  const mqtt = (input as { sources: { mqtt: Record<string, unknown> } }).sources.mqtt;
  delete mqtt.url;
  mqtt.embedded = { host: '127.0.0.1', port: 0 };
  (input as { log_level: string }).log_level = 'info';
  const file = join(dir, 'driftline.json');
  writeFileSync(file, JSON.stringify(input));
  const warehouse = join(dir, 'driftline.duckdb');
  const sink = await DuckDbSink.open({ path: warehouse });
  await sink.write('predictions', Array.from({ length: SEEDED }, (_, i) => classifierPrediction({ key: 'seeded', pane_index: i })));
  await sink.close();
  return { file, warehouse };
}

const running: Service[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) {
    if (s.child.exitCode === null && s.child.signalCode === null) {
      s.child.kill('SIGTERM');
      await exited(s.child);
    }
  }
});

/** Polls `driftline query` until the pipeline has landed rows of its own; returns their count. */
async function liveRows(config: string, service: Service): Promise<number> {
  const end = Date.now() + 240_000;
  for (;;) {
    const [row] = await jsonQuery(config, "select count(*) as n from predictions where key <> 'seeded'");
    if ((row!.n as number) > 0) return row!.n as number;
    if (service.child.exitCode !== null) throw new Error(`the pipeline exited:\n${service.output}`);
    if (Date.now() > end) throw new Error(`no predictions landed in 240 s:\n${service.output}`);
    await sleep(1000);
  }
}

describe('driftline query while a driftline process holds the warehouse', () => {
  it('reads through `driftline run`: exact seeded rows, rows landed meanwhile, and refuses writes', async () => {
    const { file, warehouse } = await seededConfig('run');
    const run = start(['run', '-c', file, '--no-progress'], []);
    running.push(run);
    await said(run, /driftline running/);
    const socket = querySocketPath(warehouse);
    expect(existsSync(socket)).toBe(true);

    // a table, as without a pipeline
    const table = await query(['-c', file, "select key, count(*) as n from predictions where key = 'seeded' group by key"]);
    expect(table.stderr).toBe('');
    expect(table.stdout).toBe(`key    | n  \n-------+----\nseeded | ${SEEDED}\n(1 row)\n`);

    // rows the pipeline lands while it runs are visible (committed batches, read from its own process)
    const landed = await liveRows(file, run);
    const later = await jsonQuery(file, "select count(*) as n from predictions where key <> 'seeded'");
    expect(later[0]!.n as number).toBeGreaterThanOrEqual(landed);

    const refused = await query(['-c', file, "delete from predictions where key = 'seeded'"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^driftline query: refused: the statement is DELETE, not a read: .*stop driftline run \/ driftline worker/);
    expect(await jsonQuery(file, "select count(*) as n from predictions where key = 'seeded'")).toEqual([{ n: SEEDED }]);
    expect(run.child.exitCode).toBeNull();

    // stopped, it lets the file and the socket go, and the same query reads the file itself
    run.child.kill('SIGTERM');
    expect(await exited(run.child)).toBe(0);
    expect(existsSync(socket)).toBe(false);
    const after = await jsonQuery(file, "select count(*) as n from predictions where key <> 'seeded'");
    expect(after[0]!.n as number).toBeGreaterThanOrEqual(later[0]!.n as number);
  }, 400_000);

  it('reads through `driftline worker`', async () => {
    const { file, warehouse } = await seededConfig('worker');
    const worker = start(['worker', '-c', file], []);
    running.push(worker);
    await said(worker, /worker stats/);
    expect(existsSync(querySocketPath(warehouse))).toBe(true);
    expect(await jsonQuery(file, "select key, count(*) as n from predictions group by key")).toEqual([{ key: 'seeded', n: SEEDED }]);
    worker.child.kill('SIGTERM');
    expect(await exited(worker.child)).toBe(0);
    expect(existsSync(querySocketPath(warehouse))).toBe(false);
  }, 300_000);
});
