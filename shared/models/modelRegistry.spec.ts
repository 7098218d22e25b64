import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogger } from '../../tests/fixtures/captureLogger.js';
import { tinySpec, writeTinyClassifier } from '../../tests/fixtures/tinyModels.js';
import { featureHash, type FeatureSpec } from '../features/featureSpec.js';
import { FeatureHashMismatchError } from './featureCompatibility.js';
import { ManifestError } from './manifestFile.js';
import { ModelRegistry } from './modelRegistry.js';

let modelsDir: string;
const { logger } = captureLogger();

beforeAll(async () => {
  modelsDir = await mkdtemp(join(tmpdir(), 'driftline-registry-'));
  for (const version of ['v2', 'v10', 'v9']) await writeTinyClassifier(modelsDir, { version, seed: Number(version.slice(1)) });
});
afterAll(async () => {
  await rm(modelsDir, { recursive: true, force: true });
});

describe('ModelRegistry', () => {
  it('lists versions in natural order and loads the latest by default', async () => {
    const registry = new ModelRegistry({ modelsDir, logger });
    expect(await registry.versions('tiny-gear')).toEqual(['v2', 'v9', 'v10']);
    const model = await registry.load('tiny-gear', tinySpec);
    expect(model.version).toBe('v10');
    expect(model.role).toBe('champion');
    model.dispose();
  });

  it('loads a named version', async () => {
    const registry = new ModelRegistry({ modelsDir, logger });
    const model = await registry.load('tiny-gear', tinySpec, { version: 'v2', role: 'shadow' });
    expect([model.version, model.role, model.width, model.outputs]).toEqual(['v2', 'shadow', 4, 3]);
    model.dispose();
  });

  it('refuses a model trained on different features, naming the folder, both hashes and the fix', async () => {
    const registry = new ModelRegistry({ modelsDir, logger });
    const changed: FeatureSpec = { ...tinySpec, version: 2, features: [...tinySpec.features, 'turn_rate'] };
    const err = await registry.load('tiny-gear', changed, { version: 'v9', retrain: 'npm run train:fishing' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeatureHashMismatchError);
    const message = (err as Error).message;
    expect(message).toContain(join(modelsDir, 'tiny-gear', 'v9'));
    expect(message).toContain(featureHash(tinySpec));
    expect(message).toContain(featureHash(changed));
    expect(message).toContain('npm run train:fishing');
    expect(message).toContain('features added: turn_rate');
  });

  it('refuses a manifest whose feature_hash is not the hash of its own feature_spec', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'driftline-registry-edited-'));
    try {
      // the manifest claims the code's hash but describes other features: edited by hand
      await writeTinyClassifier(dir, { spec: { ...tinySpec, features: ['a', 'b', 'c', 'd'] }, featureHash: featureHash(tinySpec) });
      const err = await new ModelRegistry({ modelsDir: dir, logger }).load('tiny-gear', tinySpec).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(FeatureHashMismatchError);
      expect((err as Error).message).toMatch(/edited after training/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses an invalid manifest, naming the file and the field', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'driftline-registry-bad-'));
    try {
      const versionDir = await writeTinyClassifier(dir);
      const manifestPath = join(versionDir, 'manifest.json');
      const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Record<string, unknown>;
      manifest.task = 'ranking';
      await writeFile(manifestPath, JSON.stringify(manifest));
      const err = await new ModelRegistry({ modelsDir: dir, logger }).load('tiny-gear', tinySpec).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ManifestError);
      expect((err as Error).message).toContain(manifestPath);
      expect((err as Error).message).toContain('field "task"');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses normalisation that does not fit the feature spec', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'driftline-registry-norm-'));
    try {
      await writeTinyClassifier(dir, { mean: [0, 0, 0], std: [1, 1, 1] });
      await expect(new ModelRegistry({ modelsDir: dir, logger }).load('tiny-gear', tinySpec)).rejects.toThrow(/field "normalisation" has 3 means and 3 stds for 4 features/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names the versions present when asked for a missing one, and refuses path-like versions', async () => {
    const registry = new ModelRegistry({ modelsDir, logger });
    await expect(registry.load('tiny-gear', tinySpec, { version: 'v3' })).rejects.toThrow(/versions present: v2, v9, v10/);
    await expect(registry.load('tiny-gear', tinySpec, { version: '../tiny-gear/v2' })).rejects.toThrow(/not a folder name/);
    await expect(registry.load('nothing-here', tinySpec)).rejects.toThrow(/no trained nothing-here model/);
  });
});
