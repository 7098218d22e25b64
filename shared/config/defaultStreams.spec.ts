import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelManifestSchema } from '../models/manifest.js';
import { defaultConfig } from './loadConfig.js';

const modelsDir = fileURLToPath(new URL('../../models/', import.meta.url));

/**
 * The built-in streams must feed each model the windows and features it was trained on, and every
 * model they name must be committed.
 */
describe('built-in streams match their models\' manifests', () => {
  for (const [name, stream] of Object.entries(defaultConfig().streams)) {
    for (const model of [stream.model, ...(stream.shadow_model ? [stream.shadow_model] : [])]) {
      const path = `${modelsDir}${model.name}/${model.version}/manifest.json`;
      it(`${name}: ${model.name}@${model.version}`, () => {
        expect(existsSync(path), `${path} is missing: train it or fix the default stream`).toBe(true);
        const manifest = modelManifestSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
        expect(stream.features).toBe(manifest.feature_spec.name);
        const w = manifest.window;
        if (w) {
          const ours = stream.window;
          expect(ours.kind).toBe(w.kind);
          if (w.kind === 'tumbling' && ours.kind === 'tumbling') expect(ours.size).toBe(w.size_ms);
          if (w.kind === 'sliding' && ours.kind === 'sliding') expect([ours.size, ours.period]).toEqual([w.size_ms, w.period_ms]);
          if (w.kind === 'session' && ours.kind === 'session') expect(ours.gap).toBe(w.gap_ms);
        }
      });
    }
  }
});
