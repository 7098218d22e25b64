import * as tf from '@tensorflow/tfjs';

/**
 * A small MLP over the window's feature vector. Seeded initialisers and no dropout (tfjs dropout with
 * a fixed seed draws the same mask every step), L2 instead, so two runs train the same weights.
 */
export function buildGearModel(inputDim: number, classes: number, seed: number, hidden: readonly number[] = [64, 32]): tf.LayersModel {
  const model = tf.sequential();
  hidden.forEach((units, i) => {
    model.add(tf.layers.dense({
      ...(i === 0 ? { inputShape: [inputDim] } : {}),
      units,
      activation: 'relu',
      kernelInitializer: tf.initializers.heNormal({ seed: seed + i }),
      kernelRegularizer: tf.regularizers.l2({ l2: 1e-4 }),
      name: `hidden_${i + 1}`,
    }));
  });
  model.add(tf.layers.dense({
    units: classes,
    activation: 'softmax',
    kernelInitializer: tf.initializers.glorotUniform({ seed: seed + hidden.length }),
    name: 'gear_probabilities',
  }));
  return model;
}
