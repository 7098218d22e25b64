/**
 * The input standardisation a model was trained with, `(x - mean) / std` per feature, applied in the
 * runtime so feature code stays in natural units and training and serving share it unchanged.
 * One output buffer is reused across batches: the hot path allocates nothing per row or per batch.
 */
export class Normaliser {
  readonly width: number;
  private readonly mean: Float32Array;
  private readonly scale: Float32Array;
  private buffer: Float32Array;
  /** how many non-finite inputs the last `apply` met (they were fed to the network as 0) */
  nonFinite = 0;

  constructor(mean: readonly number[], std: readonly number[]) {
    if (mean.length !== std.length) throw new Error(`Normaliser: ${mean.length} means but ${std.length} stds`);
    this.width = mean.length;
    this.mean = Float32Array.from(mean);
    // A feature that was constant in training has std 0; pass it through centred instead of dividing by 0.
    this.scale = Float32Array.from(std, (s) => (Number.isFinite(s) && s > 0 ? 1 / s : 1));
    this.buffer = new Float32Array(0);
  }

  /**
   * Standardise `rows` rows of `src` (row-major, `width` floats each). Returns a view of the internal
   * buffer, valid until the next call: copy it, or hand it to a tensor that is disposed before then.
   * Non-finite inputs become 0 here (so they cannot poison other rows) and are counted in `nonFinite`;
   * the caller voids those rows' outputs.
   */
  apply(src: Float32Array, rows: number): Float32Array {
    const { width, mean, scale } = this;
    const n = rows * width;
    if (src.length < n) throw new Error(`Normaliser: ${rows} rows of ${width} features need ${n} values, got ${src.length}`);
    if (this.buffer.length < n) this.buffer = new Float32Array(n);
    const out = this.buffer;
    let k = 0;
    let bad = 0;
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < width; j++, k++) {
        const v = (src[k] - mean[j]) * scale[j];
        // v - v is 0 for every finite v and NaN for NaN/±Infinity: one cheap test per value
        if (v - v === 0) out[k] = v;
        else {
          out[k] = 0;
          bad++;
        }
      }
    }
    this.nonFinite = bad;
    return out.subarray(0, n);
  }
}
