import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { modelManifestSchema, type ModelManifest } from './manifest.js';

export const MANIFEST_FILE = 'manifest.json';

/** A manifest that is missing, not JSON, or fails the schema; the message names the file and field. */
export class ManifestError extends Error {
  constructor(readonly file: string, message: string) {
    super(message);
    this.name = 'ManifestError';
  }
}

/**
 * Read and validate `<dir>/manifest.json`. Also checks what the schema cannot: that the
 * normalisation and labels fit the feature spec, so a broken manifest fails at load, not mid-stream.
 */
export async function readManifest(dir: string): Promise<ModelManifest> {
  const file = join(dir, MANIFEST_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new ManifestError(file, `cannot read model manifest ${file}: ${(err as Error).message} (every model version folder needs the manifest.json its training script writes)`);
  }
  const parsed = modelManifestSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `field "${i.path.join('.') || '(root)'}": ${i.message}`);
    throw new ManifestError(file, `invalid model manifest ${file}: ${problems.join('; ')} (re-run the model's training script to rewrite it)`);
  }
  const manifest = parsed.data;
  const width = manifest.feature_spec.features.length;
  const { mean, std } = manifest.normalisation;
  if (mean.length !== width || std.length !== width) {
    throw new ManifestError(file, `invalid model manifest ${file}: field "normalisation" has ${mean.length} means and ${std.length} stds for ${width} features (re-run the model's training script)`);
  }
  if (manifest.task === 'classification' && (manifest.labels === undefined || manifest.labels.length < 2)) {
    throw new ManifestError(file, `invalid model manifest ${file}: field "labels" must list at least two class names for a classification model`);
  }
  return manifest;
}
