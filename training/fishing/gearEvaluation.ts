import type * as tf from '@tensorflow/tfjs';
import { argmaxRows, predictProbabilities } from './classifierTraining.js';
import { classificationMetrics, type ClassificationMetrics } from './classificationMetrics.js';
import { normaliseRows, type Normalisation } from './featureNormalisation.js';
import type { WindowRow } from './windowedDataset.js';

/** Score windows with a trained model and compare with their true gear. */
export function evaluateGearModel(
  model: tf.LayersModel,
  normalisation: Normalisation,
  labels: readonly string[],
  rows: readonly WindowRow[],
): ClassificationMetrics {
  const truth = rows.map((r) => {
    const i = labels.indexOf(r.gear);
    if (i < 0) throw new RangeError(`evaluateGearModel: window of ${r.mmsi} has gear ${r.gear}, not one of the model's labels ${labels.join(', ')}`);
    return i;
  });
  const probs = predictProbabilities(model, normaliseRows(rows.map((r) => r.features), normalisation), rows.length);
  return classificationMetrics(labels, truth, argmaxRows(probs, labels.length));
}

/** metrics per reporting regime, for the model card */
export function evaluateByRegime(
  model: tf.LayersModel,
  normalisation: Normalisation,
  labels: readonly string[],
  rows: readonly WindowRow[],
): Record<string, { rows: number; macro_f1: number; accuracy: number }> {
  const out: Record<string, { rows: number; macro_f1: number; accuracy: number }> = {};
  for (const regime of [...new Set(rows.map((r) => r.regime))].sort()) {
    const m = evaluateGearModel(model, normalisation, labels, rows.filter((r) => r.regime === regime));
    out[regime] = { rows: m.rows, macro_f1: m.macro_f1, accuracy: m.accuracy };
  }
  return out;
}
