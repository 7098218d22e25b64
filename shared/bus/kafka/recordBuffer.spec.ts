import { describe, expect, it } from 'vitest';
import type { BusRecord } from '../bus.js';
import { RecordBuffer } from './recordBuffer.js';

const rec = (partition: number, offset: number): BusRecord => ({ topic: 't', partition, offset, key: `k${partition}`, value: '', timestamp: 0 });
const range = (partition: number, from: number, n: number) => Array.from({ length: n }, (_, i) => rec(partition, from + i));

describe('RecordBuffer', () => {
  it('hands records out in offset order per partition and shares a take between partitions', () => {
    const b = new RecordBuffer(100);
    b.push(range(0, 0, 50));
    b.push(range(1, 0, 3));
    b.push(range(2, 10, 5));
    expect(b.size).toBe(58);
    const first = b.take(15);
    expect(first).toHaveLength(15);
    // Every partition with records is represented, and the small ones are drained.
    expect(first.filter((r) => r.partition === 1).map((r) => r.offset)).toEqual([0, 1, 2]);
    expect(first.filter((r) => r.partition === 2).map((r) => r.offset)).toEqual([10, 11, 12, 13, 14]);
    const rest = b.take(1000);
    const p0 = [...first, ...rest].filter((r) => r.partition === 0).map((r) => r.offset);
    expect(p0).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(b.size).toBe(0);
    expect(b.take(5)).toEqual([]);
  });

  it('keeps per-partition order when one push mixes partitions and topics', () => {
    const b = new RecordBuffer(100);
    const other = (partition: number, offset: number): BusRecord => ({ ...rec(partition, offset), topic: 'u' });
    b.push([rec(0, 0), rec(1, 0), rec(0, 1), other(0, 5), rec(0, 2), other(0, 6), rec(1, 1)]);
    const out = b.take(100);
    expect(out).toHaveLength(7);
    const of = (topic: string, partition: number) => out.filter((r) => r.topic === topic && r.partition === partition).map((r) => r.offset);
    expect(of('t', 0)).toEqual([0, 1, 2]);
    expect(of('t', 1)).toEqual([0, 1]);
    expect(of('u', 0)).toEqual([5, 6]);
  });

  it('reports full at the limit, wakes a waiting pusher when a take makes room, and clear empties it', async () => {
    const b = new RecordBuffer(10);
    b.push(range(0, 0, 10));
    expect(b.full).toBe(true);
    const started = Date.now();
    const room = b.waitForRoom(5000);
    b.take(4);
    await room;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(b.full).toBe(false);
    b.clear();
    expect(b.size).toBe(0);
    expect(b.take(10)).toEqual([]);
  });

  it('wakes a waiting poller when records arrive and times out otherwise', async () => {
    const b = new RecordBuffer(10);
    const t0 = Date.now();
    await b.waitForData(30);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(25);
    const waiting = b.waitForData(5000);
    b.push([rec(3, 7)]);
    await waiting;
    expect(b.take(1)).toEqual([rec(3, 7)]);
  });
});
