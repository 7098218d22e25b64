import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../shared/models/backend.js';
import { fleetPlant } from '../../shared/simulation/plant/fleet.js';
import { trainCoolingModel } from './coolingTraining.js';

async function tinyRun(seed: number) {
  const backend = await selectBackend({ prefer: 'wasm' });
  const { model, manifest } = await trainCoolingModel({
    plants: [fleetPlant('hall-nordic'), fleetPlant('hall-tropical')],
    seed,
    days: 10,
    start: '2025-03-01T00:00:00Z',
    epochs: 6,
    rowsPerEpoch: 4096,
    batchSize: 256,
    version: 'test',
    backend: backend.backend,
    log: () => {},
  });
  const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
  model.dispose();
  return { manifest, weights };
}

describe('cooling training run', () => {
  it('is repeatable from its seed and writes a manifest that describes the split and metrics', async () => {
    const before = tf.memory().numTensors;
    const a = await tinyRun(3);
    const b = await tinyRun(3);
    expect(b.weights).toEqual(a.weights);
    expect(b.manifest.metrics).toEqual(a.manifest.metrics);
    const c = await tinyRun(4);
    expect(c.weights).not.toEqual(a.weights);
    const m = a.manifest;
    expect(m.training.train_rows + m.training.test_rows + (m.training.validation_rows as number)).toBe(2 * 10 * 288);
    expect(m.training.test_rows % 288).toBe(0);
    expect(m.normalisation.mean.length).toBe(m.feature_spec.features.length);
    expect(typeof m.metrics.mae_pue).toBe('number');
    expect(m.metrics.mae_pue as number).toBeLessThan(m.metrics.baseline_constant_mae_pue as number);
    // no tensors left behind by three training runs (optimizer state and models disposed)
    expect(tf.memory().numTensors - before).toBe(0);
  }, 180_000);
});
