import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TimerQueue } from './timerQueue.js';

describe('TimerQueue', () => {
  it('pops buckets by time and entries by seq', () => {
    const q = new TimerQueue();
    q.add(20, 1, 5);
    q.add(10, 2, 9);
    q.add(20, 3, 2);
    q.add(10, 4, 1);
    expect(q.peekTime()).toBe(10);
    expect(q.popBucket()).toEqual([4, 1, 2, 9]);
    expect(q.peekTime()).toBe(20);
    expect(q.popBucket()).toEqual([3, 2, 1, 5]);
    expect(q.isEmpty).toBe(true);
    expect(q.peekTime()).toBe(Infinity);
  });

  it('yields every timer exactly once in (time, seq) order', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: -50, max: 50 }), fc.integer({ min: 0, max: 1000 })), { maxLength: 200 }), (timers) => {
        const q = new TimerQueue();
        const unique = timers.map(([time, seq], slot) => ({ time, seq: seq * 1000 + slot, slot }));
        for (const t of unique) q.add(t.time, t.slot, t.seq);
        const out: [number, number][] = [];
        while (!q.isEmpty) {
          const time = q.peekTime();
          const pairs = q.popBucket();
          for (let i = 0; i < pairs.length; i += 2) out.push([time, pairs[i + 1]!]);
        }
        const expected = unique.map((t) => [t.time, t.seq] as [number, number]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        expect(out).toEqual(expected);
      }),
    );
  });
});
