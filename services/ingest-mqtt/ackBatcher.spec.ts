import { describe, expect, it } from 'vitest';
import { AckBatcher } from './ackBatcher.js';

const tick = () => new Promise((r) => setImmediate(r));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function harness(opts: { maxItems?: number; lingerMs?: number; highWater?: number; flushMs?: number } = {}) {
  const flushed: number[][] = [];
  const acked: number[] = [];
  let failures = 0;
  let failNext = 0;
  const batcher = new AckBatcher<number>({
    maxItems: opts.maxItems ?? 100,
    lingerMs: opts.lingerMs ?? 0,
    highWater: opts.highWater,
    retryDelayMs: () => 1,
    async flush(items) {
      if (opts.flushMs) await sleep(opts.flushMs);
      if (failNext > 0) {
        failNext--;
        throw new Error('down');
      }
      flushed.push([...items]);
    },
    acknowledge(items) {
      acked.push(...items);
    },
    onFlushError() {
      failures++;
    },
  });
  return { batcher, flushed, acked, failures: () => failures, failNext: (n: number) => (failNext = n) };
}

describe('AckBatcher', () => {
  it('flushes when the input pauses and acknowledges only after the flush', async () => {
    const h = harness();
    for (let i = 0; i < 5; i++) h.batcher.add(i);
    expect(h.acked).toEqual([]);
    await tick();
    await tick();
    expect(h.flushed).toEqual([[0, 1, 2, 3, 4]]);
    expect(h.acked).toEqual([0, 1, 2, 3, 4]);
    expect(h.batcher.size).toBe(0);
  });

  it('caps a batch at maxItems', async () => {
    const h = harness({ maxItems: 3 });
    for (let i = 0; i < 7; i++) h.batcher.add(i);
    await h.batcher.drain();
    expect(h.flushed).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    expect(h.acked).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('runs one flush at a time; what arrives meanwhile forms the next batch, acknowledged in order', async () => {
    const h = harness({ flushMs: 20 });
    h.batcher.add(0);
    await tick();
    for (let i = 1; i < 50; i++) h.batcher.add(i);
    await h.batcher.drain();
    expect(h.flushed.length).toBe(2);
    expect(h.flushed[1]).toHaveLength(49);
    expect(h.acked).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('lingers for a fuller batch when lingerMs > 0', async () => {
    const h = harness({ lingerMs: 30 });
    h.batcher.add(1);
    await sleep(5);
    h.batcher.add(2);
    await sleep(5);
    expect(h.flushed).toEqual([]);
    await sleep(40);
    expect(h.flushed).toEqual([[1, 2]]);
  });

  it('retries a failed flush until it succeeds, acknowledging once', async () => {
    const h = harness();
    h.failNext(3);
    h.batcher.add(1);
    await h.batcher.drain();
    expect(h.failures()).toBe(3);
    expect(h.flushed).toEqual([[1]]);
    expect(h.acked).toEqual([1]);
  });

  it('asks the producer to pause above the high-water mark and resumes it after a flush', async () => {
    const h = harness({ highWater: 3, flushMs: 10 });
    expect(h.batcher.add(1)).toBeUndefined();
    expect(h.batcher.add(2)).toBeUndefined();
    const pause = h.batcher.add(3);
    expect(pause).toBeInstanceOf(Promise);
    let resumed = false;
    void pause!.then(() => (resumed = true));
    await sleep(1);
    expect(resumed).toBe(false);
    await h.batcher.drain();
    await tick();
    expect(resumed).toBe(true);
  });

  it('refuses items after close', async () => {
    const h = harness();
    h.batcher.add(1);
    await h.batcher.close();
    expect(h.acked).toEqual([1]);
    expect(() => h.batcher.add(2)).toThrow(/closed/);
  });
});
