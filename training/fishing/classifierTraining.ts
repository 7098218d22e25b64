import * as tf from '@tensorflow/tfjs';
import { Random } from '../../shared/simulation/random.js';

export interface TrainingOptions {
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly seed: number;
  /** called after each epoch with the mean training loss */
  readonly onEpoch?: (epoch: number, loss: number) => void;
}

/**
 * Mini-batch training with our own seeded shuffle (tfjs `fit` shuffles with Math.random), so the
 * same data and seed always give the same weights on the cpu backend.
 */
export async function trainClassifier(model: tf.LayersModel, x: Float32Array, y: Int32Array, classes: number, o: TrainingOptions): Promise<void> {
  const n = y.length;
  const d = x.length / n;
  model.compile({ optimizer: tf.train.adam(o.learningRate), loss: 'categoricalCrossentropy' });
  const rng = new Random(`shuffle/${o.seed}`);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    for (let i = n - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    let lossSum = 0;
    let batches = 0;
    for (let b = 0; b < n; b += o.batchSize) {
      const idx = order.slice(b, b + o.batchSize);
      const bx = new Float32Array(idx.length * d);
      const by = new Int32Array(idx.length);
      idx.forEach((r, k) => {
        bx.set(x.subarray(r * d, r * d + d), k * d);
        by[k] = y[r]!;
      });
      const xs = tf.tensor2d(bx, [idx.length, d]);
      const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(by, 'int32'), classes).toFloat());
      const loss = await model.trainOnBatch(xs, ys);
      tf.dispose([xs, ys]);
      lossSum += Array.isArray(loss) ? loss[0]! : loss;
      batches++;
    }
    o.onEpoch?.(epoch + 1, lossSum / batches);
  }
}

/** class probabilities for row-major normalised features, in one `predictOnBatch` call per chunk */
export function predictProbabilities(model: tf.LayersModel, x: Float32Array, rows: number, chunk = 4096): Float32Array {
  const d = rows > 0 ? x.length / rows : 0;
  const parts: Float32Array[] = [];
  for (let b = 0; b < rows; b += chunk) {
    const m = Math.min(chunk, rows - b);
    const probs = tf.tidy(() => {
      const out = model.predictOnBatch(tf.tensor2d(x.subarray(b * d, (b + m) * d), [m, d])) as tf.Tensor;
      return out.dataSync() as Float32Array;
    });
    parts.push(Float32Array.from(probs));
  }
  const all = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let off = 0;
  for (const p of parts) {
    all.set(p, off);
    off += p.length;
  }
  return all;
}

export function argmaxRows(probs: Float32Array, classes: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < probs.length; i += classes) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (probs[i + c]! > probs[i + best]!) best = c;
    out.push(best);
  }
  return out;
}
