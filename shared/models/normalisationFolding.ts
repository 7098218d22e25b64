import * as tf from '@tensorflow/tfjs';

/**
 * The manifest's input standardisation, `(x - mean) / std` per feature, as scale and shift. A feature
 * that was constant in training (std 0) passes through centred instead of dividing by 0.
 */
export function standardisation(mean: readonly number[], std: readonly number[]): { shift: Float32Array; scale: Float32Array } {
  if (mean.length !== std.length) throw new Error(`normalisation has ${mean.length} means but ${std.length} stds`);
  return {
    shift: Float32Array.from(mean),
    scale: Float32Array.from(std, (s) => (Number.isFinite(s) && s > 0 ? 1 / s : 1)),
  };
}

function firstLayerOnInput(model: tf.LayersModel): tf.layers.Layer | undefined {
  const input = model.inputs[0];
  const consumers = model.layers.filter(
    (l) => l.getClassName() !== 'InputLayer' && l.inboundNodes.some((n) => n.inputTensors.includes(input)),
  );
  return consumers.length === 1 ? consumers[0] : undefined;
}

/**
 * Fold the standardisation into the network's first Dense layer, so serving runs exactly the network's
 * own matrix product on features in natural units and pays nothing per row for normalisation:
 *   act(((x - m) * s) W + b) = act(x (diag(s) W) + (b - (m * s) W)).
 * Only when the input feeds one Dense layer with a bias (else returns false and changes nothing).
 * Mutates `model`: call it on a model instance this runtime owns.
 */
export function foldStandardisation(model: tf.LayersModel, mean: readonly number[], std: readonly number[]): boolean {
  const layer = firstLayerOnInput(model);
  if (layer === undefined || layer.getClassName() !== 'Dense') return false;
  const weights = layer.getWeights();
  if (weights.length !== 2 || weights[0].rank !== 2 || weights[1].rank !== 1) return false; // no bias to take the shift
  const [kernel, bias] = weights;
  const { shift, scale } = standardisation(mean, std);
  if (kernel.shape[0] !== scale.length) return false;
  const folded = tf.tidy(() => {
    const s = tf.tensor2d(scale, [scale.length, 1]);
    const ms = tf.tensor2d(shift, [1, shift.length]).mul(s.reshape([1, scale.length]));
    const k = kernel.mul(s);
    const b = bias.sub(tf.matMul(ms, kernel).reshape([bias.shape[0]]));
    return [k, b];
  });
  layer.setWeights(folded);
  tf.dispose(folded);
  return true;
}
