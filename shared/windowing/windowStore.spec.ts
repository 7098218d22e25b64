import { describe, expect, it } from 'vitest';
import { meanVariance } from './aggregators/meanVariance.js';
import { compileAggregations } from './aggregators/layout.js';
import { parseWindowingConfig } from './config.js';
import { WindowEngine } from './engine.js';
import { CollectingSink } from './sink.js';
import { NEXT, START, WindowStore } from './windowStore.js';

describe('WindowStore', () => {
  const store = () => new WindowStore(compileAggregations({ v: meanVariance<number>((x) => x) }));

  function open(s: WindowStore<number>, key: string, start: number): number {
    let kid = s.keyId(key);
    if (kid === -1) kid = s.addKey(key);
    let prev = -1;
    let cur = s.head(kid);
    while (cur !== -1 && s.f[cur * s.stride + START]! < start) {
      prev = cur;
      cur = s.next(cur);
    }
    const slot = s.alloc(kid);
    s.f[slot * s.stride + START] = start;
    s.linkAfter(prev, slot);
    return slot;
  }

  function starts(s: WindowStore<number>, key: string): number[] {
    const out: number[] = [];
    for (let cur = s.head(s.keyId(key)); cur !== -1; cur = s.f[cur * s.stride + NEXT]! | 0) out.push(s.f[cur * s.stride + START]!);
    return out;
  }

  it('keeps each key’s windows sorted by start and unlinks from any position', () => {
    const s = store();
    const a = open(s, 'k', 20);
    open(s, 'k', 0);
    const c = open(s, 'k', 10);
    open(s, 'k', 30);
    expect(starts(s, 'k')).toEqual([0, 10, 20, 30]);
    s.unlink(c);
    s.free(c);
    s.unlink(a);
    s.free(a);
    expect(starts(s, 'k')).toEqual([0, 30]);
    expect(s.open).toBe(2);
  });

  it('keeps ids of keys that come back, and sweeps keys that stayed empty', () => {
    const s = store();
    const slots = new Map<string, number>();
    for (let i = 0; i < 10_000; i++) slots.set(`k${i}`, open(s, `k${i}`, 0));
    expect(s.keyCount).toBe(10_000);
    // every key loses its window; half of them get a new one straight away
    for (let i = 0; i < 10_000; i++) {
      const slot = slots.get(`k${i}`)!;
      s.unlink(slot);
      s.free(slot);
      if (i % 2 === 0) slots.set(`k${i}`, open(s, `k${i}`, 60));
      else slots.delete(`k${i}`);
    }
    // the first sweep keeps keys that only just went empty (they usually come back)
    expect(s.keyCount).toBe(10_000);
    // more keys come and go: the next sweep drops keys empty since before the previous one
    for (let i = 0; i < 20_000; i++) {
      const slot = open(s, `n${i}`, 0);
      s.unlink(slot);
      s.free(slot);
    }
    expect(s.keyId('k1')).toBe(-1);
    expect(s.keyCount).toBeLessThan(30_000 - 5_000 + 1);
    // live keys are never swept
    for (let i = 0; i < 10_000; i += 2) expect(starts(s, `k${i}`)).toEqual([60]);
    // and a swept key can come back under a fresh id
    open(s, 'k1', 120);
    expect(starts(s, 'k1')).toEqual([120]);
    expect(s.open).toBe(5_001);
  });
});

describe('WindowEngine with many keys (key ids swept and reused)', () => {
  it('emits every key’s windows exactly once across window boundaries', () => {
    const sink = new CollectingSink<number, unknown>();
    const engine = new WindowEngine({
      config: parseWindowingConfig({ window: { kind: 'tumbling', size: 10 }, max_future_skew: '1d' }),
      aggregations: { v: meanVariance<number>((x) => x) },
      sink,
      processingTime: 0,
    });
    const keys = 6_000;
    let offset = 0;
    // round r: keys with (k % 3 !== r % 3) report; keys come and go across windows
    for (let r = 0; r < 6; r++) {
      for (let k = 0; k < keys; k++) if (k % 3 !== r % 3) engine.process({ partition: 0, offset: offset++, key: `key-${k}`, eventTime: r * 10 + (k % 10), value: k });
    }
    engine.flushAll();
    const panes = sink.take().flatMap((o) => (o.kind === 'pane' ? [o.pane] : []));
    const seen = new Map<string, number>();
    for (const p of panes) {
      const id = `${p.key}@${p.windowStart}`;
      expect(seen.has(id), id).toBe(false);
      seen.set(id, p.eventCount);
      expect(p.isFinal).toBe(true);
      expect((p.results as { v: { mean: number } }).v.mean).toBe(Number(p.key.slice(4)));
    }
    expect(seen.size).toBe(6 * (keys - keys / 3));
    expect(engine.counters()).toMatchObject({ eventsAccepted: offset, openWindows: 0, lateRouted: 0 });
  });
});
