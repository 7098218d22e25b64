import { plantInputFields, type PlantTelemetry } from '../../../schemas/messages/plantTelemetry.js';
import { COOLING_FEATURE_NAMES } from './coolingFeatureSpec.js';

/** features per vector (`coolingFeatureSpec.features.length`) */
export const COOLING_FEATURE_WIDTH = COOLING_FEATURE_NAMES.length;

const INPUTS = plantInputFields.length;

function affinityIndex(running: number, vfdPct: number): number {
  const speed = vfdPct / 100;
  return running * speed * speed * speed;
}

/** Add one sample's feature row into `acc` (length COOLING_FEATURE_WIDTH). */
function accumulate(sample: PlantTelemetry, acc: Float64Array): void {
  for (let j = 0; j < INPUTS; j++) acc[j] += sample[plantInputFields[j]];
  acc[INPUTS] += affinityIndex(sample.process_water_pumps_running, sample.process_water_pump_vfd_pct);
  acc[INPUTS + 1] += affinityIndex(sample.condenser_water_pumps_running, sample.condenser_water_pump_vfd_pct);
}

/**
 * Feature vector of a window of one hall's samples (layout: `coolingFeatureSpec`). One sample gives
 * its 19 inputs in schema order plus the derived features; several give the mean of each. The samples
 * are schema-validated telemetry, so every value is finite and so is the mean; an empty window has no
 * meaning and is refused. Pure: training and the stream call exactly this.
 */
export function coolingFeatures(samples: readonly PlantTelemetry[]): Float32Array {
  if (samples.length === 0) {
    throw new RangeError('coolingFeatures: the window holds no samples; call it only for windows with at least one plant telemetry sample');
  }
  const acc = new Float64Array(COOLING_FEATURE_WIDTH);
  for (const s of samples) accumulate(s, acc);
  const out = new Float32Array(COOLING_FEATURE_WIDTH);
  for (let j = 0; j < COOLING_FEATURE_WIDTH; j++) out[j] = acc[j] / samples.length;
  return out;
}

/**
 * Bulk form for training and batch scoring: one row per sample (a 5-minute tumbling window holds one
 * sample), row-major into a single buffer. Same numbers as `coolingFeatures([sample])`.
 */
export function coolingFeatureRows(samples: readonly PlantTelemetry[]): Float32Array {
  const out = new Float32Array(samples.length * COOLING_FEATURE_WIDTH);
  const acc = new Float64Array(COOLING_FEATURE_WIDTH);
  for (let i = 0; i < samples.length; i++) {
    acc.fill(0);
    accumulate(samples[i], acc);
    out.set(acc, i * COOLING_FEATURE_WIDTH);
  }
  return out;
}
