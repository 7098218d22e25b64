import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogger } from '../../tests/fixtures/captureLogger.js';
import { tinySpec, writeTinyClassifier, writeTinyRegressor } from '../../tests/fixtures/tinyModels.js';
import { loadLayersModel } from './modelFiles.js';
import { ModelRegistry } from './modelRegistry.js';
import type { ServedModel } from './servedModel.js';

let modelsDir: string;
let registry: ModelRegistry;
let classifier: ServedModel;
let logitsClassifier: ServedModel;
let regressor: ServedModel;
let unfoldable: ServedModel;

beforeAll(async () => {
  modelsDir = await mkdtemp(join(tmpdir(), 'driftline-served-'));
  await writeTinyClassifier(modelsDir, { seed: 7 });
  await writeTinyClassifier(modelsDir, { name: 'tiny-logits', seed: 8, logits: true });
  await writeTinyRegressor(modelsDir, { seed: 9 });
  await writeTinyClassifier(modelsDir, { name: 'tiny-nobias', seed: 10, firstLayerBias: false });
  registry = new ModelRegistry({ modelsDir, logger: captureLogger().logger });
  classifier = await registry.load('tiny-gear', tinySpec);
  logitsClassifier = await registry.load('tiny-logits', tinySpec);
  regressor = await registry.load('tiny-pue', tinySpec);
  unfoldable = await registry.load('tiny-nobias', tinySpec);
});
afterAll(async () => {
  classifier.dispose();
  logitsClassifier.dispose();
  regressor.dispose();
  unfoldable.dispose();
  await rm(modelsDir, { recursive: true, force: true });
});

const feature = fc.float({ min: -1000, max: 1000, noNaN: true, noDefaultInfinity: true });
const rowsArb = fc.array(fc.array(feature, { minLength: 4, maxLength: 4 }), { minLength: 1, maxLength: 70 });

