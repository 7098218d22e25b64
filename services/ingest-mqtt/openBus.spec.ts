import { describe, expect, it } from 'vitest';
import { KafkaBus } from '../../shared/bus/kafka/kafkaBus.js';
import { PubSubBus } from '../../shared/bus/pubsub/pubsubBus.js';
import { busSchema } from '../../shared/config/busSchema.js';
import { DEAD_LETTER_TOPIC } from '../../shared/deadLetters/deadLetter.js';
import { WORKER_GROUP } from '../feature-worker/featureWorker.js';
import { openBus } from './openBus.js';

describe('openBus', () => {
  it('opens the Kafka bus for kind kafka, mapping topic_prefix onto Kafka topic names (no connection until used)', async () => {
    const bus = openBus(busSchema.parse({ kind: 'kafka', brokers: ['127.0.0.1:1'], topic_prefix: 'fleet.' }));
    expect(bus).toBeInstanceOf(KafkaBus);
    expect((bus as KafkaBus).kafkaTopic('vessels')).toBe('fleet.vessels');
    await bus.close();
  });

  it('opens the Pub/Sub bus for kind pubsub, mapping topic_prefix onto topic ids and groups onto subscriptions (no connection until used)', async () => {
    const bus = openBus(busSchema.parse({ kind: 'pubsub', project_id: 'p', topic_prefix: 'fleet-', emulator_host: '127.0.0.1:1' }));
    expect(bus).toBeInstanceOf(PubSubBus);
    expect((bus as PubSubBus).topicId('vessels')).toBe('fleet-vessels');
    expect((bus as PubSubBus).subscriptionId('vessels', 'workers')).toBe('fleet-vessels.workers');
    // The ingest creates the feature worker's subscriptions, so records sent before the worker starts are kept.
    expect((bus as PubSubBus).producerGroups('vessels')).toEqual([WORKER_GROUP]);
    expect((bus as PubSubBus).producerGroups(DEAD_LETTER_TOPIC)).toEqual([`${WORKER_GROUP}.dead-letters`]);
    await bus.close();
  });
});
