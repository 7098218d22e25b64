import { describe, expect, it } from 'vitest';
import { DuplicateFilter } from './duplicateFilter.js';

describe('DuplicateFilter', () => {
  it('flags a repeated event time of the same key only', () => {
    const f = new DuplicateFilter(4);
    expect(f.isDuplicate('a', 1)).toBe(false);
    expect(f.isDuplicate('b', 1)).toBe(false);
    expect(f.isDuplicate('a', 1)).toBe(true);
    expect(f.isDuplicate('a', 2)).toBe(false);
  });

  it('forgets beyond its depth and survives snapshot/restore', () => {
    const f = new DuplicateFilter(2);
    f.isDuplicate('a', 1);
    f.isDuplicate('a', 2);
    f.isDuplicate('a', 3);
    const g = new DuplicateFilter(2);
    g.restore(f.snapshot());
    expect(g.isDuplicate('a', 3)).toBe(true);
    expect(g.isDuplicate('a', 1)).toBe(false);
  });
});
