import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coolingFeatureHash, coolingFeatureSpec } from '../../shared/features/cooling/coolingFeatureSpec.js';
import { readManifest } from '../../shared/models/manifestFile.js';
import type { ModelManifest } from '../../shared/models/manifest.js';
import { ModelRegistry } from '../../shared/models/modelRegistry.js';
import type { ServedModel } from '../../shared/models/servedModel.js';
import { FLEET } from '../../shared/simulation/plant/fleet.js';
import { buildCoolingDataset, type CoolingDataset } from './coolingDataset.js';

const MODELS_DIR = join(import.meta.dirname, '../../models');
/** a seed the training never used, and days spread over the seasons */
const FRESH_SEED = 97_531;
const FRESH_STARTS = ['2025-02-10T00:00:00Z', '2025-05-12T00:00:00Z', '2025-08-04T00:00:00Z', '2025-11-03T00:00:00Z'];

describe('committed cooling-pue model', () => {
  let manifest: ModelManifest;
  let model: ServedModel;

  beforeAll(async () => {
    const registry = new ModelRegistry({ modelsDir: MODELS_DIR });
    const version = await registry.latestVersion('cooling-pue');
    manifest = await readManifest(join(MODELS_DIR, 'cooling-pue', version));
    model = await registry.load('cooling-pue', coolingFeatureSpec, { version, retrain: 'npm run train:cooling' });
  });
  afterAll(() => model?.dispose());

  it('was trained on the features the code computes today', () => {
    expect(manifest.feature_hash).toBe(coolingFeatureHash);
    expect(manifest.feature_spec.features).toEqual([...coolingFeatureSpec.features]);
    expect(manifest.task).toBe('regression');
    expect(manifest.target).toBe('pue');
    expect(manifest.window).toEqual({ kind: 'tumbling', size_ms: 300_000 });
    expect(manifest.metrics.mae_pue as number).toBeLessThanOrEqual(0.004);
  });

  it('predicts PUE on freshly simulated days (another seed) about as well as its manifest says', () => {
    const parts: CoolingDataset[] = FRESH_STARTS.map((start) => buildCoolingDataset(FLEET, { seed: FRESH_SEED, days: 3, start }));
    let abs = 0;
    let constant = 0;
    let rows = 0;
    const trainMean = (manifest.training.target_normalisation_folded_into_output_layer as { mean: number }).mean;
    for (const data of parts) {
      const values = model.predictBatch(data.x, data.rows).values;
      for (let i = 0; i < data.rows; i++) {
        expect(Number.isFinite(values[i])).toBe(true);
        abs += Math.abs(values[i] - data.pue[i]);
        constant += Math.abs(trainMean - data.pue[i]);
      }
      rows += data.rows;
    }
    const mae = abs / rows;
    const manifestMae = manifest.metrics.mae_pue as number;
    // "close": within half the manifest figure either way, plus the meter-noise scale
    expect(mae).toBeLessThan(manifestMae * 1.5 + 0.0005);
    expect(mae).toBeGreaterThan(manifestMae * 0.5 - 0.0005);
    // and far better than predicting the training mean for every row
    expect(mae).toBeLessThan((constant / rows) / 5);
  });
});
