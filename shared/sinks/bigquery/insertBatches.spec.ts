import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batchRows, insertRowBytes, MAX_REQUEST_BYTES, MAX_ROWS_PER_REQUEST } from './insertBatches.js';

describe('batchRows', () => {
  it('stays within BigQuery limits by default: 500 rows, under 10 MB', () => {
    expect(MAX_ROWS_PER_REQUEST).toBe(500);
    expect(MAX_REQUEST_BYTES).toBeLessThan(10_000_000);
    const { batches } = batchRows(Array.from({ length: 1201 }, (_, i) => i), () => 10);
    expect(batches.map((b) => b.length)).toEqual([500, 500, 201]);
  });

  it('closes a batch before the byte limit and sets aside rows larger than any request', () => {
    const sizes = [4, 4, 3, 11, 2, 10, 1];
    const { batches, oversized } = batchRows(sizes, (n) => n, { maxRows: 100, maxBytes: 10 });
    expect(batches).toEqual([[4, 4], [3, 2], [10], [1]]);
    expect(oversized).toEqual([{ item: 11, bytes: 11 }]);
  });

  it('property: keeps every row once, in order, and every batch within both limits', () => {
    fc.assert(fc.property(
      fc.array(fc.integer({ min: 1, max: 60 }), { maxLength: 300 }),
      fc.integer({ min: 1, max: 20 }),
      fc.integer({ min: 1, max: 100 }),
      (sizes, maxRows, maxBytes) => {
        const items = sizes.map((bytes, index) => ({ index, bytes }));
        const { batches, oversized } = batchRows(items, (r) => r.bytes, { maxRows, maxBytes });
        const kept = batches.flat();
        expect([...kept, ...oversized.map((o) => o.item)].map((r) => r.index).sort((a, b) => a - b)).toEqual(items.map((r) => r.index));
        expect(kept.map((r) => r.index)).toEqual([...kept.map((r) => r.index)].sort((a, b) => a - b));
        for (const b of batches) {
          expect(b.length).toBeGreaterThan(0);
          expect(b.length).toBeLessThanOrEqual(maxRows);
          expect(b.reduce((s, r) => s + r.bytes, 0)).toBeLessThanOrEqual(maxBytes);
        }
        expect(oversized.every((o) => o.bytes > maxBytes)).toBe(true);
      }));
  });

  it('measures a row as its UTF-8 JSON in the request body', () => {
    const row = { insertId: 'a', json: { shipname: 'ÆGIR' } };
    expect(insertRowBytes(row)).toBe(Buffer.byteLength(JSON.stringify(row)) + 1);
    expect(insertRowBytes(row)).toBeGreaterThan(JSON.stringify(row).length + 1);
  });
});
