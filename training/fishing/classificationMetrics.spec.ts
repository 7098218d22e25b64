import { describe, expect, it } from 'vitest';
import { classificationMetrics } from './classificationMetrics.js';

describe('classificationMetrics', () => {
  it('computes the confusion matrix, per-class precision/recall/F1 and macro-F1', () => {
    // truth:     a a a b b c
    // predicted: a a b b c c
    const m = classificationMetrics(['a', 'b', 'c'], [0, 0, 0, 1, 1, 2], [0, 0, 1, 1, 2, 2]);
    expect(m.confusion_matrix).toEqual([[2, 1, 0], [0, 1, 1], [0, 0, 1]]);
    expect(m.per_class.a).toEqual({ precision: 1, recall: 0.6667, f1: 0.8, support: 3 });
    expect(m.per_class.b).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
    expect(m.per_class.c).toEqual({ precision: 0.5, recall: 1, f1: 0.6667, support: 1 });
    expect(m.macro_f1).toBeCloseTo((0.8 + 0.5 + 2 / 3) / 3, 4);
    expect(m.accuracy).toBeCloseTo(4 / 6, 4);
  });
  it('scores a class never predicted as F1 0 rather than NaN', () => {
    const m = classificationMetrics(['a', 'b'], [0, 1], [0, 0]);
    expect(m.per_class.b).toEqual({ precision: 0, recall: 0, f1: 0, support: 1 });
    expect(m.macro_f1).toBeCloseTo((2 / 3) / 2, 4);
  });
});
