import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadLayersModel, saveLayersModel } from './modelFiles.js';

describe('modelFiles', () => {
  const dirs: string[] = [];
  afterAll(async () => { for (const d of dirs) await rm(d, { recursive: true, force: true }); });

  it('round-trips a layers model through model.json + weights.bin with identical predictions', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'driftline-model-'));
    dirs.push(dir);
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [3], units: 5, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
        tf.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
      ],
    });
    await saveLayersModel(model, join(dir, 'v1'));
    const json = JSON.parse(await readFile(join(dir, 'v1', 'model.json'), 'utf8'));
    expect(json.weightsManifest[0].paths).toEqual(['weights.bin']);
    const bin = await readFile(join(dir, 'v1', 'weights.bin'));
    expect(bin.byteLength).toBe((3 * 5 + 5 + 5 * 2 + 2) * 4);

    const loaded = await loadLayersModel(join(dir, 'v1'));
    const x = tf.tensor2d([[0.1, -2, 3], [1, 1, 1]]);
    const a = (model.predictOnBatch(x) as tf.Tensor).arraySync();
    const b = (loaded.predictOnBatch(x) as tf.Tensor).arraySync();
    expect(b).toEqual(a);
    tf.dispose([x]);
  });

  it('names the file and a fix when the model folder is missing', async () => {
    await expect(loadLayersModel('/nonexistent/driftline/model')).rejects.toThrow(/model\.json.*train the model/);
  });
});
