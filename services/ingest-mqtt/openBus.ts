import type { Bus } from '../../shared/bus/bus.js';
import { EmbeddedBus } from '../../shared/bus/embedded/embeddedBus.js';
import type { BusConfig } from '../../shared/config/busSchema.js';

/**
 * The bus `bus:` in driftline.yaml describes. Only the embedded bus exists so far; the Kafka and
 * Pub/Sub buses plug in here when they land (same `Bus` interface).
 */
export function openBus(config: BusConfig): Bus {
  switch (config.kind) {
    case 'embedded':
      return new EmbeddedBus({ path: config.path, partitions: config.partitions });
    case 'kafka':
    case 'pubsub':
      throw new Error(`bus.kind: "${config.kind}" is not available in this build yet (fix: use bus.kind: embedded)`);
  }
}
