/** Confusion matrix and per-class precision / recall / F1 for a multi-class classifier. */
export interface ClassificationMetrics {
  readonly macro_f1: number;
  readonly accuracy: number;
  readonly rows: number;
  readonly per_class: Record<string, { precision: number; recall: number; f1: number; support: number }>;
  /** confusion[i][j] = windows of true class labels[i] predicted as labels[j] */
  readonly confusion_matrix: number[][];
  readonly labels: string[];
}

export function classificationMetrics(labels: readonly string[], truth: readonly number[], predicted: readonly number[]): ClassificationMetrics {
  if (truth.length !== predicted.length) throw new RangeError(`classificationMetrics: ${truth.length} truths but ${predicted.length} predictions`);
  const k = labels.length;
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let correct = 0;
  truth.forEach((t, i) => {
    confusion[t]![predicted[i]!]!++;
    if (t === predicted[i]) correct++;
  });
  const perClass: ClassificationMetrics['per_class'] = {};
  let f1Sum = 0;
  labels.forEach((label, c) => {
    const tp = confusion[c]![c]!;
    const support = confusion[c]!.reduce((a, b) => a + b, 0);
    const predictedC = confusion.reduce((a, row) => a + row[c]!, 0);
    const precision = predictedC > 0 ? tp / predictedC : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    perClass[label] = { precision: round4(precision), recall: round4(recall), f1: round4(f1), support };
    f1Sum += f1;
  });
  return {
    macro_f1: round4(f1Sum / k),
    accuracy: round4(truth.length > 0 ? correct / truth.length : 0),
    rows: truth.length,
    per_class: perClass,
    confusion_matrix: confusion,
    labels: [...labels],
  };
}

function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
