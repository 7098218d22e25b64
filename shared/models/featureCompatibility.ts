import { featureHash, type FeatureSpec } from '../features/featureSpec.js';
import type { ModelManifest } from './manifest.js';

/**
 * The model was trained on features the code no longer computes (or not yet). Serving it would feed
 * the network vectors whose positions mean something else: training/serving skew with no error.
 */
export class FeatureHashMismatchError extends Error {
  constructor(
    readonly modelDir: string,
    readonly manifestHash: string,
    readonly codeHash: string,
    message: string,
  ) {
    super(message);
    this.name = 'FeatureHashMismatchError';
  }
}

function describeDifference(trained: ModelManifest['feature_spec'], code: FeatureSpec): string {
  const parts: string[] = [];
  if (trained.name !== code.name) parts.push(`name ${trained.name} -> ${code.name}`);
  if (trained.version !== code.version) parts.push(`version ${trained.version} -> ${code.version}`);
  const added = code.features.filter((f) => !trained.features.includes(f));
  const removed = trained.features.filter((f) => !code.features.includes(f));
  if (added.length > 0) parts.push(`features added: ${added.join(', ')}`);
  if (removed.length > 0) parts.push(`features removed: ${removed.join(', ')}`);
  if (added.length === 0 && removed.length === 0 && trained.features.join() !== code.features.join()) parts.push('features reordered');
  if (parts.length === 0) parts.push('params differ');
  return parts.join('; ');
}

/**
 * Refuse a model unless the feature spec it was trained on hashes to what the code computes today.
 * `retrain` is the command that rebuilds it, e.g. `npm run train:fishing`.
 */
export function assertFeatureCompatible(manifest: ModelManifest, spec: FeatureSpec, modelDir: string, retrain: string): void {
  const codeHash = featureHash(spec);
  if (manifest.feature_hash !== codeHash) {
    throw new FeatureHashMismatchError(
      modelDir,
      manifest.feature_hash,
      codeHash,
      `model ${modelDir} was trained on different features: manifest feature_hash ${manifest.feature_hash}, ` +
        `code's featureHash(${spec.name} v${spec.version}) ${codeHash} (${describeDifference(manifest.feature_spec, spec)}). ` +
        `Fix: retrain with \`${retrain}\` and commit the new version, or serve a version trained on the current features.`,
    );
  }
  // The stored hash must also be the hash of the stored spec, or the manifest was edited by hand.
  const storedSpecHash = featureHash(manifest.feature_spec);
  if (storedSpecHash !== manifest.feature_hash) {
    throw new FeatureHashMismatchError(
      modelDir,
      manifest.feature_hash,
      codeHash,
      `model ${modelDir}: manifest field "feature_spec" hashes to ${storedSpecHash}, not its feature_hash ${manifest.feature_hash}; ` +
        `the manifest was edited after training. Fix: retrain with \`${retrain}\`.`,
    );
  }
}
