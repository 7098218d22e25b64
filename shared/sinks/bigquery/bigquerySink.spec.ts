import { BigQuery, type Table } from '@google-cloud/bigquery';
import { describe, expect, it } from 'vitest';
import { rowId } from '../../../schemas/tables/rowId.js';
import { classifierPrediction, regressorPrediction, vessel } from '../../../schemas/tables/testRows.js';
import { BigQuerySink } from './bigquerySink.js';
import type { InsertRow } from './insertBatches.js';
import type { InsertTarget } from './streamingInserter.js';

/**
 * Unit tests of the sink's insertAll handling. The emulator refuses rows per row only for an unknown
 * field (bigqueryEmulator.spec.ts covers that); a bad value fails its whole request with a 500, and it
 * never reports `stopped` or transient row errors. So these use REAL `Table` objects of @google-cloud/bigquery
 * whose HTTP layer (`request`) is replaced by a script of insertAll responses: the client's own
 * code turns `insertErrors` into its PartialFailureError, and the sink must handle what it throws.
 */
interface Request {
  table: string;
  body: { rows: InsertRow[]; skipInvalidRows?: boolean; ignoreUnknownValues?: boolean };
}

type Answer = (body: Request['body']) => unknown;

function scripted(answers: Answer[]) {
  const bq = new BigQuery({ projectId: 'test', apiEndpoint: 'http://127.0.0.1:9' });
  const requests: Request[] = [];
  const targets = (name: string): InsertTarget => {
    const table: Table = bq.dataset('ds').table(name);
    (table as unknown as { request: (opts: { json: Request['body'] }) => Promise<unknown[]> }).request = async (opts) => {
      requests.push({ table: name, body: structuredClone(opts.json) });
      const answer = answers.shift() ?? (() => ({}));
      return [answer(opts.json)];
    };
    return table as unknown as InsertTarget;
  };
  return { targets, requests };
}

const quiet = { sleep: async () => undefined, onRetry: () => undefined };

async function sinkWith(answers: Answer[], limits?: { maxRows: number; maxBytes: number }) {
  const { targets, requests } = scripted(answers);
  const sink = await BigQuerySink.open({ projectId: 'test', datasetId: 'ds', targets, retryHooks: quiet, ...(limits ? { limits } : {}) });
  return { sink, requests };
}

const ok: Answer = () => ({ kind: 'bigquery#tableDataInsertAllResponse' });
const httpError = (code: number, reason: string): Answer => () => {
  throw Object.assign(new Error(`${reason} (HTTP ${code})`), { code, errors: [{ reason, message: reason }] });
};

