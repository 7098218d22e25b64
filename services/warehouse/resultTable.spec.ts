import { describe, expect, it } from 'vitest';
import { resultTable } from './resultTable.js';

describe('resultTable', () => {
  it('aligns columns, prints NULL, rounds floats and counts rows', () => {
    const text = resultTable({ columns: ['stream', 'n', 'value'], rows: [['vessels', 12, null], ['plants', 3, 1.123456789]] });
    expect(text.split('\n').map((l) => l.trimEnd())).toEqual([
      'stream  | n  | value',
      '--------+----+--------',
      'vessels | 12 | NULL',
      'plants  | 3  | 1.12346',
      '(2 rows)',
    ]);
  });

  it('shortens long cells', () => {
    const text = resultTable({ columns: ['x'], rows: [['a'.repeat(100)]] }, 10);
    expect(text.split('\n')[2]).toBe(`${'a'.repeat(9)}…`);
  });
});
