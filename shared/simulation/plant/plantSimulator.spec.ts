import { describe, expect, it } from 'vitest';
import { plantInputFields, plantTelemetrySchema } from '../../../schemas/messages/plantTelemetry.js';
import { FLEET, fleetPlant, simulatedPlants } from './fleet.js';
import { fleetTelemetryStream, plantTelemetryStream, PlantSimulator, SAMPLE_PERIOD_MS, simulatePlants } from './plantSimulator.js';

const take = <T>(it: Iterator<T>, n: number): T[] => Array.from({ length: n }, () => it.next().value as T);

describe('plant simulator', () => {
  it('is deterministic: the same seed gives identical messages, another seed different ones', () => {
    const a = simulatePlants(FLEET, { seed: 7, days: 2 }).map((s) => s.message);
    const b = simulatePlants(FLEET, { seed: 7, days: 2 }).map((s) => s.message);
    const c = simulatePlants(FLEET, { seed: 8, days: 2 }).map((s) => s.message);
    expect(a).toEqual(b);
    expect(a.length).toBe(FLEET.length * 2 * 288);
    expect(c).not.toEqual(a);
    expect(c.filter((m, i) => m.pue === a[i].pue).length).toBeLessThan(a.length / 10);
  });

  it('gives a hall the same samples alone, in the fleet, streamed or in bulk', () => {
    const plant = fleetPlant('hall-desert');
    const bulk = simulatePlants([plant], { seed: 'x', days: 1 }).map((s) => s.message);
    const inFleet = simulatePlants(FLEET, { seed: 'x', days: 1 }).map((s) => s.message).filter((m) => m.plant_id === plant.plantId);
    const streamed = take(plantTelemetryStream(plant, { seed: 'x' }), bulk.length);
    expect(inFleet).toEqual(bulk);
    expect(streamed).toEqual(bulk);
  });

  it('emits schema-valid messages every 5 minutes with all 19 inputs and a metered PUE', () => {
    const samples = simulatePlants(FLEET, { seed: 3, days: 3, start: '2025-07-01T00:00:00Z' });
    const last = new Map<string, number>();
    for (const s of samples) {
      const parsed = plantTelemetrySchema.parse(s.message);
      for (const f of plantInputFields) expect(Number.isFinite(parsed[f])).toBe(true);
      expect(parsed.pue).not.toBeNull();
      expect(parsed.pue as number).toBeGreaterThan(1);
      expect(typeof s.message.timestamp).toBe('string');
      const prev = last.get(parsed.plant_id);
      if (prev !== undefined) expect(parsed.timestamp - prev).toBe(SAMPLE_PERIOD_MS);
      last.set(parsed.plant_id, parsed.timestamp);
    }
    expect(Date.parse(samples[0].message.timestamp as string)).toBe(Date.parse('2025-07-01T00:00:00Z'));
  });

  it('merges the fleet stream in event-time order', () => {
    const msgs = take(fleetTelemetryStream(FLEET, { seed: 1 }), FLEET.length * 30);
    const times = msgs.map((m) => Date.parse(m.timestamp as string));
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThanOrEqual(times[i - 1]);
    expect(new Set(msgs.slice(0, FLEET.length).map((m) => m.plant_id)).size).toBe(FLEET.length);
  });

  it('has the documented load and weather patterns: weekends lighter, summer warmer, nights cooler', () => {
    const plant = fleetPlant('hall-continental');
    const sim = new PlantSimulator(plant, { seed: 11, start: '2025-06-02T06:00:00Z' }); // a Monday, local midnight
    let weekday = 0, weekdayN = 0, weekend = 0, weekendN = 0, afternoon = 0, afternoonN = 0, night = 0, nightN = 0;
    for (let i = 0; i < 28 * 288; i++) {
      const { message } = sim.next();
      const local = new Date(Date.parse(message.timestamp as string) + plant.utcOffsetHours * 3_600_000);
      const dow = local.getUTCDay();
      const hour = local.getUTCHours();
      if (dow === 0 || dow === 6) { weekend += message.it_load_kw; weekendN++; } else { weekday += message.it_load_kw; weekdayN++; }
      if (hour >= 13 && hour < 17) { afternoon += message.outside_dry_bulb_c; afternoonN++; }
      if (hour >= 3 && hour < 7) { night += message.outside_dry_bulb_c; nightN++; }
    }
    expect(weekday / weekdayN).toBeGreaterThan(weekend / weekendN);
    expect(afternoon / afternoonN).toBeGreaterThan(night / nightN + 4);
    const winter = simulatePlants([plant], { seed: 11, days: 7, start: '2025-01-10T00:00:00Z' });
    const summer = simulatePlants([plant], { seed: 11, days: 7, start: '2025-07-15T00:00:00Z' });
    const meanDb = (xs: typeof winter): number => xs.reduce((s, x) => s + x.air.dryBulbC, 0) / xs.length;
    expect(meanDb(summer)).toBeGreaterThan(meanDb(winter) + 15);
    // winter in a cold climate: drycoolers carry the heat; summer: towers, with chillers some of the time
    expect(winter.filter((s) => s.message.drycoolers_running > 0).length).toBeGreaterThan(winter.length / 3);
    expect(summer.every((s) => s.message.drycoolers_running === 0)).toBe(true);
    expect(summer.some((s) => s.message.chillers_running > 0)).toBe(true);
  });

  it('makes any number of halls with distinct ids and their own weather', () => {
    const plants = simulatedPlants(12);
    expect(plants.map((p) => p.plantId).slice(0, 5)).toEqual(FLEET.map((p) => p.plantId));
    expect(new Set(plants.map((p) => p.plantId)).size).toBe(12);
    expect(plants[5].plantId).toBe('hall-nordic-2');
    const a = simulatePlants([plants[0]], { seed: 1, days: 1 }).map((s) => s.message.outside_dry_bulb_c);
    const b = simulatePlants([plants[5]], { seed: 1, days: 1 }).map((s) => s.message.outside_dry_bulb_c);
    expect(b).not.toEqual(a);
    expect(simulatedPlants(0)).toEqual([]);
  });

  it('refuses a bad start time or period with a message naming the fix', () => {
    expect(() => new PlantSimulator(fleetPlant('hall-nordic'), { seed: 1, start: 'yesterday' })).toThrow(/ISO 8601/);
    expect(() => new PlantSimulator(fleetPlant('hall-nordic'), { seed: 1, periodMs: 0 })).toThrow(/positive integer/);
    expect(() => fleetPlant('hall-moon')).toThrow(/known plants: hall-nordic/);
  });
});
