import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { expect, it } from 'vitest';
import { describeWithService } from './serviceEnv.js';

describeWithService('kafka', 'real Kafka broker (KAFKA_BROKERS)', (service) => {
  it('creates a topic, produces keyed messages, consumes them in a group and commits offsets', async () => {
    const { brokers } = service();
    const kafka = new Kafka({ clientId: 'driftline-smoke', brokers, logLevel: logLevel.NOTHING, retry: { retries: 10 } });
    const topic = `driftline-smoke-${randomUUID()}`;
    const groupId = `driftline-smoke-${randomUUID()}`;
    const partitions = 3;
    const keys = ['vessel-1', 'vessel-2', 'vessel-3', 'vessel-4', 'vessel-5'];
    const perKey = 40;

    const admin = kafka.admin();
    await admin.connect();
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true, maxInFlightRequests: 1 });
    const consumer = kafka.consumer({ groupId });
    try {
      expect(await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }], waitForLeaders: true })).toBe(true);
      const meta = await admin.fetchTopicMetadata({ topics: [topic] });
      expect(meta.topics[0].partitions).toHaveLength(partitions);

      await producer.connect();
      const messages = [];
      for (let seq = 0; seq < perKey; seq++) {
        for (const key of keys) messages.push({ key, value: JSON.stringify({ key, seq }) });
      }
      await producer.send({ topic, acks: -1, messages });

      const byKey = new Map<string, number[]>();
      let total = 0;
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      const done = new Promise<void>((resolve) => {
        void consumer.run({
          eachMessage: async ({ message }) => {
            const { key, seq } = JSON.parse(message.value!.toString()) as { key: string; seq: number };
            expect(message.key!.toString()).toBe(key);
            byKey.set(key, [...(byKey.get(key) ?? []), seq]);
            if (++total === keys.length * perKey) resolve();
          },
        });
      });
      await Promise.race([done, new Promise((_, reject) => setTimeout(() => reject(new Error(`consumed ${total}/${keys.length * perKey}`)), 45_000))]);

      // One key lives on one partition, so each key's events arrive in the order they were produced.
      for (const key of keys) expect(byKey.get(key)).toEqual(Array.from({ length: perKey }, (_, i) => i));

      await consumer.stop();
      await consumer.disconnect();
      // The group coordinator works (single-node internal topics have replication factor 1): offsets were committed.
      const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
      const sum = committed[0].partitions.reduce((acc, p) => acc + Number(p.offset), 0);
      expect(sum).toBe(keys.length * perKey);
    } finally {
      await consumer.disconnect().catch(() => {});
      await producer.disconnect().catch(() => {});
      await admin.deleteTopics({ topics: [topic] }).catch(() => {});
      await admin.disconnect();
    }
  });
});
