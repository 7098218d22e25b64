import type { PlantTelemetry } from '../../schemas/messages/plantTelemetry.js';
import type { VesselPosition } from '../../schemas/messages/vesselPosition.js';
import { coolingFeatures } from '../../shared/features/cooling/coolingFeatures.js';
import { coolingFeatureSpec } from '../../shared/features/cooling/coolingFeatureSpec.js';
import type { FeatureSpec } from '../../shared/features/featureSpec.js';
import { fishingFeatures, fishingFeatureSpec } from '../../shared/features/fishing/fishingFeatures.js';
import type { TrackPoint } from '../../shared/features/trackPoint.js';

/**
 * A feature set as the worker uses it: what to keep of each event in a window (a bounded,
 * time-ordered point collector) and the pure feature function training used on the same points.
 */
export interface FeatureSet<P> {
  readonly spec: FeatureSpec;
  /** most points a window keeps (the collector downsamples evenly beyond it) */
  readonly capacity: number;
  point(event: Record<string, unknown>): P;
  features(points: readonly P[]): Float32Array;
}

const fishingTrack: FeatureSet<TrackPoint> = {
  spec: fishingFeatureSpec,
  // Features thin tracks to one point per 5 minutes: 24 h need at most 288; 512 leaves room.
  capacity: 512,
  point(event) {
    const e = event as unknown as VesselPosition;
    return { t: e.timestamp, lat: e.lat, lon: e.lon, speed: e.speed, course: e.course };
  },
  features: fishingFeatures,
};

const coolingPlant: FeatureSet<PlantTelemetry> = {
  spec: coolingFeatureSpec,
  // 5-minute samples: a 5 minute window holds one, an hour twelve; 64 covers any sane window.
  capacity: 64,
  point: (event) => event as unknown as PlantTelemetry,
  features: coolingFeatures,
};

const featureSets: Readonly<Record<string, FeatureSet<unknown>>> = {
  [fishingFeatureSpec.name]: fishingTrack as FeatureSet<unknown>,
  [coolingFeatureSpec.name]: coolingPlant as FeatureSet<unknown>,
};

export function featureSet(name: string): FeatureSet<unknown> {
  const set = featureSets[name];
  if (!set) throw new Error(`unknown feature set "${name}" (fix: use one of ${Object.keys(featureSets).join(', ')})`);
  return set;
}
