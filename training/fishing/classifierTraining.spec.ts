import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../../shared/simulation/random.js';
import { argmaxRows, predictProbabilities, trainClassifier } from './classifierTraining.js';
import { buildGearModel } from './gearModel.js';

/** two well-separated Gaussian blobs per class in 6 dimensions */
function blobs(n: number, seed: string): { x: Float32Array; y: Int32Array } {
  const r = new Random(seed);
  const x = new Float32Array(n * 6);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 3;
    for (let j = 0; j < 6; j++) x[i * 6 + j] = r.normal(j === y[i] ? 3 : 0, 1);
  }
  return { x, y };
}

async function trainOnce(seed: number): Promise<{ weights: number[][]; model: tf.LayersModel }> {
  const { x, y } = blobs(300, 'blobs');
  const model = buildGearModel(6, 3, seed, [8]);
  await trainClassifier(model, x, y, 3, { epochs: 5, batchSize: 32, learningRate: 0.01, seed });
  return { weights: model.getWeights().map((w) => Array.from(w.dataSync())), model };
}

describe('trainClassifier', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('trains the same weights from the same seed, different ones from another seed', async () => {
    const a = await trainOnce(1);
    const b = await trainOnce(1);
    const c = await trainOnce(2);
    expect(b.weights).toEqual(a.weights);
    expect(c.weights).not.toEqual(a.weights);
    [a, b, c].forEach((m) => m.model.dispose());
  });

  it('learns a separable problem and predicts in batches', async () => {
    const { model } = await trainOnce(3);
    const test = blobs(200, 'blobs-test');
    const before = tf.memory().numTensors;
    const pred = argmaxRows(predictProbabilities(model, test.x, 200, 64), 3);
    expect(tf.memory().numTensors).toBe(before); // no tensor left behind
    const acc = pred.filter((p, i) => p === test.y[i]).length / 200;
    expect(acc).toBeGreaterThan(0.85);
    model.dispose();
  });
});
