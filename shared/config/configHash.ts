import { createHash } from 'node:crypto';
import { canonicalJson } from '../hashing/canonicalJson.js';
import type { DriftlineConfig } from './configSchema.js';

/**
 * sha256 (hex) of the normalised `streams` section: what decides the content of a prediction row
 * (schemas, keys, windows, watermarks, lateness, triggers, features, models, tables). Broker URLs,
 * credentials, file paths, ports and log level are left out on purpose, so re-running the same
 * pipeline against another broker or bus file (as the crash tests do) yields the same hash.
 * Durations are normalised to ms first, so "5m" and 300000 hash alike.
 */
export function configHash(config: Pick<DriftlineConfig, 'streams'>): string {
  return createHash('sha256').update(canonicalJson({ streams: config.streams })).digest('hex');
}
