import { describe, expect, it } from 'vitest';
import { vesselPositionSchema } from '../../../schemas/messages/vesselPosition.js';
import { GEAR_CLASSES } from './gear.js';
import { planFleet, simulateFleet, streamFleet } from './fleet.js';
import { eventTimeMs, trackPointFromInput, trackPointsByVessel } from './trackPoints.js';
import { vesselDeliveries } from './vesselDeliveries.js';
import type { SimulatedVessel } from './vessel.js';

const HOUR = 3_600_000;
const START = Date.UTC(2024, 0, 1);

function intervalsS(v: SimulatedVessel, hours: number): number[] {
  const times = [...new Set([...vesselDeliveries(v, { start: START, end: START + hours * HOUR })].map((d) => eventTimeMs(d.position.timestamp)))].sort((a, b) => a - b);
  return times.slice(1).map((t, i) => (t - times[i]!) / 1000);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe('simulateFleet', () => {
  it('is deterministic: the same seed gives identical output, another seed different output', () => {
    const a = simulateFleet({ seed: 11, vessels: 6, hours: 6 });
    const b = simulateFleet({ seed: 11, vessels: 6, hours: 6 });
    const c = simulateFleet({ seed: 12, vessels: 6, hours: 6 });
    expect(a.positions.length).toBeGreaterThan(100);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(JSON.stringify(c.positions.slice(0, 50))).not.toBe(JSON.stringify(a.positions.slice(0, 50)));
  });

  it('gives string MMSIs, unique, and apportions the class mix exactly', () => {
    const vessels = planFleet({ seed: 3, vessels: 10, classMix: { trawlers: 3, purse_seines: 1, non_fishing: 1 } });
    expect(new Set(vessels.map((v) => v.mmsi)).size).toBe(10);
    for (const v of vessels) expect(v.mmsi).toMatch(/^\d{9}$/);
    const count = (g: string) => vessels.filter((v) => v.gear === g).length;
    expect([count('trawlers'), count('drifting_longlines'), count('purse_seines'), count('non_fishing')]).toEqual([6, 0, 2, 2]);
    const balanced = planFleet({ seed: 3, vessels: 40 });
    for (const g of GEAR_CLASSES) expect(balanced.filter((v) => v.gear === g)).toHaveLength(10);
  });

  it('publishes messages the vessel-position schema accepts, in arrival order, never before their event time', () => {
    const sim = simulateFleet({ seed: 5, vessels: 12, hours: 12, reporting: { timestampFormat: 'mixed' } });
    let prev = -Infinity;
    const forms = new Set<string>();
    for (const d of sim.positions) {
      const parsed = vesselPositionSchema.safeParse(d.position);
      expect(parsed.success, JSON.stringify(d.position)).toBe(true);
      if (!parsed.success) continue;
      expect(parsed.data.timestamp).toBe(eventTimeMs(d.position.timestamp)); // the TrackPoint helper agrees with the schema
      expect(trackPointFromInput(d.position).t).toBe(parsed.data.timestamp);
      expect(d.deliveredAt).toBeGreaterThanOrEqual(prev);
      expect(d.deliveredAt).toBeGreaterThan(parsed.data.timestamp);
      prev = d.deliveredAt;
      forms.add(typeof d.position.timestamp);
    }
    expect(forms).toEqual(new Set(['string', 'number']));
  });

  it('has AIS reality: duplicates, out-of-order arrival, "not available" values, GPS noise', () => {
    const sim = simulateFleet({ seed: 8, vessels: 16, hours: 12, reporting: { regimes: { terrestrial: 1, satellite: 1 }, faultyVesselShare: 0.5 } });
    const seen = new Set<string>();
    let duplicates = 0, outOfOrder = 0, nullSpeed = 0, nullCourse = 0;
    const lastT = new Map<string, number>();
    for (const { position: p } of sim.positions) {
      const key = `${p.mmsi}@${String(p.timestamp)}`;
      if (seen.has(key)) duplicates++;
      seen.add(key);
      const t = eventTimeMs(p.timestamp);
      if (t < (lastT.get(p.mmsi) ?? -Infinity)) outOfOrder++;
      lastT.set(p.mmsi, Math.max(t, lastT.get(p.mmsi) ?? -Infinity));
      if (p.speed === null) nullSpeed++;
      if (p.course === null) nullCourse++;
    }
    expect(duplicates).toBeGreaterThan(0);
    expect(outOfOrder).toBeGreaterThan(0);
    expect(nullSpeed).toBeGreaterThan(0);
    expect(nullCourse).toBeGreaterThan(0);
    // a moored/anchored position still jitters: GPS noise is on
    const tracks = trackPointsByVessel(sim.positions);
    const anyTrack = [...tracks.values()].find((t) => t.length > 50)!;
    expect(new Set(anyTrack.map((p) => p.lat)).size).toBeGreaterThan(40);
  });

  it('reports at the rates of each regime: class A ~10 s, class B ~30 s, hourly sparse, satellite gaps of minutes to hours', () => {
    const vessels = planFleet({ seed: 21, vessels: 40, classMix: { trawlers: 1 }, reporting: { regimes: { terrestrial: 1 } } });
    const a = vessels.find((v) => v.reporting.aisClass === 'A')!;
    const b = vessels.find((v) => v.reporting.aisClass === 'B')!;
    expect(median(intervalsS({ ...a, reporting: { ...a.reporting, terrestrialRx: 1 } }, 6))).toBeGreaterThanOrEqual(3);
    expect(median(intervalsS({ ...a, reporting: { ...a.reporting, terrestrialRx: 1 } }, 6))).toBeLessThanOrEqual(10.5);
    expect(median(intervalsS({ ...b, reporting: { ...b.reporting, terrestrialRx: 1 } }, 6))).toBeGreaterThanOrEqual(28);
    expect(median(intervalsS({ ...b, reporting: { ...b.reporting, terrestrialRx: 1 } }, 6))).toBeLessThanOrEqual(185);

    const sparse = intervalsS({ ...a, reporting: { ...a.reporting, regime: 'sparse' } }, 72);
    expect(median(sparse)).toBeGreaterThan(2400);
    expect(median(sparse)).toBeLessThan(5400);

    const sat = intervalsS({ ...a, reporting: { ...a.reporting, regime: 'satellite' } }, 48);
    expect(Math.max(...sat)).toBeGreaterThan(30 * 60); // gaps between passes
    expect(Math.min(...sat)).toBeLessThan(60); // several fixes within a pass
  });

  it('streams lazily the same arrivals simulateFleet collects', () => {
    const opts = { seed: 'stream', vessels: 5, hours: 4 } as const;
    const all = simulateFleet(opts).positions;
    const streamed = streamFleet(opts);
    const it = streamed.positions[Symbol.iterator]();
    const first = Array.from({ length: 100 }, () => it.next().value);
    expect(first).toEqual(all.slice(0, 100));
    expect(Array.from(streamed.positions)).toEqual(all); // iterable again from the start
  });

  it('names the option and the fix for bad options', () => {
    expect(() => simulateFleet({ seed: 1, vessels: -1, hours: 1 })).toThrow(/vessels=-1/);
    expect(() => simulateFleet({ seed: 1, vessels: 1, hours: 0 })).toThrow(/hours=0/);
    expect(() => simulateFleet({ seed: 1, vessels: 1, hours: 1, start: 'yesterday' })).toThrow(/start=yesterday/);
    expect(() => simulateFleet({ seed: 1, vessels: 1, hours: 1, classMix: { trawlers: 0 } })).toThrow(/classMix/);
    expect(() => simulateFleet({ seed: 1, vessels: 1, hours: 1, reporting: { regimes: {} } })).toThrow(/regimes/);
  });
});
