import * as tf from '@tensorflow/tfjs';

export interface PueNetworkOptions {
  readonly inputs: number;
  /** hidden layer widths; Gao 2014 used 5 × 50 */
  readonly hidden: readonly number[];
  readonly activation: 'relu' | 'elu' | 'tanh';
  readonly seed: number;
}

/** A plain MLP regressor with seeded initialisers, so the same seed gives the same starting weights. */
export function buildPueNetwork(o: PueNetworkOptions): tf.Sequential {
  const model = tf.sequential({ name: 'cooling_pue' });
  o.hidden.forEach((units, i) => {
    model.add(tf.layers.dense({
      units,
      activation: o.activation,
      kernelInitializer: tf.initializers.heNormal({ seed: o.seed + i }),
      biasInitializer: 'zeros',
      ...(i === 0 ? { inputShape: [o.inputs] } : {}),
    }));
  });
  model.add(tf.layers.dense({
    units: 1,
    activation: 'linear',
    kernelInitializer: tf.initializers.glorotUniform({ seed: o.seed + o.hidden.length }),
    name: 'pue',
  }));
  return model;
}

/**
 * The network is trained on a standardised target; fold `y = ŷ·std + mean` into the output layer so
 * the saved model emits PUE itself and the runtime needs no target transform.
 */
export function foldTargetScaling(model: tf.LayersModel, mean: number, std: number): void {
  const last = model.layers[model.layers.length - 1];
  const [kernel, bias] = last.getWeights();
  const scaled = tf.tidy(() => [kernel.mul(std), bias.mul(std).add(mean)]);
  last.setWeights(scaled);
  tf.dispose(scaled);
}
