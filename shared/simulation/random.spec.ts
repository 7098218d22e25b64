import { describe, expect, it } from 'vitest';
import { Random } from './random.js';

describe('Random', () => {
  it('reproduces the same stream from the same seed and differs across seeds', () => {
    const a = new Random(42);
    const b = new Random(42);
    const c = new Random(43);
    const sa = Array.from({ length: 100 }, () => a.next());
    const sb = Array.from({ length: 100 }, () => b.next());
    const sc = Array.from({ length: 100 }, () => c.next());
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
    for (const x of sa) expect(x >= 0 && x < 1).toBe(true);
  });

  it('forks depend on key and label only, not on what the parent drew', () => {
    const p1 = new Random('fleet');
    const p2 = new Random('fleet');
    for (let i = 0; i < 17; i++) p2.next();
    expect(p1.fork('v1').next()).toBe(p2.fork('v1').next());
    expect(p1.fork('v1').next()).not.toBe(p1.fork('v2').next());
  });

  it('has roughly the right moments for uniform, normal and int', () => {
    const r = new Random(7);
    const n = 20000;
    let su = 0, sn = 0, sn2 = 0;
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < n; i++) {
      su += r.uniform(2, 4);
      const z = r.normal(10, 2);
      sn += z; sn2 += z * z;
      counts[r.int(0, 3)]++;
    }
    expect(su / n).toBeCloseTo(3, 1);
    const mean = sn / n;
    expect(mean).toBeCloseTo(10, 1);
    expect(Math.sqrt(sn2 / n - mean * mean)).toBeCloseTo(2, 1);
    for (const c of counts) expect(Math.abs(c / n - 0.25)).toBeLessThan(0.02);
    expect(() => r.int(3, 2)).toThrow(/a <= b/);
    expect(() => r.pick([])).toThrow(/empty/);
    expect(['x', 'y']).toContain(r.pick(['x', 'y']));
  });
});
