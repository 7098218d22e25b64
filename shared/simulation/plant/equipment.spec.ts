import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chillerCop } from './chiller.js';
import { affinityPowerKw, stageCount } from './equipment.js';
import { coolingTowers } from './heatRejection.js';

describe('affinity laws', () => {
  it('power scales with the cube of speed and linearly with units running', () => {
    expect(affinityPowerKw(37, 1, 1)).toBe(37);
    expect(affinityPowerKw(37, 1, 0.5)).toBeCloseTo(37 / 8, 10);
    fc.assert(fc.property(fc.integer({ min: 1, max: 8 }), fc.double({ min: 0.2, max: 1, noNaN: true }), fc.double({ min: 0.2, max: 1, noNaN: true }), (n, s1, s2) => {
      const ratio = affinityPowerKw(45, n, s2) / affinityPowerKw(45, n, s1);
      expect(ratio).toBeCloseTo((s2 / s1) ** 3, 8);
      expect(affinityPowerKw(45, 2 * n, s1)).toBeCloseTo(2 * affinityPowerKw(45, n, s1), 8);
    }));
  });
});

describe('stageCount', () => {
  const rule = { upAt: 0.9, downAt: 0.75, min: 1, max: 10 };

  it('runs enough units that none exceeds the stage-up loading, within the installed count', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10 }), fc.double({ min: 0, max: 850, noNaN: true }), (prev, demand) => {
      const n = stageCount(prev, demand, 100, rule);
      expect(n).toBeGreaterThanOrEqual(1);
      expect(n).toBeLessThanOrEqual(10);
      expect(demand / (n * 100)).toBeLessThanOrEqual(0.9 + 1e-12);
    }));
  });

  it('holds its count inside the hysteresis band instead of cycling', () => {
    // 3 units at 80% each: above the stage-down point, below stage-up → stays at 3
    expect(stageCount(3, 240, 100, rule)).toBe(3);
    // the same demand from 4 units also stays (each 60%, but 3 would be 80% > 75%)
    expect(stageCount(4, 240, 100, rule)).toBe(4);
    // well below: drops to what keeps each at ≤ 75%
    expect(stageCount(4, 140, 100, rule)).toBe(2);
  });
});

describe('chiller and tower models', () => {
  it('chiller COP falls as condenser water warms and stays in the range of water-cooled chillers', () => {
    let last = Infinity;
    for (const cw of [12, 16, 20, 24, 28, 32]) {
      const cop = chillerCop(12, cw, 0.7);
      expect(cop).toBeLessThanOrEqual(last);
      expect(cop).toBeGreaterThan(3);
      expect(cop).toBeLessThanOrEqual(12);
      last = cop;
    }
    expect(chillerCop(12, 32, 0.7)).toBeLessThan(chillerCop(12, 20, 0.7));
  });

  it('towers need more fan power for the same setpoint as the wet bulb rises', () => {
    const powers = [18, 20, 22, 23].map((wb) => coolingTowers(4000, 3, wb, 26).fanPowerKw);
    for (let i = 1; i < powers.length; i++) expect(powers[i]).toBeGreaterThan(powers[i - 1]);
    // a setpoint below wet bulb + full-fan approach cannot be met: full speed, water leaves warmer
    const short = coolingTowers(4000, 2, 25, 26);
    expect(short.fanSpeed).toBe(1);
    expect(short.leavingWaterC).toBeGreaterThan(26);
  });
});
