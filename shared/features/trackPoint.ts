/**
 * One position of a vessel track as the feature extractors see it: event time in epoch ms,
 * AIS "not available" values already mapped to null.
 */
export interface TrackPoint {
  readonly t: number;
  readonly lat: number;
  readonly lon: number;
  /** speed over ground, knots */
  readonly speed: number | null;
  /** course over ground, degrees [0, 360) */
  readonly course: number | null;
}