describe('ServedModel', () => {
  it('runs on the wasm backend here', () => {
    expect(tf.getBackend()).toBe('wasm');
  });

  it('gives each row the same output in a batch as alone', () => {
    fc.assert(
      fc.property(rowsArb, (rows) => {
        const flat = Float32Array.from(rows.flat());
        for (const model of [classifier, regressor]) {
          const batch = model.predictBatch(flat);
          expect(batch.rows).toBe(rows.length);
          rows.forEach((row, i) => {
            const alone = model.predictBatch(Float32Array.from(row));
            for (let c = 0; c < model.outputs; c++) {
              expect(batch.values[i * model.outputs + c]).toBeCloseTo(alone.values[c], 5);
            }
          });
        }
      }),
      { numRuns: 50 },
    );
  });

  it('applies the manifest normalisation: folded into the first Dense layer, or in the graph when it cannot be', async () => {
    expect(classifier.normalisation).toBe('folded');
    expect(regressor.normalisation).toBe('folded');
    expect(unfoldable.normalisation).toBe('graph');
    const rows = [[3, -2, 0.5, 3600], [0, 0, 0, 0], [12.5, 4, -90, 60], [-1e4, 1e-3, 359, 1]];
    for (const served of [classifier, unfoldable]) {
      const raw = await loadLayersModel(served.dir);
      const { mean, std } = served.manifest.normalisation;
      const normalised = rows.map((r) => r.map((v, j) => (v - mean[j]) / std[j]));
      const expected = tf.tidy(() => (raw.predictOnBatch(tf.tensor2d(normalised)) as tf.Tensor).arraySync() as number[][]);
      raw.dispose();
      const got = served.predictBatch(Float32Array.from(rows.flat()));
      expected.forEach((probs, i) => probs.forEach((p, c) => expect(got.values[i * 3 + c]).toBeCloseTo(p, 5)));
    }
  });

  it('returns class probabilities with labels, and the argmax as label', () => {
    const batch = classifier.predictBatch(Float32Array.from([1, 2, 3, 4, -5, 6, -7, 80]));
    expect(batch.labels).toEqual(['trawlers', 'drifting_longlines', 'non_fishing']);
    for (let i = 0; i < 2; i++) {
      const probs = batch.probabilities(i);
      expect(Object.keys(probs)).toEqual(batch.labels);
      expect(Object.values(probs).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      const best = Object.entries(probs).sort((a, b) => b[1] - a[1])[0][0];
      expect(batch.label(i)).toBe(best);
      expect(batch.row(i)).toEqual({ model: 'tiny-gear', model_version: 'v1', model_role: 'champion', label: best, probabilities: probs });
    }
  });

  it('adds a softmax when the network ends in logits', () => {
    const batch = logitsClassifier.predictBatch(Float32Array.from([100, -40, 3, 900, 0, 0, 0, 0]));
    for (let i = 0; i < 2; i++) {
      const p = Object.values(batch.probabilities(i));
      expect(p.every((v) => v >= 0 && v <= 1)).toBe(true);
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
  });

  it('returns values for a regression model', () => {
    const batch = regressor.predictBatch(Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]));
    expect(batch.task).toBe('regression');
    expect(batch.outputs).toBe(1);
    expect(batch.row(1)).toEqual({ model: 'tiny-pue', model_version: 'v1', model_role: 'champion', target: 'pue', value: batch.values[1] });
    expect(Number.isFinite(batch.value(0))).toBe(true);
    expect(() => batch.probabilities(0)).toThrow(/regression model/);
  });

  it('scores only the first `rows` rows of a larger reused buffer', () => {
    const buffer = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 99, 99, 99, 99]);
    const part = classifier.predictBatch(buffer, 2);
    const exact = classifier.predictBatch(buffer.subarray(0, 8));
    expect(part.rows).toBe(2);
    expect(Array.from(part.values)).toEqual(Array.from(exact.values));
  });

  it('handles an empty batch without touching the backend', () => {
    const before = tf.memory().numTensors;
    expect(classifier.predictBatch(new Float32Array(0)).rows).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects a buffer that is not whole rows, naming the feature spec', () => {
    expect(() => classifier.predictBatch(new Float32Array(6))).toThrow(/each row needs 4 \(tiny-track v1\)/);
    expect(() => classifier.predictBatch(new Float32Array(4), 2)).toThrow(/each row needs 4/);
  });

  it('voids only the rows with non-finite features: NaN outputs, null label', () => {
    const good = [1, 2, 3, 4];
    const batch = classifier.predictBatch(Float32Array.from([...good, Number.NaN, 1, 2, 3, ...good, 1, Number.POSITIVE_INFINITY, 2, 3]));
    const alone = classifier.predictBatch(Float32Array.from(good));
    expect(batch.label(1)).toBeNull();
    expect(batch.label(3)).toBeNull();
    expect(Object.values(batch.probabilities(1)).every(Number.isNaN)).toBe(true);
    expect(batch.label(0)).toBe(alone.label(0));
    expect(batch.label(2)).toBe(alone.label(0));
    expect(batch.values[0]).toBeCloseTo(alone.values[0], 5);
    expect(regressor.predictBatch(Float32Array.from([Number.NaN, 1, 2, 3])).value(0)).toBeNaN();
    expect(unfoldable.predictBatch(Float32Array.from([1, 2, Number.NEGATIVE_INFINITY, 3])).label(0)).toBeNull();
    // huge but finite features overflow the batch sum; the row check then voids no other row
    const huge = classifier.predictBatch(Float32Array.from([3e38, 3e38, 0, 0, ...good]));
    expect(huge.label(1)).toBe(alone.label(0));
    expect(huge.values[3]).toBeCloseTo(alone.values[0], 5);
  });

  it('leaks no tensors over 10,000 batches', () => {
    const rows = 64;
    const flat = Float32Array.from({ length: rows * 4 }, (_, k) => Math.sin(k) * 50);
    const models = [classifier, regressor, unfoldable];
    for (const m of models) m.predictBatch(flat);
    const before = tf.memory();
    const samples: number[] = [];
    for (let b = 0; b < 10_000; b++) {
      const model = models[b % 3];
      model.predictBatch(flat);
      if (b % 1000 === 999) samples.push(tf.memory().numTensors);
    }
    expect(samples).toHaveLength(10);
    expect(samples.every((n) => n === before.numTensors)).toBe(true);
    expect(tf.memory().numBytes).toBe(before.numBytes);
  });
});
