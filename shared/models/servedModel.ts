import * as tf from '@tensorflow/tfjs';
import type { ModelManifest } from './manifest.js';
import { BatchPrediction, type ModelRole } from './batchPrediction.js';
import { foldStandardisation, standardisation } from './normalisationFolding.js';

export interface ServedModelInit {
  readonly model: tf.LayersModel;
  readonly manifest: ModelManifest;
  /** the version folder it was loaded from, for error messages */
  readonly dir: string;
  readonly role?: ModelRole;
}

function lastActivation(model: tf.LayersModel): string | undefined {
  const last = model.layers[model.layers.length - 1];
  const activation = (last?.getConfig() as { activation?: unknown } | undefined)?.activation;
  return typeof activation === 'string' ? activation : undefined;
}

/**
 * One loaded model version ready to score batches of feature rows: normalisation, one
 * `predictOnBatch` per batch (never `predict`, which re-splits into batches of 32), output read back
 * synchronously and every tensor disposed before returning.
 */
export class ServedModel {
  readonly name: string;
  readonly version: string;
  readonly role: ModelRole;
  readonly manifest: ModelManifest;
  readonly dir: string;
  /** features per input row */
  readonly width: number;
  /** values per output row */
  readonly outputs: number;
  /**
   * how the manifest's normalisation is applied: folded into the first Dense layer's weights at load
   * (no per-row cost), or as two elementwise ops in the graph for networks that do not start dense
   */
  readonly normalisation: 'folded' | 'graph';
  private readonly model: tf.LayersModel;
  /** graph normalisation only: per-feature shift and scale, kept for the model's lifetime */
  private readonly shift: tf.Tensor2D | undefined;
  private readonly scale: tf.Tensor2D | undefined;
  /** true when the network ends in logits rather than softmax, so the runtime adds the softmax */
  private readonly addSoftmax: boolean;
  private disposed = false;

  constructor(init: ServedModelInit) {
    const { model, manifest, dir } = init;
    this.model = model;
    this.manifest = manifest;
    this.dir = dir;
    this.name = manifest.name;
    this.version = manifest.version;
    this.role = init.role ?? 'champion';
    this.width = manifest.feature_spec.features.length;

    const inShape = model.inputs[0]?.shape;
    if (model.inputs.length !== 1 || inShape === undefined || inShape.length !== 2 || inShape[1] !== this.width) {
      throw new Error(`model ${dir}: model.json input shape ${JSON.stringify(inShape)} does not take rows of the manifest's ${this.width} features (field "feature_spec.features"); retrain the model`);
    }
    const outShape = model.outputs[0]?.shape;
    if (model.outputs.length !== 1 || outShape === undefined || outShape.length !== 2 || typeof outShape[1] !== 'number') {
      throw new Error(`model ${dir}: model.json output shape ${JSON.stringify(outShape)} is not [batch, n]; the runtime serves single-output dense heads`);
    }
    this.outputs = outShape[1];
    if (manifest.task === 'classification') {
      const labels = manifest.labels ?? [];
      if (labels.length !== this.outputs) {
        throw new Error(`model ${dir}: manifest field "labels" names ${labels.length} classes but the network outputs ${this.outputs}; retrain the model`);
      }
    }
    this.addSoftmax = manifest.task === 'classification' && lastActivation(model) !== 'softmax';
    const { mean, std } = manifest.normalisation;
    if (foldStandardisation(model, mean, std)) {
      this.normalisation = 'folded';
    } else {
      this.normalisation = 'graph';
      const { shift, scale } = standardisation(mean, std);
      this.shift = tf.tensor2d(shift, [1, this.width]);
      this.scale = tf.tensor2d(scale, [1, this.width]);
    }
  }

  /**
   * Score `rows` feature rows laid out row-major in `features` (default: all of it). Feature values are
   * in natural units; the manifest's normalisation is applied here. Rows with a non-finite feature get
   * NaN outputs (label null). One tensor in, one predictOnBatch, one read back; nothing retained.
   */
  predictBatch(features: Float32Array, rows?: number): BatchPrediction {
    if (this.disposed) throw new Error(`model ${this.dir} was disposed`);
    const n = rows ?? features.length / this.width;
    if (!Number.isInteger(n) || n < 0 || n * this.width > features.length) {
      throw new Error(`model ${this.name} ${this.version}: got ${features.length} feature values for ${rows ?? 'all'} rows; each row needs ${this.width} (${this.manifest.feature_spec.name} v${this.manifest.feature_spec.version})`);
    }
    let values: Float32Array;
    if (n === 0) {
      values = new Float32Array(0);
    } else {
      const input = n * this.width === features.length ? features : features.subarray(0, n * this.width);
      let nonFinite = false;
      const output = tf.tidy(() => {
        let x: tf.Tensor = tf.tensor2d(input, [n, this.width], 'float32');
        // One reduction (SIMD in wasm) tells whether any feature is NaN or infinite; only then are rows
        // checked one by one in JS. The network itself would hide it: a relu turns NaN into a confident 0.
        const total = tf.sum(x).dataSync()[0];
        nonFinite = !(total - total === 0);
        if (this.shift !== undefined && this.scale !== undefined) x = tf.mul(tf.sub(x, this.shift), this.scale);
        const y = this.model.predictOnBatch(x) as tf.Tensor;
        return this.addSoftmax ? tf.softmax(y) : y;
      });
      try {
        values = output.dataSync() as Float32Array;
      } finally {
        output.dispose();
      }
      if (nonFinite) this.voidNonFiniteRows(input, n, values);
    }
    return new BatchPrediction({
      model: this.name,
      model_version: this.version,
      model_role: this.role,
      task: this.manifest.task,
      labels: this.manifest.labels,
      target: this.manifest.target,
      rows: n,
      outputs: this.outputs,
      values,
    });
  }

  /** Rows with a NaN or infinite feature get NaN outputs: label null, JSON null, never a made-up class. */
  private voidNonFiniteRows(features: Float32Array, rows: number, values: Float32Array): void {
    const { width, outputs } = this;
    for (let r = 0; r < rows; r++) {
      for (let j = r * width, end = j + width; j < end; j++) {
        if (!Number.isFinite(features[j])) {
          values.fill(Number.NaN, r * outputs, (r + 1) * outputs);
          break;
        }
      }
    }
  }

  /** Free the weights. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.model.dispose();
    tf.dispose([this.shift, this.scale].filter((t) => t !== undefined));
  }
}
