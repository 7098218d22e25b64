import { createHash } from 'node:crypto';

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

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** sha256 of the spec's canonical JSON (keys sorted), hex. */
export function featureHash(spec: FeatureSpec): string {
  return createHash('sha256').update(canonical(spec)).digest('hex');
}
