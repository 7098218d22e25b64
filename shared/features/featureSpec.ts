import { createHash } from 'node:crypto';
import { canonicalJson } from '../hashing/canonicalJson.js';

/**
 * What a feature extractor produces, described as data. Training writes the spec's hash into the
 * model manifest; serving refuses a model whose hash differs from the code's, so a feature change
 * can never silently meet a model trained on the old features.
 */
export interface FeatureSpec {
  /** feature set name, e.g. `fishing-track` */
  readonly name: string;
  /** bump on any change of meaning, even if names stay the same */
  readonly version: number;
  /** output vector layout, in order */
  readonly features: readonly string[];
  /** extractor parameters that change the output (horizons, caps, ...) */
  readonly params?: Readonly<Record<string, unknown>>;
}

/** sha256 of the spec's canonical JSON (keys sorted), hex. */
export function featureHash(spec: FeatureSpec): string {
  return createHash('sha256').update(canonicalJson(spec)).digest('hex');
}
