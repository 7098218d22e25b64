import type { Bus } from '../../shared/bus/bus.js';
import { EmbeddedBus } from '../../shared/bus/embedded/embeddedBus.js';
import { KafkaBus, kafkaBusOptionsFromConfig } from '../../shared/bus/kafka/kafkaBus.js';
import type { BusConfig } from '../../shared/config/busSchema.js';

/**
 * The bus `bus:` in driftline.yaml describes: the embedded log or Kafka. The Pub/Sub bus plugs in
 * here when it lands (same `Bus` interface).
 */
export function openBus(config: BusConfig): Bus {
  switch (config.kind) {
    case 'embedded':
      return new EmbeddedBus({ path: config.path, partitions: config.partitions });
    case 'kafka':
      return new KafkaBus(kafkaBusOptionsFromConfig(config));
    case 'pubsub':
      throw new Error(`bus.kind: "${config.kind}" is not available in this build yet (fix: use bus.kind: embedded)`);
  }
}
