import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogger } from '../../tests/fixtures/captureLogger.js';
import { tinySpec, writeTinyClassifier } from '../../tests/fixtures/tinyModels.js';
import { featureHash } from '../features/featureSpec.js';
import { ModelPair } from './modelPair.js';
import { ModelRegistry } from './modelRegistry.js';

let modelsDir: string;
let registry: ModelRegistry;
const rows = Float32Array.from([1, 2, 3, 4, 10, -3, 0.5, 600, 0, 0, 0, 0]);

beforeAll(async () => {
  modelsDir = await mkdtemp(join(tmpdir(), 'driftline-pair-'));
  await writeTinyClassifier(modelsDir, { version: 'v1', seed: 1 });
  // the candidate: other weights and its own normalisation
  await writeTinyClassifier(modelsDir, { version: 'v2', seed: 2, mean: [0, 0, 0, 0], std: [2, 2, 2, 2] });
  await writeTinyClassifier(modelsDir, { name: 'other-features', spec: { ...tinySpec, name: 'other', features: ['p', 'q', 'r', 's'] } });
  registry = new ModelRegistry({ modelsDir, logger: captureLogger().logger });
});
afterAll(async () => {
  await rm(modelsDir, { recursive: true, force: true });
});

describe('ModelPair', () => {
  it('scores the same batch with champion and shadow, each prediction carrying model, version and role', async () => {
    const pair = await ModelPair.load(registry, 'tiny-gear', tinySpec, { champion: 'v1', shadow: 'v2', logger: captureLogger().logger });
    const { champion, shadow, shadowError } = pair.predictBatch(rows);
    expect(shadowError).toBeUndefined();
    expect(shadow).toBeDefined();
    expect(champion.rows).toBe(3);
    expect(shadow!.rows).toBe(3);
    for (let i = 0; i < 3; i++) {
      expect(champion.row(i)).toMatchObject({ model: 'tiny-gear', model_version: 'v1', model_role: 'champion' });
      expect(shadow!.row(i)).toMatchObject({ model: 'tiny-gear', model_version: 'v2', model_role: 'shadow' });
    }
    // two different models really ran: same rows, different probabilities
    expect(Array.from(shadow!.values)).not.toEqual(Array.from(champion.values));
    // and each equals that version served alone
    const alone = await registry.load('tiny-gear', tinySpec, { version: 'v2' });
    Array.from(alone.predictBatch(rows).values).forEach((v, k) => expect(shadow!.values[k]).toBeCloseTo(v, 6));
    alone.dispose();
    pair.dispose();
  });

  it('defaults to the latest version as champion and no shadow', async () => {
    const pair = await ModelPair.load(registry, 'tiny-gear', tinySpec);
    const out = pair.predictBatch(rows);
    expect(out.champion.model_version).toBe('v2');
    expect(out.shadow).toBeUndefined();
    pair.dispose();
  });

  it('keeps the champion results when the shadow fails, and logs why', async () => {
    const { logger, records } = captureLogger();
    const pair = await ModelPair.load(registry, 'tiny-gear', tinySpec, { champion: 'v1', shadow: 'v2', logger });
    pair.shadow!.dispose();
    const out = pair.predictBatch(rows);
    expect(out.champion.rows).toBe(3);
    expect(out.shadow).toBeUndefined();
    expect(out.shadowError?.message).toMatch(/disposed/);
    expect(records.some((r) => r.level === 40 && r.model_version === 'v2')).toBe(true);
    pair.champion.dispose();
  });

  it('tells its observer each model\'s batch (rows, time) and a shadow\'s failure', async () => {
    const seen: { version: string; role: string; rows: number; seconds: number }[] = [];
    const failed: { version: string; message: string }[] = [];
    const pair = await ModelPair.load(registry, 'tiny-gear', tinySpec, {
      champion: 'v1', shadow: 'v2', logger: captureLogger().logger,
      observer: {
        batch: (m, n, seconds) => seen.push({ version: m.version, role: m.role, rows: n, seconds }),
        failed: (m, err) => failed.push({ version: m.version, message: err.message }),
      },
    });
    pair.predictBatch(rows);
    pair.predictBatch(rows, 2);
    expect(seen.map(({ seconds: _s, ...s }) => s)).toEqual([
      { version: 'v1', role: 'champion', rows: 3 }, { version: 'v2', role: 'shadow', rows: 3 },
      { version: 'v1', role: 'champion', rows: 2 }, { version: 'v2', role: 'shadow', rows: 2 },
    ]);
    for (const s of seen) expect(s.seconds).toBeGreaterThan(0);
    expect(failed).toEqual([]);
    pair.shadow!.dispose();
    pair.predictBatch(rows);
    expect(seen).toHaveLength(5);
    expect(failed).toEqual([{ version: 'v2', message: expect.stringMatching(/disposed/) }]);
    pair.champion.dispose();
  });

  it('refuses a shadow that takes different features', async () => {
    const champion = await registry.load('tiny-gear', tinySpec, { version: 'v1' });
    const spec = { ...tinySpec, name: 'other', features: ['p', 'q', 'r', 's'] };
    const shadow = await registry.load('other-features', spec, { role: 'shadow' });
    expect(() => new ModelPair(champion, shadow)).toThrow(new RegExp(`different features \\(feature_hash ${featureHash(spec)}`));
    champion.dispose();
    shadow.dispose();
  });

  it('leaks no tensors over 10,000 paired batches', async () => {
    const pair = await ModelPair.load(registry, 'tiny-gear', tinySpec, { champion: 'v1', shadow: 'v2' });
    const batch = Float32Array.from({ length: 32 * 4 }, (_, k) => (k % 7) - 3);
    pair.predictBatch(batch);
    const before = tf.memory().numTensors;
    let maxSeen = before;
    for (let b = 0; b < 10_000; b++) {
      pair.predictBatch(batch);
      if (b % 500 === 0) maxSeen = Math.max(maxSeen, tf.memory().numTensors);
    }
    expect(maxSeen).toBe(before);
    expect(tf.memory().numTensors).toBe(before);
    pair.dispose();
  });
});