describe('BigQuerySink (insertAll handling, HTTP layer scripted)', () => {
  it('sends each row with insertId = primary key, timestamps as RFC 3339, JSON as text, NULLs left out', async () => {
    const { sink, requests } = await sinkWith([ok]);
    const row = classifierPrediction();
    expect(await sink.write('predictions', [row])).toEqual({ written: 1, deadLettered: 0 });
    expect(requests).toHaveLength(1);
    const body = requests[0].body;
    expect(body.skipInvalidRows).toBe(true);
    expect(body.ignoreUnknownValues).toBe(false);
    expect(body.rows[0].insertId).toBe(row.row_id);
    expect(body.rows[0].json).toMatchObject({
      window_end: '2024-05-01T11:00:00.000Z', processed_at: '2024-05-01T11:00:02.345Z',
      probabilities: JSON.stringify(row.probabilities), is_final: true, pane_index: 0,
    });
    expect(body.rows[0].json).not.toHaveProperty('value');
  });

  it('rows BigQuery rejects land in dead_letters with its error text; the rest count as written', async () => {
    const good = classifierPrediction();
    const bad = classifierPrediction({ key: '999' });
    const { sink, requests } = await sinkWith([
      (body) => ({
        insertErrors: [{
          index: body.rows.findIndex((r) => r.insertId === bad.row_id),
          errors: [{ reason: 'invalid', location: 'probabilities', message: 'JSON parsing error in row starting at position 0' }],
        }],
      }),
      ok,
    ]);
    expect(await sink.write('predictions', [good, bad])).toEqual({ written: 1, deadLettered: 1 });
    expect(requests.map((r) => r.table)).toEqual(['predictions', 'dead_letters']);
    const letter = requests[1].body.rows[0].json as Record<string, unknown>;
    expect(letter).toMatchObject({
      source: 'bigquery', topic: 'predictions', stream: 'vessels', reason: 'rejected', payload_encoding: 'utf8',
      detail: "BigQuery refused the row for table 'predictions': invalid: JSON parsing error in row starting at position 0 (at probabilities)",
    });
    expect(JSON.parse(letter.payload as string)).toMatchObject({ row_id: bad.row_id, key: '999' });
    // deterministic: the same rejection replayed gets the same dead-letter id
    expect(letter.id).toBe(rowId(['rejected', 'bigquery', 'predictions', letter.payload as string]));
    expect(requests[1].body.rows[0].insertId).toBe(letter.id);
  });

  it('reads a missing insertErrors[].index as row 0 (JSON that omits default values, as the emulator sends)', async () => {
    const { sink, requests } = await sinkWith([
      () => ({ insertErrors: [{ errors: [{ reason: 'invalid', location: 'flag', message: 'no such field: flag.' }] }] }),
      ok,
    ]);
    expect(await sink.write('vessels', [vessel({ mmsi: '5' }), vessel({ mmsi: '6' })])).toEqual({ written: 1, deadLettered: 1 });
    expect(JSON.parse((requests[1].body.rows[0].json as { payload: string }).payload).mmsi).toBe('5');
  });

  it('resends rows reported `stopped` (another row was invalid) and dead-letters only the invalid one', async () => {
    const rows = [regressorPrediction({ key: 'a' }), regressorPrediction({ key: 'b' }), regressorPrediction({ key: 'c' })];
    const { sink, requests } = await sinkWith([
      () => ({
        insertErrors: [
          { index: 0, errors: [{ reason: 'stopped', message: '' }] },
          { index: 1, errors: [{ reason: 'invalid', message: 'no such field: x.' }] },
          { index: 2, errors: [{ reason: 'stopped', message: '' }] },
        ],
      }),
      ok,
      ok,
    ]);
    expect(await sink.write('predictions', rows)).toEqual({ written: 2, deadLettered: 1 });
    expect(requests.map((r) => [r.table, r.body.rows.map((x) => x.insertId)])).toEqual([
      ['predictions', rows.map((r) => r.row_id)],
      ['predictions', [rows[0].row_id, rows[2].row_id]],
      ['dead_letters', [expect.any(String)]],
    ]);
  });

  it('retries a request failing with 503 / rateLimitExceeded / backendError, then succeeds', async () => {
    const { sink, requests } = await sinkWith([httpError(503, 'backendError'), httpError(403, 'rateLimitExceeded'), httpError(500, 'backendError'), ok]);
    expect(await sink.write('vessels', [vessel()])).toEqual({ written: 1, deadLettered: 0 });
    expect(requests).toHaveLength(4);
    expect(new Set(requests.map((r) => r.body.rows[0].insertId))).toEqual(new Set([vessel().mmsi]));
  });

  it('fails the write (so offsets are not committed) on a permanent error or when retries run out', async () => {
    const permanent = await sinkWith([httpError(403, 'accessDenied')]);
    await expect(permanent.sink.write('vessels', [vessel()])).rejects.toThrow(/streaming 1 rows into `test.ds.vessels` failed: accessDenied/);
    expect(permanent.requests).toHaveLength(1);
    const missing = await sinkWith([httpError(404, 'notFound')]);
    await expect(missing.sink.write('vessels', [vessel()])).rejects.toThrow(/driftline warehouse init/);
    const down = await sinkWith(Array.from({ length: 20 }, () => httpError(503, 'backendError')));
    await expect(down.sink.write('vessels', [vessel()])).rejects.toThrow(/backendError/);
    expect(down.requests).toHaveLength(8);
  });

  it('batches by row count and by request size, in order', async () => {
    const rows = Array.from({ length: 7 }, (_, i) => vessel({ mmsi: String(100 + i) }));
    const byCount = await sinkWith([], { maxRows: 3, maxBytes: 1_000_000 });
    expect(await byCount.sink.write('vessels', rows)).toEqual({ written: 7, deadLettered: 0 });
    expect(byCount.requests.map((r) => r.body.rows.length)).toEqual([3, 3, 1]);
    const oneRow = JSON.stringify(byCount.requests[0].body.rows[0]).length + 1;
    const bySize = await sinkWith([], { maxRows: 500, maxBytes: oneRow * 2 + 1 });
    await bySize.sink.write('vessels', rows);
    expect(bySize.requests.map((r) => r.body.rows.length)).toEqual([2, 2, 2, 1]);
    expect(bySize.requests.flatMap((r) => r.body.rows.map((x) => x.insertId))).toEqual(rows.map((r) => r.mmsi));
  });

  it('a row too large for any request becomes a dead letter (payload truncated) without being sent', async () => {
    const { sink, requests } = await sinkWith([], { maxRows: 500, maxBytes: 2_000 });
    const huge = vessel({ mmsi: '7', shipname: 'X'.repeat(5_000) });
    expect(await sink.write('vessels', [vessel(), huge])).toEqual({ written: 1, deadLettered: 1 });
    expect(requests.map((r) => r.table)).toEqual(['vessels', 'dead_letters']);
    const letter = requests[1].body.rows[0].json as { detail: string; payload: string };
    expect(letter.detail).toMatch(/row is \d+ bytes as JSON.*payload truncated to its first 250 of \d+ characters/);
    expect(letter.payload).toBe(JSON.stringify({ ...huge }).slice(0, 250));
  });

  it('invalid rows never reach BigQuery: dead letters with reason invalid_row', async () => {
    const { sink, requests } = await sinkWith([]);
    const result = await sink.write('vessels', [vessel(), { ...vessel({ mmsi: '2' }), imo: 'nine' } as never]);
    expect(result).toEqual({ written: 1, deadLettered: 1 });
    expect(requests.map((r) => r.table)).toEqual(['vessels', 'dead_letters']);
    expect(requests[1].body.rows[0].json).toMatchObject({ reason: 'invalid_row', source: 'bigquery', topic: 'vessels' });
  });

  it('sends one row per key within a write: first for ignore tables, newest for vessels', async () => {
    const { sink, requests } = await sinkWith([]);
    const p = classifierPrediction();
    await sink.write('predictions', [p, { ...p, processed_at: p.processed_at + 1 }]);
    await sink.write('vessels', [vessel({ updated_at: 2, shipname: 'NEW' }), vessel({ updated_at: 1, shipname: 'OLD' })]);
    expect(requests[0].body.rows).toHaveLength(1);
    expect(requests[0].body.rows[0].json.processed_at).toBe(new Date(p.processed_at).toISOString());
    expect(requests[1].body.rows.map((r) => r.json.shipname)).toEqual(['NEW']);
  });

  it('throws when BigQuery refuses the dead letters themselves: nowhere is left to put them', async () => {
    const refuseAll: Answer = (body) => ({ insertErrors: body.rows.map((_, index) => ({ index, errors: [{ reason: 'invalid', message: 'nope' }] })) });
    const { sink } = await sinkWith([refuseAll, refuseAll]);
    await expect(sink.write('vessels', [vessel()])).rejects.toThrow(/refused 1 dead letters \(first: invalid: nope\)/);
  });
});
