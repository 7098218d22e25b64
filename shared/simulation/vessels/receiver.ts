import type { Random } from '../random.js';
import type { ReportingProfile } from './reportingProfile.js';

/** mean time in and out of shore-station range for the `mixed` regime, hours */
const MIXED_TERRESTRIAL_MEAN_H = 4;
const MIXED_SATELLITE_MEAN_H = 8;
/** a satellite pass lasts 6–14 minutes; passes are at least 5 minutes apart */
const PASS_MINUTES: readonly [number, number] = [6, 14];
const MIN_PASS_GAP_MIN = 5;

/**
 * Where a vessel can be heard at each event time: in shore-station range, or under a satellite pass,
 * or neither. Built lazily forward in time from its own random stream, so it is deterministic.
 */
export class Receiver {
  private segEnd: number;
  private terrestrial: boolean;
  private passStart: number;
  private passEnd: number;

  constructor(private readonly profile: ReportingProfile, private readonly rng: Random, start: number) {
    const r = profile.regime;
    this.terrestrial = r === 'terrestrial' || (r === 'mixed' && rng.chance(MIXED_TERRESTRIAL_MEAN_H / (MIXED_TERRESTRIAL_MEAN_H + MIXED_SATELLITE_MEAN_H)));
    this.segEnd = r === 'mixed' ? start + this.segmentLength() * rng.next() : Infinity;
    this.passStart = start + rng.exponential(profile.satelliteGapMeanMin) * 60_000 * rng.next();
    this.passEnd = this.passStart + rng.uniform(...PASS_MINUTES) * 60_000;
  }

  private segmentLength(): number {
    return this.rng.exponential(this.terrestrial ? MIXED_TERRESTRIAL_MEAN_H : MIXED_SATELLITE_MEAN_H) * 3_600_000;
  }

  private advance(t: number): void {
    while (t >= this.segEnd) {
      this.terrestrial = !this.terrestrial;
      this.segEnd += this.segmentLength();
    }
    while (t >= this.passEnd) {
      this.passStart = this.passEnd + (MIN_PASS_GAP_MIN + this.rng.exponential(this.profile.satelliteGapMeanMin)) * 60_000;
      this.passEnd = this.passStart + this.rng.uniform(...PASS_MINUTES) * 60_000;
    }
  }

  /**
   * How a transmission at `t` fares: `terrestrial` or `satellite` if received, else null; when nothing can
   * be heard until later, `skipTo` says when listening is worth resuming (saves simulating silence).
   */
  hear(t: number): { via: 'terrestrial' | 'satellite' | null; skipTo?: number } {
    this.advance(t);
    if (this.terrestrial) {
      return { via: this.rng.chance(this.profile.terrestrialRx) ? 'terrestrial' : null };
    }
    if (t >= this.passStart) {
      return { via: this.rng.chance(this.profile.satelliteDetect) ? 'satellite' : null };
    }
    return { via: null, skipTo: Math.min(this.passStart, this.segEnd) };
  }
}
