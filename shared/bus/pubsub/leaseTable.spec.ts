import { describe, expect, it } from 'vitest';
import { LeaseTable } from './leaseTable.js';

describe('LeaseTable', () => {
  it('numbers leases from the base in delivery order and acks a prefix below an offset', () => {
    const t = new LeaseTable(1000);
    expect(['a', 'b', 'c', 'd'].map((id) => t.add(id))).toEqual([1000, 1001, 1002, 1003]);
    expect(t.below(1002).map((l) => l.ackId)).toEqual(['a', 'b']);
    expect(t.below(999)).toEqual([]);
    t.removeOldest(2);
    expect(t.ackIds()).toEqual(['c', 'd']);
    expect(t.below(10_000).map((l) => l.seq)).toEqual([1002, 1003]);
    expect(t.nextSeq).toBe(1004);
    expect(t.clear().map((l) => l.ackId)).toEqual(['c', 'd']);
    expect(t.size).toBe(0);
    expect(t.add('e')).toBe(1004);
  });
});
