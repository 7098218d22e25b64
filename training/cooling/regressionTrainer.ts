import * as tf from '@tensorflow/tfjs';
import { Random } from '../../shared/simulation/random.js';

export interface TrainerOptions {
  readonly epochs: number;
  readonly batchSize: number;
  /** rows drawn (without replacement) per epoch; consecutive 5-minute rows are near-duplicates, so an epoch need not see them all */
  readonly rowsPerEpoch: number;
  /** Adam learning rate, decayed on a cosine from `learningRateStart` to `learningRateEnd` */
  readonly learningRateStart: number;
  readonly learningRateEnd: number;
  readonly seed: number;
  readonly log: (line: string) => void;
}

export interface TrainingSet {
  /** standardised features, row-major */
  readonly x: Float32Array;
  /** standardised target */
  readonly y: Float32Array;
  readonly width: number;
}

export interface EpochRecord {
  readonly epoch: number;
  readonly learningRate: number;
  readonly trainLoss: number;
  /** mean absolute error on the validation days, in standardised target units */
  readonly validationMae: number;
  readonly seconds: number;
}

export interface TrainerResult {
  readonly bestEpoch: number;
  readonly history: readonly EpochRecord[];
}

/** Mean absolute error of the model on a standardised set, predicted in large batches. */
export function standardisedMae(model: tf.LayersModel, set: TrainingSet, batch = 8192): number {
  const rows = set.y.length;
  let sum = 0;
  for (let start = 0; start < rows; start += batch) {
    const n = Math.min(batch, rows - start);
    const out = tf.tidy(() => {
      const x = tf.tensor2d(set.x.subarray(start * set.width, (start + n) * set.width), [n, set.width]);
      return (model.predictOnBatch(x) as tf.Tensor).dataSync();
    });
    for (let i = 0; i < n; i++) sum += Math.abs(out[i] - set.y[start + i]);
  }
  return sum / rows;
}

/**
 * Mini-batch Adam on mean squared error with our own seeded shuffling (tfjs `fit` shuffles with
 * Math.random, which would make runs unrepeatable). After each epoch the validation days are scored
 * and the best weights are kept: the returned model is the epoch that generalised best.
 */
export async function trainRegressor(model: tf.LayersModel, train: TrainingSet, validation: TrainingSet, o: TrainerOptions): Promise<TrainerResult> {
  const optimizer = tf.train.adam(o.learningRateStart);
  model.compile({ optimizer, loss: 'meanSquaredError' });
  const random = new Random(o.seed).fork('shuffle');
  const n = train.y.length;
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const perEpoch = Math.min(n, o.rowsPerEpoch);
  const xb = new Float32Array(o.batchSize * train.width);
  const yb = new Float32Array(o.batchSize);
  const history: EpochRecord[] = [];
  let best = { epoch: -1, mae: Number.POSITIVE_INFINITY, weights: [] as tf.Tensor[] };

  for (let epoch = 0; epoch < o.epochs; epoch++) {
    const t0 = performance.now();
    const progress = o.epochs === 1 ? 1 : epoch / (o.epochs - 1);
    const lr = o.learningRateEnd + 0.5 * (o.learningRateStart - o.learningRateEnd) * (1 + Math.cos(Math.PI * progress));
    // tfjs optimizers read their rate on every step; it is a plain field behind a `protected` type
    (optimizer as unknown as { learningRate: number }).learningRate = lr;
    // partial Fisher–Yates: the first `perEpoch` entries become a uniform sample without replacement
    for (let i = 0; i < perEpoch; i++) {
      const j = i + Math.floor(random.next() * (n - i));
      const t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    let lossSum = 0;
    let batches = 0;
    for (let start = 0; start + o.batchSize <= perEpoch; start += o.batchSize) {
      for (let k = 0; k < o.batchSize; k++) {
        const r = order[start + k];
        xb.set(train.x.subarray(r * train.width, (r + 1) * train.width), k * train.width);
        yb[k] = train.y[r];
      }
      const xs = tf.tensor2d(xb, [o.batchSize, train.width]);
      const ys = tf.tensor2d(yb, [o.batchSize, 1]);
      const loss = await model.trainOnBatch(xs, ys);
      tf.dispose([xs, ys]);
      lossSum += Array.isArray(loss) ? loss[0] : loss;
      batches++;
    }
    const validationMae = standardisedMae(model, validation);
    const record: EpochRecord = { epoch: epoch + 1, learningRate: lr, trainLoss: lossSum / Math.max(1, batches), validationMae, seconds: (performance.now() - t0) / 1000 };
    history.push(record);
    if (validationMae < best.mae) {
      tf.dispose(best.weights);
      best = { epoch: epoch + 1, mae: validationMae, weights: model.getWeights().map((w) => w.clone()) };
    }
    o.log(`epoch ${record.epoch}/${o.epochs} lr ${lr.toExponential(2)} train mse ${record.trainLoss.toFixed(5)} validation mae ${validationMae.toFixed(5)} (std units) ${record.seconds.toFixed(1)} s`);
  }
  model.setWeights(best.weights);
  tf.dispose(best.weights);
  // Adam's moment estimates are tensors the model does not own: free them, the model only predicts from here
  optimizer.dispose();
  return { bestEpoch: best.epoch, history };
}
