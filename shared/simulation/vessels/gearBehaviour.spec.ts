import { describe, expect, it } from 'vitest';
import { Random } from '../random.js';
import { signedAngleDiffDeg } from '../../geo/greatCircle.js';
import { GEAR_CLASSES, type GearClass } from './gear.js';
import { LONGLINER_RANGES } from './gears/driftingLonglines.js';
import { NON_FISHING_RANGES } from './gears/nonFishing.js';
import { PURSE_SEINER_RANGES } from './gears/purseSeines.js';
import { TRAWLER_RANGES } from './gears/trawlers.js';
import { reportingDefaults } from './reportingProfile.js';
import { TrackIntegrator } from './trackIntegrator.js';
import { drawVessel, plannerFor, type SimulatedVessel } from './vessel.js';

const HOUR = 3_600_000;
/** speed noise (OU, sd ≤ 0.4 kn) and acceleration lag: a phase's median may sit this far outside its range */
const TOL = 0.3;

interface Sample { phase: string; water: number; sog: number; heading: number; t: number; sincePhaseStart: number }

function trueTrack(v: SimulatedVessel, hours: number, everyS = 60): Sample[] {
  const it = new TrackIntegrator(plannerFor(v.behaviour), v.current, new Random(v.key).fork('behaviour'), { t: 0, ...v.origin });
  const out: Sample[] = [];
  let phaseStart = 0;
  for (let t = 0; t < hours * HOUR; t += everyS * 1000) {
    const s = it.stateAt(t);
    if (out.length > 0 && out[out.length - 1]!.phase !== it.phase.name) phaseStart = t;
    out.push({ phase: it.phase.name, water: s.waterSpeed, sog: s.sog, heading: s.heading, t, sincePhaseStart: t - phaseStart });
  }
  return out;
}

function fleetOf(gear: GearClass, n: number): SimulatedVessel[] {
  return Array.from({ length: n }, (_, i) => drawVessel(String(100_000_000 + i), gear, `behaviour-spec/${gear}/${i}`, reportingDefaults(undefined)));
}

/** medians of water speed per phase, skipping the first 10 min of each phase (speeding up or slowing down) */
function phaseMedians(samples: Sample[]): Map<string, number> {
  const by = new Map<string, number[]>();
  samples.forEach((s) => {
    if (s.sincePhaseStart < 10 * 60_000) return;
    let xs = by.get(s.phase);
    if (xs === undefined) by.set(s.phase, (xs = []));
    xs.push(s.water);
  });
  const out = new Map<string, number>();
  for (const [k, xs] of by) out.set(k, xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!);
  return out;
}

function expectWithin(value: number | undefined, [lo, hi]: readonly [number, number], what: string): void {
  expect(value, what).toBeDefined();
  expect(value!, what).toBeGreaterThanOrEqual(lo - TOL);
  expect(value!, what).toBeLessThanOrEqual(hi + TOL);
}

describe('gear behaviour stays inside its documented ranges', () => {
  it('trawlers tow at 2.5–4.5 kn, transit at 8–12 kn, haul slowly, and spend much of the day towing', () => {
    for (const v of fleetOf('trawlers', 8)) {
      const samples = trueTrack(v, 72);
      const m = phaseMedians(samples);
      expectWithin(m.get('tow'), TRAWLER_RANGES.towSpeed, `${v.key} tow`);
      if (m.has('transit')) expectWithin(m.get('transit'), TRAWLER_RANGES.transitSpeed, `${v.key} transit`);
      if (m.has('haul')) expectWithin(m.get('haul'), TRAWLER_RANGES.haulSpeed, `${v.key} haul`);
      const towShare = samples.filter((s) => s.phase === 'tow').length / samples.length;
      expect(towShare, v.key).toBeGreaterThan(0.25);
    }
  });

  it('drifting longliners set at 6–10 kn, soak adrift, haul at 1–3 kn', () => {
    for (const v of fleetOf('drifting_longlines', 8)) {
      const samples = trueTrack(v, 72);
      const m = phaseMedians(samples);
      expectWithin(m.get('set'), LONGLINER_RANGES.setSpeed, `${v.key} set`);
      expectWithin(m.get('haul'), LONGLINER_RANGES.haulSpeed, `${v.key} haul`);
      expect(m.get('soak'), `${v.key} soak`).toBeLessThan(0.05); // engine off: only the current moves it
      const cur = Math.hypot(v.current.north, v.current.east);
      for (const s of samples.filter((x) => x.phase === 'soak' && x.sincePhaseStart > 10 * 60_000)) expect(Math.abs(s.sog - cur)).toBeLessThan(0.2);
    }
  });

  it('purse seiners search at 10–13 kn, close a full circle of 1–2 km when setting, then purse at 0–2 kn', () => {
    let sets = 0;
    for (const v of fleetOf('purse_seines', 8)) {
      const samples = trueTrack(v, 72, 10);
      const m = phaseMedians(samples);
      expectWithin(m.get('search') ?? m.get('steam'), PURSE_SEINER_RANGES.searchSpeed, `${v.key} search`);
      if (m.has('purse')) expectWithin(m.get('purse'), PURSE_SEINER_RANGES.pursingSpeed, `${v.key} purse`);
      // total turn over each set ≈ one full circle
      let turn = 0;
      for (let i = 1; i < samples.length; i++) {
        if (samples[i]!.phase === 'set' && samples[i - 1]!.phase === 'set') turn += signedAngleDiffDeg(samples[i - 1]!.heading, samples[i]!.heading);
        const ended = samples[i - 1]!.phase === 'set' && samples[i]!.phase !== 'set';
        if (ended) {
          expect(Math.abs(turn), v.key).toBeGreaterThan(300);
          expect(Math.abs(turn), v.key).toBeLessThan(400);
          sets++;
          turn = 0;
        }
      }
    }
    expect(sets).toBeGreaterThan(4);
  });

  it('non-fishing merchants hold 12–20 kn, service craft 7–12 kn', () => {
    const vessels = fleetOf('non_fishing', 30);
    expect(vessels.some((v) => v.behaviour.gear === 'non_fishing' && v.behaviour.params.subtype === 'service')).toBe(true);
    for (const v of vessels) {
      if (v.behaviour.gear !== 'non_fishing') throw new Error('unreachable');
      const m = phaseMedians(trueTrack(v, 48));
      const range = v.behaviour.params.subtype === 'merchant' ? NON_FISHING_RANGES.merchantSpeed : NON_FISHING_RANGES.serviceSpeed;
      expectWithin(m.get('passage'), range, `${v.key} passage`);
    }
  });

  it('no gear ever exceeds its fastest documented speed plus current and noise', () => {
    const fastest: Record<GearClass, number> = { trawlers: 12, drifting_longlines: 10, purse_seines: 13, non_fishing: 20 };
    for (const gear of GEAR_CLASSES) {
      for (const v of fleetOf(gear, 4)) {
        const top = Math.max(...trueTrack(v, 48).map((s) => s.sog));
        expect(top, v.key).toBeLessThan(fastest[gear] + 0.6 + 1.5);
      }
    }
  });
});
