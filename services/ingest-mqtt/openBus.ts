import type { Bus } from '../../shared/bus/bus.js';
import { EmbeddedBus } from '../../shared/bus/embedded/embeddedBus.js';
import { KafkaBus, kafkaBusOptionsFromConfig } from '../../shared/bus/kafka/kafkaBus.js';
import { PubSubBus, pubsubBusOptionsFromConfig } from '../../shared/bus/pubsub/pubsubBus.js';
import type { BusConfig } from '../../shared/config/busSchema.js';

/**
 * The bus `bus:` in driftline.yaml describes: the embedded log, Kafka or Pub/Sub (same `Bus` interface).
 */
export function openBus(config: BusConfig): Bus {
  switch (config.kind) {
    case 'embedded':
      return new EmbeddedBus({ path: config.path, partitions: config.partitions });
    case 'kafka':
      return new KafkaBus(kafkaBusOptionsFromConfig(config));
    case 'pubsub':
      return new PubSubBus(pubsubBusOptionsFromConfig(config));
  }
}
