import { describe, expect, it } from 'vitest';
import { KafkaBus } from '../../shared/bus/kafka/kafkaBus.js';
import { busSchema } from '../../shared/config/busSchema.js';
import { openBus } from './openBus.js';

describe('openBus', () => {
  it('opens the Kafka bus for kind kafka, mapping topic_prefix onto Kafka topic names (no connection until used)', async () => {
    const bus = openBus(busSchema.parse({ kind: 'kafka', brokers: ['127.0.0.1:1'], topic_prefix: 'fleet.' }));
    expect(bus).toBeInstanceOf(KafkaBus);
    expect((bus as KafkaBus).kafkaTopic('vessels')).toBe('fleet.vessels');
    await bus.close();
  });

  it('refuses kind pubsub with a message naming the fix', () => {
    expect(() => openBus(busSchema.parse({ kind: 'pubsub', project_id: 'p' }))).toThrow(/bus\.kind: "pubsub" is not available.*fix: use bus\.kind: embedded/);
  });
});
