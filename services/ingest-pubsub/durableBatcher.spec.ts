import { describe, expect, it } from 'vitest';
import { DurableBatcher } from './durableBatcher.js';

function harness(failFirst: number, maxItems = 3) {
  const flushed: number[][] = [];
  const settled: { items: number[]; durable: boolean }[] = [];
  const waits: number[] = [];
  let calls = 0;
  const batcher = new DurableBatcher<number>({
    maxItems,
    lingerMs: 0,
    async flush(items) {
      calls++;
      flushed.push([...items]);
      if (calls <= failFirst) throw new Error(`bus down (${calls})`);
    },
    settle: (items, durable) => settled.push({ items: [...items], durable }),
    backoffMs: (failures) => {
      waits.push(failures);
      return 1;
    },
  });
  return { batcher, flushed, settled, waits };
}

describe('DurableBatcher', () => {
  it('flushes in batches of at most maxItems and acknowledges each batch only after its flush', async () => {
    const { batcher, flushed, settled } = harness(0);
    for (let i = 0; i < 7; i++) batcher.add(i);
    expect(batcher.size).toBe(7);
    await batcher.drain();
    expect(flushed.flat()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(flushed.every((b) => b.length <= 3)).toBe(true);
    expect(settled.every((s) => s.durable)).toBe(true);
    expect(settled.flatMap((s) => s.items)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(batcher.size).toBe(0);
  });

  it('hands a failed batch back (not acknowledged) after a backoff that grows with consecutive failures, and resets on success', async () => {
    const { batcher, settled, waits } = harness(2, 2);
    batcher.add(1);
    batcher.add(2);
    await batcher.drain();
    batcher.add(3);
    batcher.add(4);
    await batcher.drain();
    batcher.add(5);
    await batcher.drain();
    expect(settled).toEqual([{ items: [1, 2], durable: false }, { items: [3, 4], durable: false }, { items: [5], durable: true }]);
    expect(waits).toEqual([1, 2]);
  });

  it('refuses items after close', async () => {
    const { batcher, settled } = harness(0);
    batcher.add(1);
    await batcher.close();
    expect(settled).toEqual([{ items: [1], durable: true }]);
    expect(() => batcher.add(2)).toThrow(/closed/);
  });
});
