import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fishingFeatureHash, fishingFeatureSpec } from '../../shared/features/fishing/fishingFeatures.js';
import { featureHash } from '../../shared/features/featureSpec.js';
import { readManifest } from '../../shared/models/manifestFile.js';
import type { ModelManifest } from '../../shared/models/manifest.js';
import { loadLayersModel } from '../../shared/models/modelFiles.js';
import { planFleet, spanOf } from '../../shared/simulation/vessels/fleet.js';
import { GEAR_CLASSES } from '../../shared/simulation/vessels/gear.js';
import { FISHING_MODEL_NAME, FISHING_WINDOW_MS } from './fishingModelConfig.js';
import { evaluateGearModel } from './gearEvaluation.js';
import { windowRows } from './windowedDataset.js';

/** the committed model, as `npm run train:fishing` wrote it */
const DIR = join(import.meta.dirname, '..', '..', 'models', FISHING_MODEL_NAME, 'v1');
/** a fresh fleet of 120 vessels × 48 h ≈ 240 windows: macro-F1 sampling error is about ±0.02 */
const TOLERANCE = 0.06;

describe('committed fishing-gear model', () => {
  let manifest: ModelManifest;
  let model: tf.LayersModel;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    manifest = await readManifest(DIR);
    model = await loadLayersModel(DIR);
  });

  it('was trained on the features the code computes today, with the labels and window the stream uses', () => {
    expect(manifest.feature_hash).toBe(fishingFeatureHash);
    expect(featureHash(manifest.feature_spec)).toBe(fishingFeatureHash);
    expect(manifest.feature_spec.features).toEqual(fishingFeatureSpec.features);
    expect(manifest.labels).toEqual([...GEAR_CLASSES]);
    expect(manifest.window).toEqual({ kind: 'tumbling', size_ms: FISHING_WINDOW_MS });
    expect(manifest.normalisation.mean).toHaveLength(fishingFeatureSpec.features.length);
    expect(model.inputs[0]!.shape).toEqual([null, fishingFeatureSpec.features.length]);
    expect(model.outputs[0]!.shape).toEqual([null, GEAR_CLASSES.length]);
    expect(manifest.metrics.macro_f1).toBeGreaterThanOrEqual(0.9);
  });

  it('scores freshly simulated vessels (another seed, never trained on) close to its manifest macro-F1', { timeout: 240_000 }, () => {
    const vessels = planFleet({ seed: 'artifact-check', vessels: 120 });
    const rows = windowRows(vessels, spanOf({ hours: 48 }), FISHING_WINDOW_MS);
    const m = evaluateGearModel(model, manifest.normalisation, manifest.labels!, rows);
    expect(m.rows).toBeGreaterThanOrEqual(200);
    expect(Math.abs(m.macro_f1 - (manifest.metrics.macro_f1 as number))).toBeLessThan(TOLERANCE);
  });

  it('scores the same fresh vessels seen only hourly close to its manifest hourly macro-F1', { timeout: 120_000 }, () => {
    const vessels = planFleet({ seed: 'artifact-check', vessels: 120, reporting: 'sparse' });
    const rows = windowRows(vessels, spanOf({ hours: 48 }), FISHING_WINDOW_MS);
    const m = evaluateGearModel(model, manifest.normalisation, manifest.labels!, rows);
    const hourly = (manifest.metrics.hourly_reporting as { macro_f1: number }).macro_f1;
    expect(Math.abs(m.macro_f1 - hourly)).toBeLessThan(TOLERANCE);
  });
});
