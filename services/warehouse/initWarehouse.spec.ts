import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tableNames, warehouseTables } from '../../schemas/tables/tables.js';
import { formatInitSummary, initWarehouse } from './initWarehouse.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('initWarehouse (DuckDB sink)', () => {
  it('creates the file and every table, then finds them ready on a second run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'driftline-init-'));
    dirs.push(dir);
    const path = join(dir, 'sub', 'w.duckdb');
    const lines: string[] = [];
    const first = await initWarehouse({ kind: 'duckdb', path }, (l) => lines.push(l));
    expect(first).toMatchObject({ kind: 'duckdb', file: path, fileCreated: true });
    if (first.kind !== 'duckdb') return;
    expect(first.tables).toEqual([...tableNames].sort().map((name) => ({ name, columns: warehouseTables[name].columns.length })));
    expect(lines).toHaveLength(tableNames.length);
    const second = await initWarehouse({ kind: 'duckdb', path });
    expect(second).toMatchObject({ kind: 'duckdb', fileCreated: false, tables: first.tables });
    expect(formatInitSummary(second)).toContain(`DuckDB warehouse ${path} (existing file):\n  dead_letters: ready, 9 columns`);
  });

  it('adds a column the declaration gained to a file from an older release', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'driftline-init-'));
    dirs.push(dir);
    const path = join(dir, 'w.duckdb');
    await initWarehouse({ kind: 'duckdb', path });
    const instance = await DuckDBInstance.create(path);
    const c = await instance.connect();
    await c.run('ALTER TABLE vessels DROP COLUMN to_starboard'); // as an older release created it
    c.closeSync();
    instance.closeSync();
    const summary = await initWarehouse({ kind: 'duckdb', path });
    expect(summary.kind === 'duckdb' && summary.tables.find((t) => t.name === 'vessels')?.columns).toBe(warehouseTables.vessels.columns.length);
  });
});
