import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CsvFileError, formatProblem, readCsvRecords, type CsvRecord, type RowProblem } from './csvRecords.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'driftline-csv-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function read(text: string, required = ['a', 'b']): Promise<{ records: CsvRecord[]; problems: RowProblem[] }> {
  const file = join(dir, `f${Math.random().toString(36).slice(2)}.csv`);
  await writeFile(file, text);
  const records: CsvRecord[] = [];
  const problems: RowProblem[] = [];
  for await (const r of readCsvRecords(file, { required, onProblem: (p) => problems.push(p) })) records.push(r);
  return { records, problems };
}

describe('readCsvRecords', () => {
  it('names cells by lower-cased header, ignores extra columns, skips blank lines and keeps file line numbers', async () => {
    const { records, problems } = await read('\uFEFFB,extra,A\n1,x,2\n\n3,y,4\n');
    expect(problems).toEqual([]);
    expect(records).toEqual([
      { line: 2, cells: { b: '1', extra: 'x', a: '2' } },
      { line: 4, cells: { b: '3', extra: 'y', a: '4' } },
    ]);
  });

  it('reports the starting line of a record whose quoted field spans lines', async () => {
    const { records } = await read('a,b\n"multi\nline",1\n5,6\n');
    expect(records.map((r) => r.line)).toEqual([2, 4]);
  });

  it('keeps going after a malformed row: a stray quote stays in the value', async () => {
    const { records, problems } = await read('a,b\n1,"bad"q\n3,4\n5\n');
    expect(problems).toEqual([]);
    expect(records.map((r) => [r.line, r.cells.a, r.cells.b])).toEqual([
      [2, '1', '"bad"q'],
      [3, '3', '4'],
      [4, '5', undefined],
    ]);
  });

  it('reports an unclosed quote with its line instead of throwing', async () => {
    const { records, problems } = await read('a,b\n1,2\n3,"open\n');
    expect(records).toHaveLength(1);
    expect(problems).toHaveLength(1);
    expect(formatProblem(problems[0])).toMatch(/\.csv:3: unreadable CSV row \(Quote Not Closed.*row skipped$/);
  });

  it('throws a CsvFileError for a missing file, an empty file, or a header without required columns', async () => {
    await expect(read('')).rejects.toThrow(/is empty: expected a header line naming a,b/);
    await expect(read('a,c\n1,2\n')).rejects.toThrow(/:1: header lacks column b; expected a header line naming a,b/);
    const missing = join(dir, 'nope.csv');
    const err = await (async () => {
      for await (const _ of readCsvRecords(missing, { required: ['a'], onProblem: () => {} })) void _;
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CsvFileError);
    expect((err as Error).message).toContain(`cannot read ${missing}`);
  });
});
