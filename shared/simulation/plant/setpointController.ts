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
 * The operators' side of the plant: the tower leaving-water setpoint is reset every hour from the
 * measured wet bulb (in 0.5 K steps, as a BMS schedule would), and now and then at the start of a local
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
      const wanted = Math.round((measuredWetBulbC + this.towerOffsetK) * 2) / 2;
      this.towerC = Math.min(c.towerSetpointMaxC, Math.max(c.towerSetpointMinC, wanted));
    }
    return { supplySetpointC: this.supplyC, towerSetpointC: this.towerC };
  }
}
