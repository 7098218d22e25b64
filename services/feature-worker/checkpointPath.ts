import { dirname, join } from 'node:path';
import type { DriftlineConfig } from '../../shared/config/configSchema.js';

/** `worker.checkpoints`, else beside the embedded bus's file, else ./data/checkpoints.sqlite. */
export function checkpointPath(config: DriftlineConfig): string {
  if (config.worker.checkpoints) return config.worker.checkpoints;
  return config.bus.kind === 'embedded' ? join(dirname(config.bus.path), 'checkpoints.sqlite') : './data/checkpoints.sqlite';
}
