/** A champion serves results; a shadow runs on the same input so a candidate is judged on live data. */
export type ModelRole = 'champion' | 'shadow';

interface PredictionBase {
  readonly model: string;
  readonly model_version: string;
  readonly model_role: ModelRole;
}

export interface ClassPrediction extends PredictionBase {
  /** most probable class; null when the model produced NaN (non-finite features) */
  readonly label: string | null;
  readonly probabilities: Readonly<Record<string, number>>;
}

export interface ValuePrediction extends PredictionBase {
  /** the manifest's `target`, e.g. `pue` */
  readonly target: string;
  readonly value: number;
}

export type Prediction = ClassPrediction | ValuePrediction;

export interface BatchPredictionInit {
  readonly model: string;
  readonly model_version: string;
  readonly model_role: ModelRole;
  readonly task: 'classification' | 'regression';
  readonly labels: readonly string[] | undefined;
  readonly target: string | undefined;
  readonly rows: number;
  readonly outputs: number;
  readonly values: Float32Array;
}

/**
 * The outputs of one batch as one flat array (`rows` x `outputs`, row-major), with the model identity.
 * Per-row objects are built only when asked for, so a caller that writes columns (DuckDB appender)
 * never pays for them.
 */
export class BatchPrediction {
  readonly model: string;
  readonly model_version: string;
  readonly model_role: ModelRole;
  readonly task: 'classification' | 'regression';
  /** classification: class names in output order */
  readonly labels: readonly string[] | undefined;
  /** regression: the predicted quantity */
  readonly target: string | undefined;
  readonly rows: number;
  /** values per row: number of classes, or 1 for a scalar regression */
  readonly outputs: number;
  /** probabilities (classification) or predicted values (regression), row-major */
  readonly values: Float32Array;

  constructor(init: BatchPredictionInit) {
    this.model = init.model;
    this.model_version = init.model_version;
    this.model_role = init.model_role;
    this.task = init.task;
    this.labels = init.labels;
    this.target = init.target;
    this.rows = init.rows;
    this.outputs = init.outputs;
    this.values = init.values;
  }

  private checkRow(i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.rows) throw new RangeError(`row ${i} outside batch of ${this.rows}`);
  }

  /** index of the most probable class, or -1 if any probability is NaN */
  classIndex(i: number): number {
    this.checkRow(i);
    const base = i * this.outputs;
    let best = 0;
    for (let c = 0; c < this.outputs; c++) {
      const p = this.values[base + c];
      if (Number.isNaN(p)) return -1;
      if (p > this.values[base + best]) best = c;
    }
    return best;
  }

  label(i: number): string | null {
    if (this.labels === undefined) throw new Error(`model ${this.model} ${this.model_version} is a ${this.task} model: it has no labels`);
    const c = this.classIndex(i);
    return c < 0 ? null : this.labels[c];
  }

  probabilities(i: number): Record<string, number> {
    const labels = this.labels;
    if (labels === undefined) throw new Error(`model ${this.model} ${this.model_version} is a ${this.task} model: it has no class probabilities`);
    this.checkRow(i);
    const out: Record<string, number> = {};
    const base = i * this.outputs;
    for (let c = 0; c < labels.length; c++) out[labels[c]] = this.values[base + c];
    return out;
  }

  /** regression: the first output of row i */
  value(i: number): number {
    this.checkRow(i);
    return this.values[i * this.outputs];
  }

  row(i: number): Prediction {
    const id = { model: this.model, model_version: this.model_version, model_role: this.model_role };
    if (this.task === 'classification') return { ...id, label: this.label(i), probabilities: this.probabilities(i) };
    return { ...id, target: this.target ?? 'value', value: this.value(i) };
  }

  toArray(): Prediction[] {
    const out: Prediction[] = new Array(this.rows);
    for (let i = 0; i < this.rows; i++) out[i] = this.row(i);
    return out;
  }
}
