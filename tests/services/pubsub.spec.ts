import { randomUUID } from 'node:crypto';
import { PubSub, type Message } from '@google-cloud/pubsub';
import { expect, it } from 'vitest';
import { describeWithService } from './serviceEnv.js';

describeWithService('pubsub', 'real Pub/Sub fake (PUBSUB_EMULATOR_HOST)', (service) => {
  it('creates a topic and an ordered subscription, publishes with ordering keys, pulls and acks', async () => {
    const { emulatorHost, projectId } = service();
    const pubsub = new PubSub({ projectId, apiEndpoint: emulatorHost, emulatorMode: true });
    const topicName = `driftline-smoke-${randomUUID()}`;
    const [created] = await pubsub.createTopic(topicName);
    expect(created.name).toBe(`projects/${projectId}/topics/${topicName}`);
    const [createdSub] = await created.createSubscription(`${topicName}-sub`, { enableMessageOrdering: true, ackDeadlineSeconds: 10 });
    // Ordered delivery waits for each ack; flush acks every 5 ms instead of the default 100 ms.
    const subscription = pubsub.subscription(createdSub.name, { batching: { maxMilliseconds: 5 } });

    const topic = pubsub.topic(topicName, { messageOrdering: true });
    const keys = ['plant-a', 'plant-b', 'plant-c'];
    const perKey = 30;
    const ids: Promise<string>[] = [];
    for (let seq = 0; seq < perKey; seq++) {
      for (const key of keys) {
        ids.push(topic.publishMessage({ data: Buffer.from(JSON.stringify({ key, seq })), orderingKey: key, attributes: { key } }));
      }
    }
    expect(new Set(await Promise.all(ids)).size).toBe(keys.length * perKey);

    const byKey = new Map<string, number[]>();
    let total = 0;
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`pulled ${total}/${keys.length * perKey}`)), 30_000);
        subscription.on('error', reject);
        subscription.on('message', (m: Message) => {
          const { key, seq } = JSON.parse(m.data.toString()) as { key: string; seq: number };
          expect(m.orderingKey).toBe(key);
          expect(m.attributes.key).toBe(key);
          byKey.set(key, [...(byKey.get(key) ?? []), seq]);
          m.ack();
          if (++total === keys.length * perKey) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      for (const key of keys) expect(byKey.get(key)).toEqual(Array.from({ length: perKey }, (_, i) => i));
    } finally {
      await subscription.close();
      await subscription.delete().catch(() => {});
      await created.delete().catch(() => {});
      await pubsub.close();
    }
  });
});
