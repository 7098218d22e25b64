import type { Bus } from '../../shared/bus/bus.js';
import { EmbeddedBus } from '../../shared/bus/embedded/embeddedBus.js';
import { KafkaBus, kafkaBusOptionsFromConfig } from '../../shared/bus/kafka/kafkaBus.js';
import { PubSubBus, pubsubBusOptionsFromConfig } from '../../shared/bus/pubsub/pubsubBus.js';
import type { BusConfig } from '../../shared/config/busSchema.js';
import { DEAD_LETTER_TOPIC } from '../../shared/deadLetters/deadLetter.js';

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
      // Pub/Sub keeps a message only for subscriptions that exist when it is published: producers create the
      // feature worker's (WORKER_GROUP in services/feature-worker) so records sent before its first start wait.
      return new PubSubBus(pubsubBusOptionsFromConfig(config, {
        producerGroups: (topic) => [topic === DEAD_LETTER_TOPIC ? 'driftline-worker.dead-letters' : 'driftline-worker'],
      }));
  }
}
