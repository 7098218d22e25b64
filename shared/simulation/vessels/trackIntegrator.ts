import { GRID_STEP_S, interpolate, step, type Current, type KinematicState } from './kinematics.js';
import type { Phase, Planner } from './phase.js';
import type { Random } from '../random.js';

/**
 * Drives one vessel's true track forward in event time: asks its planner for the next phase when the
 * current one ends and integrates the kinematics on the fixed grid. `stateAt(t)` only moves forward.
 */
export class TrackIntegrator {
  private prev: KinematicState;
  private cur: KinematicState;
  private phaseNow: Phase;
  /** every phase started, for tests and diagnostics (name, start, end) */
  readonly phaseLog: { name: string; start: number; end: number }[] = [];

  constructor(
    private readonly planner: Planner,
    private readonly current: Current,
    private readonly rng: Random,
    initial: { t: number; lat: number; lon: number; heading: number; keepPhaseLog?: boolean },
  ) {
    this.cur = {
      t: initial.t, lat: initial.lat, lon: initial.lon, heading: initial.heading,
      waterSpeed: 0, sog: 0, cog: initial.heading, turnRate: 0, speedNoise: 0, turnNoise: 0,
    };
    this.prev = { ...this.cur };
    this.keepLog = initial.keepPhaseLog ?? false;
    this.phaseNow = this.plan();
  }

  private readonly keepLog: boolean;

  private plan(): Phase {
    const s = this.cur;
    const localHour = (((s.t / 3_600_000 + s.lon / 15) % 24) + 24) % 24;
    let phase = this.planner.next({ t: s.t, localHour, heading: s.heading, lat: s.lat, rng: this.rng });
    if (!(phase.end > s.t)) phase = { ...phase, end: s.t + GRID_STEP_S * 1000 }; // a phase always lasts a step
    if (this.keepLog) this.phaseLog.push({ name: phase.name, start: s.t, end: phase.end });
    return phase;
  }

  /** the phase in force at the latest integrated time */
  get phase(): Phase {
    return this.phaseNow;
  }

  /** true state at event time `t` (not before the last time asked) */
  stateAt(t: number): KinematicState {
    while (this.cur.t < t) {
      if (this.cur.t >= this.phaseNow.end) this.phaseNow = this.plan();
      Object.assign(this.prev, this.cur);
      step(this.cur, this.phaseNow, this.current, this.rng);
    }
    return interpolate(this.prev, this.cur, t);
  }
}
