import type { Random } from '../random.js';
import type { ControlConfig } from './plantConfig.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const NUDGES = [-1, -0.5, 0, 0.5, 1] as const;

export interface Setpoints {
  readonly supplySetpointC: number;
  readonly towerSetpointC: number;
}

/**
 * Condenser water this far below the process-water supply setpoint already carries the whole load
 * through the plate exchangers (README: needs ΔT·(1/ε − 1) ≈ 1.6 K at design, plus a margin); colder
 * water would only cost tower fan energy.
 */
export const FREE_COOLING_MARGIN_K = 2;

/**
 * Tower leaving-water setpoint: wet bulb + offset (what the towers can reach with moderate fan
 * speed), never colder than full free cooling needs, in 0.5 K steps, clamped to the plant's limits.
 */
export function towerSetpointFor(c: ControlConfig, wetBulbC: number, offsetK: number, supplySetpointC: number): number {
  const wanted = Math.max(wetBulbC + offsetK, supplySetpointC - FREE_COOLING_MARGIN_K);
  return Math.min(c.towerSetpointMaxC, Math.max(c.towerSetpointMinC, Math.round(wanted * 2) / 2));
}

/**
 * The operators' side of the plant: the tower leaving-water setpoint is reset every hour from the
 * measured wet bulb (`towerSetpointFor`), and now and then at the start of a local
 * day an operator nudges the tower offset or the supply setpoint. Setpoints are reported inputs, so the
 * model sees every change.
 */
export class SetpointController {
  private towerOffsetK: number;
  private supplyC: number;
  private towerC = Number.NaN;
  private lastHour = Number.NaN;
  private lastDay = Number.NaN;

  constructor(
    private readonly control: ControlConfig,
    private readonly utcOffsetHours: number,
    private readonly random: Random,
  ) {
    this.towerOffsetK = control.towerApproachOffsetK;
    this.supplyC = control.supplySetpointC;
  }

  update(tMs: number, measuredWetBulbC: number): Setpoints {
    const c = this.control;
    const day = Math.floor((tMs + this.utcOffsetHours * HOUR_MS) / DAY_MS);
    if (day !== this.lastDay) {
      this.lastDay = day;
      if (this.random.chance(0.1)) this.towerOffsetK = c.towerApproachOffsetK + this.random.pick(NUDGES);
      if (this.random.chance(0.04)) this.supplyC = c.supplySetpointC + this.random.pick(NUDGES);
    }
    const hour = Math.floor(tMs / HOUR_MS);
    if (hour !== this.lastHour || Number.isNaN(this.towerC)) {
      this.lastHour = hour;
      this.towerC = towerSetpointFor(c, measuredWetBulbC, this.towerOffsetK, this.supplyC);
    }
    return { supplySetpointC: this.supplyC, towerSetpointC: this.towerC };
  }
}
