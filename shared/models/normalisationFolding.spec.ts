import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { captureLogger } from '../../tests/fixtures/captureLogger.js';
import { selectBackend } from './backend.js';
import { foldStandardisation, standardisation } from './normalisationFolding.js';

beforeAll(async () => {
  await selectBackend({ logger: captureLogger().logger });
});

function mlp(width: number, seed: number, useBias = true): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.dense({ units: 5, inputShape: [width], activation: 'tanh', useBias, kernelInitializer: tf.initializers.glorotUniform({ seed }), biasInitializer: tf.initializers.randomNormal({ seed: seed + 1 }) }),
      tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 2 }) }),
    ],
  });
}

const small = fc.float({ min: -100, max: 100, noNaN: true, noDefaultInfinity: true });

describe('foldStandardisation', () => {
  it('folded network on raw features = original network on standardised features (std 0 passes through centred)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }).chain((w) =>
          fc.record({
            w: fc.constant(w),
            seed: fc.integer({ min: 0, max: 1000 }),
            mean: fc.array(small, { minLength: w, maxLength: w }),
            std: fc.array(fc.oneof(fc.constant(0), fc.float({ min: Math.fround(0.01), max: 50, noNaN: true })), { minLength: w, maxLength: w }),
            rows: fc.array(fc.array(small, { minLength: w, maxLength: w }), { minLength: 1, maxLength: 8 }),
          }),
        ),
        ({ w, seed, mean, std, rows }) => {
          const original = mlp(w, seed);
          const folded = mlp(w, seed);
          expect(foldStandardisation(folded, mean, std)).toBe(true);
          const { shift, scale } = standardisation(mean, std);
          const standardised = rows.map((r) => r.map((v, j) => (v - shift[j]) * scale[j]));
          const want = tf.tidy(() => (original.predictOnBatch(tf.tensor2d(standardised)) as tf.Tensor).arraySync() as number[][]);
          const got = tf.tidy(() => (folded.predictOnBatch(tf.tensor2d(rows)) as tf.Tensor).arraySync() as number[][]);
          original.dispose();
          folded.dispose();
          got.forEach((r, i) => r.forEach((v, c) => expect(v).toBeCloseTo(want[i][c], 3)));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('leaves a network alone when its input layer has no bias to absorb the shift', () => {
    const model = mlp(3, 1, false);
    const before = model.getWeights().map((t) => t.arraySync());
    expect(foldStandardisation(model, [1, 2, 3], [1, 1, 1])).toBe(false);
    expect(model.getWeights().map((t) => t.arraySync())).toEqual(before);
    model.dispose();
  });
});
